// `explain ID` ends with the files that implement the testcase: its line in the spec, the line
// registering its check, and the standard's tests; for an installed binary (no sources beside
// the standards) the spec as loaded and the registration as recorded at build time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "cli/list_command.hpp"
#include "tests/support/temp_env.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path source_dir = SCS_SOURCE_DIR;
const fs::path standards_dir = source_dir / "standards";

const scs::Registry& registry() {
  static const scs::Registry filled = [] {
    scs::Registry registry;
    scs::checks::register_all_checks(registry);
    return registry;
  }();
  return filled;
}

// The 1-based number of the first line of `file` that contains `text` (0 if none): the tests
// follow edits of the spec and the check file instead of pinning their line numbers.
int line_with(const fs::path& file, const std::string& text) {
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(text) != std::string::npos) return number;
  }
  return 0;
}

std::string explain(const std::string& scope_file, const std::string& id, const fs::path& standards) {
  const auto scope = scs::load_scope((standards_dir / "scopes" / scope_file).string());
  const auto bindings = scs::load_bindings(standards.string(), registry());
  std::ostringstream out;
  scs::print_explanation(scope, bindings, registry(), standards.string(), id, out);
  return out.str();
}

}  // namespace

TEST_CASE("explain names the spec line, the registration and the tests of an IaaS testcase",
          "[cli][explain]") {
  const auto text = explain("scs-compatible-iaas.yaml", "scs-0101-flavor-property", standards_dir);
  const auto spec_line = line_with(standards_dir / "scs-0101-entropy.yaml", "- id: scs-0101-flavor-property");
  const auto check_line =
      line_with(source_dir / "checks" / "scs_0101_entropy.cpp", R"(registry.add("flavor-hw-rng-allowed")");
  REQUIRE(spec_line > 0);
  REQUIRE(check_line > 0);
  const auto expected = fmt::format(
      "\nFiles (in {}):\n"
      "  {:<38}  the testcase\n"
      "  {:<38}  register_scs_0101() registers its check 'flavor-hw-rng-allowed'\n"
      "  tests/checks/scs_0101_entropy_test.cpp  the tests of scs-0101\n",
      source_dir.string(), fmt::format("standards/scs-0101-entropy.yaml:{}", spec_line),
      fmt::format("checks/scs_0101_entropy.cpp:{}", check_line));
  CHECK_THAT(text, Catch::Matchers::EndsWith(expected));
}

TEST_CASE("explain names the files of a KaaS testcase whose id has no standard number", "[cli][explain]") {
  const auto text = explain("scs-compatible-kaas.yaml", "version-policy-check", standards_dir);
  const auto spec_line =
      line_with(standards_dir / "scs-0210-k8s-version-policy.yaml", "- id: version-policy-check");
  const auto check_line = line_with(source_dir / "checks" / "scs_0210_k8s_version_policy.cpp",
                                    R"(registry.add("k8s-version-policy")");
  REQUIRE(spec_line > 0);
  REQUIRE(check_line > 0);
  const auto expected = fmt::format(
      "\nFiles (in {}):\n"
      "  {:<49}  the testcase\n"
      "  {:<49}  register_scs_0210() registers its check 'k8s-version-policy'\n"
      "  tests/checks/scs_0210_k8s_version_policy_test.cpp  the tests of scs-0210\n",
      source_dir.string(), fmt::format("standards/scs-0210-k8s-version-policy.yaml:{}", spec_line),
      fmt::format("checks/scs_0210_k8s_version_policy.cpp:{}", check_line));
  CHECK_THAT(text, Catch::Matchers::EndsWith(expected));
}

TEST_CASE("explain without the sources names the spec as loaded and the registration as built",
          "[cli][explain]") {
  // An installed binary: the standards alone, no checks/ or tests/ beside them.
  const scs::test::TempDir installed("scs-explain");
  const auto standards = installed / "share" / "standards";
  fs::create_directories(standards);
  for (const auto& entry : fs::directory_iterator(standards_dir)) {
    if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), standards / entry.path().filename());
  }
  const auto text = explain("scs-compatible-iaas.yaml", "scs-0101-flavor-property", standards);
  const auto spec_line = line_with(standards_dir / "scs-0101-entropy.yaml", "- id: scs-0101-flavor-property");
  const auto check_line =
      line_with(source_dir / "checks" / "scs_0101_entropy.cpp", R"(registry.add("flavor-hw-rng-allowed")");
  const auto spec = fmt::format("{}:{}", (standards / "scs-0101-entropy.yaml").string(), spec_line);
  const auto check = fmt::format("checks/scs_0101_entropy.cpp:{}", check_line);
  const auto width = std::max(spec.size(), check.size());
  CHECK_THAT(text, Catch::Matchers::EndsWith(fmt::format(
                       "\nFiles:\n  {:<{}}  the testcase\n  {:<{}}  register_scs_0101() registers its check "
                       "'flavor-hw-rng-allowed' (in the source repository)\n",
                       spec, width, check, width)));
}

TEST_CASE("explain of a testcase no standard binds says there are no files", "[cli][explain]") {
  const auto scope = scs::load_scope((standards_dir / "scopes" / "scs-compatible-iaas.yaml").string());
  const auto bindings = scs::load_bindings(standards_dir.string(), registry());
  const auto unbound =
      std::find_if(scope.testcases.begin(), scope.testcases.end(),
                   [&](const auto& testcase) { return bindings.find(testcase.id) == nullptr; });
  REQUIRE(unbound != scope.testcases.end());
  CHECK_THAT(
      explain("scs-compatible-iaas.yaml", unbound->id, standards_dir),
      Catch::Matchers::EndsWith(
          "\nFiles: none; no standards/*.yaml binds it (scripts/new-standard scaffolds a standard).\n"));
}
