// The guard over the whole standards/ corpus: every spec key binds to a registered check, every
// check is used, every bound testcase belongs to one of our scopes, every check plugin has its
// tests, and the IaaS scope's testcases of the implemented standards are all bound.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "cli/list_command.hpp"
#include "core/registry.hpp"
#include "run/plan.hpp"
#include "spec/spec.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path source_dir = SCS_SOURCE_DIR;
const fs::path standards_dir = source_dir / "standards";
const fs::path iaas_scope = standards_dir / "scopes" / "scs-compatible-iaas.yaml";
const fs::path kaas_scope = standards_dir / "scopes" / "scs-compatible-kaas.yaml";
const fs::path extras_scope = standards_dir / "scopes" / "scs-conformance-extras.yaml";
const fs::path kaas_extras_scope = standards_dir / "scopes" / "scs-conformance-kaas-extras.yaml";

std::vector<fs::path> files_in(const fs::path& dir, const std::regex& name) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && std::regex_match(entry.path().filename().string(), name)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

const scs::Registry& registry() {
  static const scs::Registry filled = [] {
    scs::Registry registry;
    scs::checks::register_all_checks(registry);
    return registry;
  }();
  return filled;
}

std::string where(const scs::TestcaseBinding& binding) {
  return fmt::format("{}:{} ({})", binding.source.file, binding.source.line, binding.id);
}

std::set<std::string> kaas_official_ids() {
  std::set<std::string> ids;
  for (const auto& testcase : scs::load_scope(kaas_scope.string()).testcases) ids.insert(testcase.id);
  return ids;
}

/// "scs-0103" of "scs-0103-flavor-2v-4".
std::string standard_of(std::string_view id) { return std::string(id.substr(0, 8)); }

}  // namespace

TEST_CASE("every standards/*.yaml loads, and its file name and ids match its standard") {
  const auto files = files_in(standards_dir, std::regex(R"(.*\.ya?ml)"));
  REQUIRE_FALSE(files.empty());
  for (const auto& file : files) {
    INFO(file.string());
    scs::Standard standard;
    REQUIRE_NOTHROW(standard = scs::load_standard(file.string()));
    CHECK(file.extension() == ".yaml");  // load_standards() reads only .yaml: a .yml would be ignored
    CHECK(file.filename().string().starts_with(standard.id + "-"));
    CHECK_FALSE(standard.testcases.empty());
    for (const auto& binding : standard.testcases) {
      INFO(where(binding));
      // The official KaaS testcases have ids of their own ("version-policy-check").
      CHECK((binding.id.starts_with(standard.id + "-") || kaas_official_ids().count(binding.id) == 1));
      CHECK_FALSE(binding.title.empty());
      CHECK_FALSE(binding.description.empty());
      CHECK_FALSE(binding.remediation.empty());
    }
  }
  CHECK_NOTHROW(scs::load_standards(standards_dir.string()));
}

TEST_CASE("every binding names a registered check") {
  const auto standards = scs::load_standards(standards_dir.string());
  for (const auto& standard : standards) {
    for (const auto& binding : standard.testcases) {
      INFO(where(binding) << " names the check '" << binding.check << "'");
      CHECK(registry().find(binding.check) != nullptr);
    }
  }
  CHECK_NOTHROW(scs::load_bindings(standards_dir.string(), registry()));
}

TEST_CASE("every registered check is used by at least one binding") {
  std::set<std::string> used;
  for (const auto& standard : scs::load_standards(standards_dir.string())) {
    for (const auto& binding : standard.testcases) used.insert(binding.check);
  }
  const auto keys = registry().keys();
  REQUIRE_FALSE(keys.empty());
  for (const auto& key : keys) {
    INFO("the check '" << key << "' is registered but no standards/*.yaml binds a testcase to it");
    CHECK(used.count(key) == 1);
  }
}

TEST_CASE("every testcase bound in standards/ is a testcase of one of our scopes") {
  const auto iaas = scs::load_scope(iaas_scope.string());
  const auto kaas = scs::load_scope(kaas_scope.string());
  const auto extras = scs::load_scope(extras_scope.string());
  const auto kaas_extras = scs::load_scope(kaas_extras_scope.string());  // ours: scs-0211 and the like
  for (const auto& standard : scs::load_standards(standards_dir.string())) {
    for (const auto& binding : standard.testcases) {
      INFO(where(binding) << " is in no scope: a typo in the id, or a testcase the scopes dropped");
      CHECK((iaas.testcase(binding.id) != nullptr || kaas.testcase(binding.id) != nullptr ||
             extras.testcase(binding.id) != nullptr || kaas_extras.testcase(binding.id) != nullptr));
    }
  }
}

TEST_CASE("every check plugin checks/scs_*.cpp has its tests/checks/scs_*_test.cpp") {
  const auto plugins = files_in(source_dir / "checks", std::regex(R"(scs_\d{4}_.*\.cpp)"));
  REQUIRE_FALSE(plugins.empty());
  for (const auto& plugin : plugins) {
    const auto test = source_dir / "tests" / "checks" / (plugin.stem().string() + "_test.cpp");
    INFO(plugin.string() << " needs " << test.string());
    CHECK(fs::is_regular_file(test));
  }
}

TEST_CASE("every automated IaaS testcase of an implemented standard is bound, and `list` says so") {
  const auto scope = scs::load_scope(iaas_scope.string());
  const auto bindings = scs::load_bindings(standards_dir.string(), registry());

  // The standards this tool implements: those with a standards/ file.
  std::set<std::string> implemented_standards;
  for (const auto& standard : bindings.standards) implemented_standards.insert(standard.id);
  REQUIRE(implemented_standards.count("scs-0100") == 1);
  REQUIRE(implemented_standards.count("scs-0103") == 1);
  REQUIRE(implemented_standards.count("scs-0123") == 1);

  std::size_t bound = 0;
  std::size_t expected = 0;
  for (const auto& testcase : scope.testcases) {
    if (bindings.find(testcase.id) != nullptr) ++bound;
    if (testcase.manual || implemented_standards.count(standard_of(testcase.id)) == 0) continue;
    ++expected;
    INFO(testcase.id << " belongs to an implemented standard but has no binding");
    CHECK(bindings.find(testcase.id) != nullptr);
  }
  CHECK(expected > 0);
  CHECK(bound >= expected);

  // `scs-conformance list` counts and marks the same testcases.
  std::ostringstream listing;
  scs::print_scope_listing(scope, bindings, "2026-11-26", listing);
  const auto text = listing.str();
  INFO(text);
  CHECK_THAT(text, Catch::Matchers::Contains(
                       fmt::format("{} of {} testcases implemented.", bound, scope.testcases.size())));
  for (const auto& testcase : scope.testcases) {
    if (bindings.find(testcase.id) == nullptr) continue;
    INFO(testcase.id);
    CHECK(std::regex_search(text, std::regex(fmt::format(R"(\n  {}\s+implemented\s)", testcase.id))));
  }
}
