#include <set>
#include <string>
#include <vector>

#include "spec/spec.hpp"

namespace scs {

Scope with_unscoped_testcases(Scope scope) {
  std::set<std::string> listed;
  for (const auto& module : scope.modules) {
    for (const auto& [target, ids] : module.targets) listed.insert(ids.begin(), ids.end());
  }
  std::vector<std::string> unscoped;
  for (const auto& testcase : scope.testcases) {
    // A manual testcase has nothing to run.
    if (listed.count(testcase.id) == 0 && !testcase.manual) unscoped.push_back(testcase.id);
  }
  if (unscoped.empty()) return scope;
  ScopeModule module;
  module.id = unscoped_module_id;
  module.name = "testcases the scope defines but no module lists";
  module.targets = {{"unscoped", unscoped}};
  scope.modules.push_back(std::move(module));
  for (auto& version : scope.versions) {
    version.includes.push_back({std::string(unscoped_module_id), {}});
    version.targets.emplace_back("unscoped", unscoped);
  }
  return scope;
}

}  // namespace scs
