#include <algorithm>

#include "spec/spec.hpp"

namespace scs {

const ScopeTestcase* Scope::testcase(std::string_view id) const {
  const auto it = std::find_if(testcases.begin(), testcases.end(), [&](const auto& t) { return t.id == id; });
  return it == testcases.end() ? nullptr : &*it;
}

const ScopeVersion* Scope::version(std::string_view version_name) const {
  const auto it =
      std::find_if(versions.begin(), versions.end(), [&](const auto& v) { return v.name == version_name; });
  return it == versions.end() ? nullptr : &*it;
}

std::map<std::string, std::string> Scope::parameters_for(const ScopeVersion& scope_version,
                                                         std::string_view testcase_id) const {
  for (const auto& include : scope_version.includes) {
    const auto module =
        std::find_if(modules.begin(), modules.end(), [&](const auto& m) { return m.id == include.module; });
    if (module == modules.end()) continue;
    for (const auto& [target, ids] : module->targets) {
      if (std::find(ids.begin(), ids.end(), testcase_id) != ids.end()) return include.parameters;
    }
  }
  return {};
}

}  // namespace scs
