// The guard over the whole standards/ corpus: every spec key binds to a registered check, every
// check is used, every bound testcase belongs to one of our scopes, each standard has exactly one
// check file (its one registration point) and one test file named after it, `explain` names them
// for every testcase, and the IaaS scope's testcases of the implemented standards are all bound.

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
#include "core/files.hpp"
#include "core/registry.hpp"
#include "run/plan.hpp"
#include "spec/spec.hpp"
#include "spec/standard_files.hpp"

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

/// Repository-relative paths of the files in `folder` whose name matches.
std::set<std::string> repository_files(const std::string& folder, const std::regex& name) {
  std::set<std::string> files;
  for (const auto& file : files_in(source_dir / folder, name))
    files.insert(file.lexically_relative(source_dir).string());
  return files;
}

std::set<std::string> names_in(const std::string& text, const std::regex& name) {
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it)
    names.insert(it->str());
  return names;
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

TEST_CASE("checks read only through their Context: no environment, file or program of their own") {
  // The Context's clients, data_file() and processes() are recorded and replayed; a getenv, a
  // file read or a program started beside them would make a check's verdict depend on the
  // machine and escape every recording. (Writing results where the scope says, like the e2e
  // runner's kept logs, is a check's output, not its input.)
  const std::regex forbidden(
      R"(\bgetenv\b|std::ifstream|\bfopen\b|\bread_file\(|\brun_process\(|std::system\(|\bpopen\(|)"
      R"("core/data_dir\.hpp"|"clients/process/subprocess\.hpp")");
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir / "checks")) {
    const auto extension = entry.path().extension();
    if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".hpp")) continue;
    ++files;
    std::istringstream lines(scs::read_file(entry.path()));
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
      std::smatch found;
      if (std::regex_search(line, found, forbidden)) {
        FAIL(fmt::format("{}:{} uses {}: go through the Context (context.data_file, context.processes)",
                         entry.path().lexically_relative(source_dir).string(), number, found.str()));
      }
    }
  }
  CHECK(files > 30);
}

TEST_CASE("every binding names a registered check") {
  const auto standards = scs::load_standards(standards_dir.string());
  REQUIRE(standards.size() >= 10);
  std::size_t checked = 0;
  for (const auto& standard : standards) {
    for (const auto& binding : standard.testcases) {
      INFO(where(binding) << " names the check '" << binding.check << "'");
      CHECK(registry().find(binding.check) != nullptr);
      ++checked;
    }
  }
  CHECK(checked >= 50);
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
  std::size_t checked = 0;
  for (const auto& standard : scs::load_standards(standards_dir.string())) {
    for (const auto& binding : standard.testcases) {
      INFO(where(binding) << " is in no scope: a typo in the id, or a testcase the scopes dropped");
      CHECK((iaas.testcase(binding.id) != nullptr || kaas.testcase(binding.id) != nullptr ||
             extras.testcase(binding.id) != nullptr || kaas_extras.testcase(binding.id) != nullptr));
      ++checked;
    }
  }
  CHECK(checked >= 50);
}

TEST_CASE("each standard has one check file and one test file named after it, and no other") {
  std::set<std::string> checks, tests;
  for (const auto& spec : files_in(standards_dir, std::regex(R"(scs-\d{4}-.*\.yaml)"))) {
    const auto files = scs::standard_files(spec.string());
    if (!files) {
      FAIL_CHECK(fmt::format("{}: name it scs-NNNN-words.yaml (lowercase words)", spec.string()));
      continue;
    }
    checks.insert(files->check);
    tests.insert(files->tests);
    if (!fs::is_regular_file(source_dir / files->check)) {
      FAIL_CHECK(fmt::format("{} has no check file {} (its name with underscores for dashes)", files->spec,
                             files->check));
    } else if (!std::regex_search(
                   scs::read_file(source_dir / files->check),
                   std::regex(fmt::format(R"(\bvoid {}\(Registry& )", files->registration_function)))) {
      FAIL_CHECK(fmt::format("{} does not define {}(Registry&), the registration of {}", files->check,
                             files->registration_function, files->spec));
    }
    if (!fs::is_regular_file(source_dir / files->tests))
      FAIL_CHECK(fmt::format("{} has no test file {}", files->spec, files->tests));
  }
  REQUIRE_FALSE(checks.empty());
  // A second file of a standard (scs_0101_entropy_vm.cpp) hides where its checks are; code the
  // standard's checks share goes to a helper without a standard number (checks/entropy_vm.cpp).
  for (const auto& check : repository_files("checks", std::regex(R"(scs_\d{4}_.*\.cpp)"))) {
    if (checks.count(check) == 0)
      FAIL_CHECK(
          fmt::format("{} is the check file of no standard: no standards/ file has its name (code "
                      "shared by a standard's checks goes to a file without a standard number)",
                      check));
  }
  for (const auto& test : repository_files("tests/checks", std::regex(R"(scs_\d{4}_.*_test\.cpp)"))) {
    if (tests.count(test) == 0)
      FAIL_CHECK(fmt::format("{} is the test file of no standard: no standards/ file has its name", test));
  }
}

