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

Scope with_recommended_companions(Scope scope) {
  const auto find_module = [&](std::string_view id) {
    const auto it =
        std::find_if(scope.modules.begin(), scope.modules.end(), [&](const auto& m) { return m.id == id; });
    return it == scope.modules.end() ? nullptr : &*it;
  };
  for (auto& version : scope.versions) {
    const auto original_includes = version.includes;
    for (const auto& include : original_includes) {
      const std::string companion_id = include.module + "-rec";
      const auto* companion = find_module(companion_id);
      const bool included = std::any_of(version.includes.begin(), version.includes.end(),
                                        [&](const auto& other) { return other.module == companion_id; });
      if (companion == nullptr || included) continue;
      version.includes.push_back({companion_id, include.parameters});
      for (const auto& entry : companion->targets) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const auto& target = entry.first;
        const auto& ids = entry.second;
        auto it = std::find_if(version.targets.begin(), version.targets.end(),
                               [&](const auto& t) { return t.first == target; });
        if (it == version.targets.end()) it = version.targets.insert(version.targets.end(), {target, {}});
        for (const auto& id : ids) {
          if (std::find(it->second.begin(), it->second.end(), id) == it->second.end())
            it->second.push_back(id);
        }
      }
    }
  }
  return scope;
}

}  // namespace scs
