// Our scope files must mean exactly what the official ones mean: same uuid, testcases (with
// lifetime, section, manual), modules, versions, targets and timeline; only the prose differs.
// The official files live beside the clone (../shared/reference/Tests, as in CI) or where
// SCS_REFERENCE_DIR points; without them these tests fail, naming where they looked (a missing
// input is an error, never a pass).

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <tuple>

#include "spec/spec.hpp"

namespace {

std::string reference_dir() {
  if (const char* dir = std::getenv("SCS_REFERENCE_DIR")) return dir;
  return std::string(SCS_SOURCE_DIR) + "/../shared/reference";
}

std::string official(const std::string& name) { return reference_dir() + "/Tests/" + name; }
std::string ours(const std::string& name) {
  return std::string(SCS_SOURCE_DIR) + "/standards/scopes/" + name;
}

using TestcaseFacts = std::map<std::string, std::tuple<std::string, std::optional<std::string>, bool>>;

TestcaseFacts testcase_facts(const scs::Scope& scope) {
  TestcaseFacts facts;
  for (const auto& t : scope.testcases) facts[t.id] = {t.lifetime, t.section, t.manual};
  return facts;
}

std::vector<std::string> main_target(const scs::ScopeVersion& version) {
  for (const auto& [name, ids] : version.targets) {
    if (name == "main") return ids;
  }
  return {};
}

void require_same_meaning(const scs::Scope& theirs, const scs::Scope& mine) {
  // two empty scopes would compare equal: the official one must have something to compare
  REQUIRE(theirs.testcases.size() >= 3);
  REQUIRE(theirs.modules.size() >= 3);
  REQUIRE_FALSE(theirs.versions.empty());
  REQUIRE_FALSE(theirs.timeline.empty());
  CHECK(mine.uuid == theirs.uuid);
  CHECK(mine.name == theirs.name);
  CHECK(mine.variables == theirs.variables);
  CHECK(mine.var_defaults == theirs.var_defaults);
  CHECK(testcase_facts(mine) == testcase_facts(theirs));

  REQUIRE(mine.modules.size() == theirs.modules.size());
  for (std::size_t i = 0; i < mine.modules.size(); ++i) {
    const auto &a = theirs.modules[i], &b = mine.modules[i];
    CAPTURE(a.id);
    CHECK(b.id == a.id);
    CHECK(b.url == a.url);
    CHECK(b.targets == a.targets);
    std::vector<std::string> names_a, names_b;
    for (const auto& [name, description] : a.parameters) names_a.push_back(name);
    for (const auto& [name, description] : b.parameters) names_b.push_back(name);
    CHECK(names_b == names_a);
  }

  REQUIRE(mine.versions.size() == theirs.versions.size());
  for (std::size_t i = 0; i < mine.versions.size(); ++i) {
    const auto &a = theirs.versions[i], &b = mine.versions[i];
    CAPTURE(a.name);
    CHECK(b.name == a.name);
    CHECK(b.stabilized_at == a.stabilized_at);
    REQUIRE(b.includes.size() == a.includes.size());
    for (std::size_t k = 0; k < a.includes.size(); ++k) {
      CHECK(b.includes[k].module == a.includes[k].module);
      CHECK(b.includes[k].parameters == a.includes[k].parameters);
    }
    CHECK(b.targets == a.targets);
    CHECK(main_target(b) == main_target(a));
  }

  REQUIRE(mine.timeline.size() == theirs.timeline.size());
  for (std::size_t i = 0; i < mine.timeline.size(); ++i) {
    CHECK(mine.timeline[i].date == theirs.timeline[i].date);
    CHECK(mine.timeline[i].versions == theirs.timeline[i].versions);
  }
}

// Fails the test when the official file is missing: nothing compared is not a pass.
std::string require_official(const std::string& name) {
  const auto path = official(name);
  if (!std::filesystem::is_regular_file(path)) {
    FAIL("the official scope file " << path << " is missing (clone SovereignCloudStack/standards to "
                                    << reference_dir() << " or set SCS_REFERENCE_DIR)");
  }
  return path;
}

}  // namespace

TEST_CASE("the official IaaS scope loads unchanged and means what we think", "[spec][official]") {
  const auto scope = scs::load_scope(require_official("scs-compatible-iaas.yaml"));
  CHECK(scope.uuid == "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f");
  CHECK(scope.variables == std::vector<std::string>{"os_cloud"});
  CHECK(main_target(*scope.version("next")).size() == 55);
  CHECK(main_target(*scope.version("v5.1")).size() == 54);
  CHECK(main_target(*scope.version("v4")).size() == 39);
  CHECK(main_target(*scope.version("v3")).size() == 16);
  CHECK(scope.testcase("domain-manager-check")->manual);
  CHECK_FALSE(scope.testcase("scs-0100-syntax-check")->manual);
  const auto v51 = scope.version("v5.1");
  CHECK(scope.parameters_for(*v51, "scs-0104-source-debian-12")
            .at("image_spec")
            .ends_with("scs-0104-v1-images-v5.yaml"));

  const auto in_force = scs::versions_in_force(scope, "2026-08-21");
  REQUIRE(in_force.size() == 4);
  CHECK(
      (in_force[0].version == "next" && in_force[0].validity == "draft" && in_force[0].explicit_in_timeline));
  CHECK((in_force[1].version == "v5.1" && in_force[1].validity == "effective"));
  CHECK((in_force[2].version == "v4" && in_force[2].validity == "deprecated" &&
         !in_force[2].explicit_in_timeline));
  // the day before the 2026-06-11 entry, v4 and v3 are still named (explicitly deprecated)
  CHECK(scs::versions_in_force(scope, "2026-06-10")[2].explicit_in_timeline);
  CHECK(scs::versions_in_force(scope, "2025-03-01")[2].validity == "warn");
}

TEST_CASE("the official KaaS scope loads unchanged and means what we think", "[spec][official]") {
  const auto scope = scs::load_scope(require_official("scs-compatible-kaas.yaml"));
  CHECK(scope.variables == std::vector<std::string>{"subject_root", "kubeconfig"});
  CHECK(scope.var_defaults == std::map<std::string, std::string>{{"execution_mode", "parallel"}});
  CHECK(main_target(*scope.version("v1")) ==
        std::vector<std::string>{"cncf-k8s-conformance", "version-policy-check", "kaas-networking-check"});
  CHECK(scope.testcase("cncf-k8s-conformance")->lifetime == "year");
  CHECK(scope.testcase("node-distribution-check")->manual);
  CHECK(scs::versions_in_force(scope, "2024-11-25")[0].validity == "draft");
  CHECK(scs::versions_in_force(scope, "2024-11-26")[0].validity == "effective");
}

TEST_CASE("our IaaS scope means exactly what the official one means", "[spec][official]") {
  const auto mine = scs::load_scope(ours("scs-compatible-iaas.yaml"));
  require_same_meaning(scs::load_scope(require_official("scs-compatible-iaas.yaml")), mine);
}

TEST_CASE("our KaaS scope means exactly what the official one means", "[spec][official]") {
  const auto mine = scs::load_scope(ours("scs-compatible-kaas.yaml"));
  require_same_meaning(scs::load_scope(require_official("scs-compatible-kaas.yaml")), mine);
}