TEST_CASE("checks.hpp declares one registration function per standard, and all.cpp calls each") {
  std::set<std::string> expected;
  for (const auto& spec : files_in(standards_dir, std::regex(R"(scs-\d{4}-.*\.yaml)"))) {
    if (const auto files = scs::standard_files(spec.string())) expected.insert(files->registration_function);
  }
  const auto declared =
      names_in(scs::read_file(source_dir / "checks" / "checks.hpp"), std::regex(R"(\bregister_scs_\w+)"));
  const auto called =
      names_in(scs::read_file(source_dir / "checks" / "all.cpp"), std::regex(R"(\bregister_scs_\w+)"));
  for (const auto& name : declared) {
    if (expected.count(name) == 0)
      FAIL_CHECK(fmt::format("checks/checks.hpp declares {}, which belongs to no standards/ file", name));
  }
  for (const auto& name : expected) {
    if (declared.count(name) == 0) FAIL_CHECK(fmt::format("checks/checks.hpp does not declare {}", name));
    if (called.count(name) == 0) FAIL_CHECK(fmt::format("checks/all.cpp does not call {}", name));
  }
  // Something was compared: the standards have registration functions, declared and called.
  CHECK(expected.size() >= 10);
  CHECK(declared == expected);
  CHECK(called == expected);
}

TEST_CASE("every testcase's check is registered by its standard's check file") {
  std::size_t checked = 0;
  for (const auto& standard : scs::load_standards(standards_dir.string())) {
    const auto files = scs::standard_files(standard.source.file);
    REQUIRE(files.has_value());
    for (const auto& binding : standard.testcases) {
      const auto* registered = registry().registered_at(binding.check);
      REQUIRE(registered != nullptr);
      if (registered->file_name() != files->check) {
        FAIL_CHECK(fmt::format("{} binds the check '{}', which {}:{} registers, not {}", where(binding),
                               binding.check, registered->file_name(), registered->line(), files->check));
      }
      ++checked;
    }
  }
  CHECK(checked >= 50);
}

TEST_CASE("`explain` names the files of every testcase of every scope") {
  const auto bindings = scs::load_bindings(standards_dir.string(), registry());
  const auto scopes = files_in(standards_dir / "scopes", std::regex(R"(.*\.yaml)"));
  REQUIRE(scopes.size() >= 4);
  std::size_t explained = 0;
  for (const auto& scope_file : scopes) {
    const auto scope = scs::load_scope(scope_file.string());
    explained += scope.testcases.size();
    for (const auto& testcase : scope.testcases) {
      std::ostringstream out;
      REQUIRE_NOTHROW(
          scs::print_explanation(scope, bindings, registry(), standards_dir.string(), testcase.id, out));
      const auto text = out.str();
      INFO(scope_file.string() << ": explain " << testcase.id << "\n" << text);
      const auto* binding = bindings.find(testcase.id);
      if (binding == nullptr) {
        CHECK_THAT(text, Catch::Matchers::Contains("Files: none"));
        continue;
      }
      const auto files = scs::standard_files(binding->source.file);
      REQUIRE(files.has_value());
      CHECK_THAT(text,
                 Catch::Matchers::Contains(fmt::format("\n  {}:{} ", files->spec, binding->source.line)));
      CHECK_THAT(text, Catch::Matchers::Contains(fmt::format("\n  {}:", files->check)));
      CHECK_THAT(text, Catch::Matchers::Contains(fmt::format("\n  {} ", files->tests)));
    }
  }
  CHECK(explained >= 50);
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
  REQUIRE(bound > 0);
  for (const auto& testcase : scope.testcases) {
    if (bindings.find(testcase.id) == nullptr) continue;
    INFO(testcase.id);
    CHECK(std::regex_search(text, std::regex(fmt::format(R"(\n  {}\s+implemented\s)", testcase.id))));
  }
}
