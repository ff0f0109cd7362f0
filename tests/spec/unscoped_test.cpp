#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "spec/spec.hpp"

namespace {

std::vector<std::string> target(const scs::ScopeVersion& version, std::string_view name) {
  for (const auto& [target_name, ids] : version.targets) {
    if (target_name == name) return ids;
  }
  return {};
}

}  // namespace

TEST_CASE("run with include-unscoped adds the testcases no module lists, in a target of their own",
          "[spec][scope]") {
  const auto official =
      scs::load_scope(std::string(SCS_SOURCE_DIR) + "/standards/scopes/scs-compatible-iaas.yaml");
  const auto scope = scs::with_unscoped_testcases(official);
  const auto* before = official.version("v5.1");
  const auto* after = scope.version("v5.1");
  REQUIRE(before != nullptr);
  REQUIRE(after != nullptr);

  CHECK(target(*after, "main") == target(*before, "main"));
  const auto unscoped = target(*after, "unscoped");
  for (const auto* id : {"scs-0101-rngd", "scs-0101-flavor-property", "scs-0101-image-property"}) {
    INFO(id);
    CHECK(std::find(unscoped.begin(), unscoped.end(), id) != unscoped.end());
  }
  // Nothing a module lists (main or recommended companion) is unscoped.
  for (const auto& module : official.modules) {
    for (const auto& [name, ids] : module.targets) {
      for (const auto& id : ids) CHECK(std::find(unscoped.begin(), unscoped.end(), id) == unscoped.end());
    }
  }
  REQUIRE(scope.versions.size() == official.versions.size());
  for (const auto& version : scope.versions) CHECK(target(version, "unscoped") == unscoped);
}

TEST_CASE("include-unscoped leaves a scope whose modules list every testcase alone", "[spec][scope]") {
  const auto kaas =
      scs::load_scope(std::string(SCS_SOURCE_DIR) + "/standards/scopes/scs-conformance-kaas-extras.yaml");
  const auto scope = scs::with_unscoped_testcases(kaas);
  CHECK(scope.modules.size() == kaas.modules.size());
  REQUIRE_FALSE(scope.versions.empty());
  CHECK(target(scope.versions.front(), "unscoped").empty());
}
