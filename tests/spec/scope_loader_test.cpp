#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "spec/spec.hpp"
#include "support.hpp"

namespace {

using scs::test::spec_fixture;

std::vector<std::string> target(const scs::ScopeVersion& version, const std::string& name) {
  for (const auto& [target_name, ids] : version.targets) {
    if (target_name == name) return ids;
  }
  return {};
}

}  // namespace

TEST_CASE("a scope in the upstream format loads with every part", "[spec][scope]") {
  const auto scope = scs::load_scope(spec_fixture("scope-mini.yaml"));
  CHECK(scope.uuid == "00000000-0000-4000-8000-000000000001");
  CHECK(scope.name == "Test scope");
  CHECK(scope.url == "https://example.com/scope.yaml");
  CHECK(scope.file == spec_fixture("scope-mini.yaml"));

  SECTION("variables: names are required, single-key maps have defaults") {
    CHECK(scope.variables == std::vector<std::string>{"os_cloud"});
    CHECK(scope.var_defaults == std::map<std::string, std::string>{{"mode", "fast"}});
  }

  SECTION("testcases in file order, with defaults, manual when the script has no executable") {
    REQUIRE(scope.testcases.size() == 4);
    const auto& alpha = scope.testcases[0];
    CHECK(alpha.id == "tc-alpha");
    CHECK(alpha.description == "First automated testcase.");
    CHECK(alpha.url == "https://example.com/alpha");
    CHECK(alpha.lifetime == "week");
    CHECK_FALSE(alpha.section.has_value());
    CHECK_FALSE(alpha.manual);
    CHECK(alpha.source.line == 15);
    CHECK(scope.testcase("tc-beta")->lifetime == "month");
    CHECK(scope.testcase("tc-beta")->section == "heavy");
    CHECK(scope.testcase("tc-manual")->manual);
    CHECK(scope.testcase("tc-nope") == nullptr);
  }

  SECTION("modules keep targets in file order; parameters and missing targets") {
    REQUIRE(scope.modules.size() == 3);
    const auto& a = scope.modules[0];
    CHECK(a.id == "mod-a");
    CHECK(a.name == "Module A");
    REQUIRE(a.targets.size() == 2);
    CHECK(a.targets[0].first == "main");
    CHECK(a.targets[0].second == std::vector<std::string>{"tc-alpha", "tc-beta"});
    CHECK(a.targets[1].first == "recommended");
    CHECK(scope.modules[1].parameters ==
          std::map<std::string, std::string>{{"spec_url", "where the spec lives"}});
    CHECK(scope.modules[2].targets.empty());
  }

  SECTION("versions: includes in both forms, dates as written, targets as the union") {
    REQUIRE(scope.versions.size() == 2);
    const auto& v2 = scope.versions[0];
    CHECK(v2.name == "v2");
    CHECK(v2.stabilized_at == "2025-05-20");
    REQUIRE(v2.includes.size() == 3);
    CHECK(v2.includes[0].module == "mod-a");
    CHECK(v2.includes[0].parameters.empty());
    CHECK(v2.includes[1].module == "mod-b");
    CHECK(v2.includes[1].parameters.at("spec_url") == "https://example.com/spec-v2.yaml");
    // first-seen order: main from mod-a, then mod-b's main; targets in order of appearance
    CHECK(target(v2, "main") == std::vector<std::string>{"tc-alpha", "tc-beta", "tc-gamma"});
    CHECK(target(v2, "recommended") == std::vector<std::string>{"tc-gamma"});
    CHECK(target(v2, "preview") == std::vector<std::string>{"tc-manual", "tc-alpha"});
    REQUIRE(v2.targets.size() == 3);
    CHECK(v2.targets[0].first == "main");
    CHECK(v2.targets[1].first == "recommended");
    CHECK(v2.targets[2].first == "preview");
    CHECK(scope.parameters_for(v2, "tc-manual").at("spec_url") == "https://example.com/spec-v2.yaml");
    CHECK(scope.parameters_for(v2, "tc-beta").empty());

    const auto& v1 = *scope.version("v1");
    CHECK(target(v1, "main") == std::vector<std::string>{"tc-alpha", "tc-beta"});
  }

  SECTION("a testcase in several targets belongs to main for display") {
    const auto& v2 = *scope.version("v2");
    CHECK(scs::target_of(v2, "tc-gamma") == "main");  // main via mod-b, recommended via mod-a
    CHECK(scs::target_of(v2, "tc-alpha") == "main");  // main via mod-a, preview via mod-b
    CHECK(scs::target_of(v2, "tc-manual") == "preview");
    CHECK(scs::target_of(*scope.version("v1"), "tc-gamma") == "recommended");
    CHECK(scs::target_of(*scope.version("v1"), "tc-manual").empty());
  }

  SECTION("timeline entries in file order, dates kept as text") {
    REQUIRE(scope.timeline.size() == 3);
    CHECK(scope.timeline[1].date == "2025-06-01");
    CHECK(scope.timeline[1].versions ==
          std::map<std::string, std::string>{{"v1", "warn"}, {"v2", "effective"}});
  }
}

TEST_CASE("scope loader errors name the file, the line and the cause", "[spec][scope]") {
  struct Case {
    const char* name;
    int first, last;          // lines of scope-mini.yaml to replace
    const char* replacement;  // "" deletes them
    const char* expected;     // message after "<path>:"
  };
  // clang-format off
  const Case cases[] = {
    {"unknown module key", 31, 31, "    tragets:",
     "31: unknown key 'tragets' in module 'mod-a' (allowed: id, name, url, parameters, targets)"},
    {"unknown top-level key", 49, 49, "timelines:",
     "49: unknown key 'timelines' at top level (allowed: uuid, name, url, versions, prerequisite, variables, scripts, modules, timeline)"},
    {"unknown script key", 11, 11, "  arg: -c {os_cloud} {testcases}",
     "11: unknown key 'arg' in script './run.py' (allowed: executable, env, args, testcases)"},
    {"unknown testcase key (tags do not exist)", 20, 20, "    tags: [heavy]",
     "20: unknown key 'tags' in testcase 'tc-beta' (allowed: id, description, url, lifetime, section)"},
    {"unknown version key", 62, 62, "    stabilised_at: 2025-05-20",
     "62: unknown key 'stabilised_at' in version 'v2' (allowed: version, include, targets, stabilized_at)"},
    {"unknown include key", 66, 66, "        params:",
     "66: unknown key 'params' in include #2 of version 'v2' (allowed: ref, parameters)"},
    {"unknown timeline key", 51, 51, "    version:",
     "51: unknown key 'version' in timeline entry 2024-01-01 (allowed: date, versions)"},
    {"duplicate key", 29, 29, "    name: Module A\n    name: Module A again",
     "30: duplicate key 'name' in module 'mod-a'"},
    {"duplicate testcase id", 21, 21, "  - id: tc-alpha",
     "21: duplicate testcase id 'tc-alpha' (first defined at line 15)"},
    {"duplicate module id", 47, 47, "  - id: mod-a",
     "47: duplicate module id 'mod-a' (first defined at line 28)"},
    {"duplicate version", 69, 69, "  - version: v2",
     "69: duplicate version 'v2'"},
    {"target names an unknown testcase", 34, 34, "      - tc-betta",
     "34: target 'main' of module 'mod-a' names unknown testcase 'tc-betta'"},
    {"testcase listed twice in one target", 34, 34, "      - tc-alpha",
     "34: target 'main' of module 'mod-a' lists testcase 'tc-alpha' twice"},
    {"include names an unknown module", 68, 68, "      - mod-missing",
     "68: version 'v2' includes unknown module 'mod-missing'"},
    {"module included twice", 68, 68, "      - mod-a",
     "68: version 'v2' includes module 'mod-a' twice"},
    {"timeline names an unknown version", 55, 55, "      v3: effective",
     "55: timeline entry 2025-06-01 names unknown version 'v3'"},
    {"invalid validity", 56, 56, "      v1: warning",
     "56: invalid validity 'warning' for version 'v1' in timeline entry 2025-06-01 (allowed: effective, warn, deprecated, draft)"},
    {"two timeline entries for one date", 57, 57, "  - date: 2024-01-01",
     "57: two timeline entries for 2024-01-01"},
    {"invalid date", 62, 62, "    stabilized_at: 2025-02-30",
     "62: invalid date '2025-02-30' for 'stabilized_at' in version 'v2' (expected YYYY-MM-DD)"},
    {"date in another format", 50, 50, "  - date: 1.1.2024",
     "50: invalid date '1.1.2024' for 'date' in timeline entry 1.1.2024 (expected YYYY-MM-DD)"},
    {"invalid lifetime", 22, 22, "    lifetime: daily",
     "22: invalid lifetime 'daily' in testcase 'tc-gamma' (allowed: day, week, month, quarter, year)"},
    {"a string where a list is expected (target)", 35, 36, "      recommended: tc-gamma",
     "35: expected a list for target 'recommended' of module 'mod-a', found a string"},
    {"a string where a list is expected (include)", 71, 72, "    include: mod-a",
     "71: expected a list for 'include' in version 'v1', found a string"},
    {"a list where a string is expected", 3, 3, "name: [Test scope]",
     "3: expected a string for 'name' at top level, found a list"},
    {"an empty target", 35, 36, "      recommended:",
     "35: expected a list for target 'recommended' of module 'mod-a', found nothing"},
    {"a parameter the module does not declare", 67, 67, "          spec_uri: https://example.com/spec-v2.yaml",
     "65: version 'v2' sets unknown parameter 'spec_uri' of module 'mod-b'"},
    {"a variable map with two keys", 8, 8, "  - {mode: fast, speed: high}",
     "8: a variable with a default must be a map with exactly one key"},
    {"a variable declared twice", 8, 8, "  - os_cloud: x",
     "8: variable 'os_cloud' declared twice"},
    {"a missing required key", 4, 4, "",
     "3: missing key 'uuid' at top level"},
    {"a missing testcase id", 25, 26, "  - description: no id",
     "25: missing key 'id' in a testcase"},
    {"malformed YAML (a second colon)", 29, 29, "    name: Module: A",
     "29: invalid YAML: illegal map value"},
    {"malformed YAML (bad indentation)", 30, 30, "   url: https://example.com/a",
     "30: invalid YAML: end of sequence not found"},
  };
  // clang-format on
  const auto original = scs::test::read_text(spec_fixture("scope-mini.yaml"));
  int index = 0;
  for (const auto& c : cases) {
    SECTION(c.name) {
      const auto path =
          scs::test::write_temp("scope-error-" + std::to_string(index) + ".yaml",
                                scs::test::replace_lines(original, c.first, c.last, c.replacement));
      REQUIRE_THROWS_MATCHES(scs::load_scope(path), scs::SpecError,
                             Catch::Matchers::Message(path + ":" + c.expected));
    }
    ++index;
  }
}

TEST_CASE("scope files that cannot be read or are not a map", "[spec][scope]") {
  const auto missing = spec_fixture("no-such-scope.yaml");
  REQUIRE_THROWS_MATCHES(scs::load_scope(missing), scs::SpecError,
                         Catch::Matchers::Message(missing + ": cannot read file"));

  const auto list = scs::test::write_temp("scope-list.yaml", "- a\n- b\n");
  REQUIRE_THROWS_MATCHES(scs::load_scope(list), scs::SpecError,
                         Catch::Matchers::Message(list + ":1: expected a map for the scope, found a list"));

  const auto empty = scs::test::write_temp("scope-empty.yaml", "# nothing here\n");
  REQUIRE_THROWS_MATCHES(scs::load_scope(empty), scs::SpecError,
                         Catch::Matchers::Message(empty + ":1: expected a map for the scope, found nothing"));
}

TEST_CASE("a module parameter left unassigned is an error", "[spec][scope]") {
  const auto original = scs::test::read_text(spec_fixture("scope-mini.yaml"));
  // delete "parameters:" and its one entry below "- ref: mod-b"
  const auto path = scs::test::write_temp(
      "scope-unassigned.yaml", scs::test::replace_line(scs::test::replace_line(original, 67, ""), 66, ""));
  REQUIRE_THROWS_MATCHES(
      scs::load_scope(path), scs::SpecError,
      Catch::Matchers::Message(
          path + ":65: version 'v2' includes module 'mod-b' without a value for parameter 'spec_url'"));
}

TEST_CASE("a module may list its parameters as names", "[spec][scope]") {
  const auto text =
      scs::test::replace_line(scs::test::read_text(spec_fixture("scope-mini.yaml")), 40, "      - spec_url");
  const auto scope = scs::load_scope(scs::test::write_temp("scope-param-list.yaml", text));
  CHECK(scope.modules[1].parameters == std::map<std::string, std::string>{{"spec_url", ""}});
}

TEST_CASE("run with include-recommended adds each included module's -rec companion, with its parameters",
          "[spec][scope]") {
  const auto official =
      scs::load_scope(std::string(SCS_SOURCE_DIR) + "/standards/scopes/scs-compatible-iaas.yaml");
  const auto scope = scs::with_recommended_companions(official);
  const auto* before = official.version("v5.1");
  const auto* after = scope.version("v5.1");
  REQUIRE(before != nullptr);
  REQUIRE(after != nullptr);

  // The main target is untouched: recommended testcases never decide.
  CHECK(target(*after, "main") == target(*before, "main"));
  const auto recommended = target(*after, "recommended");
  CHECK(target(*before, "recommended").empty());
  CHECK(std::find(recommended.begin(), recommended.end(), "scs-0103-flavor-16v-64") != recommended.end());
  CHECK(std::find(recommended.begin(), recommended.end(), "scs-0102-prop-hash_algo") != recommended.end());

  // scs-0104-v1-2-rec gets the image_spec v5.1 passes to scs-0104-v1-2.
  const auto rec_image = std::find_if(recommended.begin(), recommended.end(), [](const std::string& id) {
    return id.starts_with("scs-0104-image-");
  });
  REQUIRE(rec_image != recommended.end());
  CHECK(scope.parameters_for(*after, *rec_image).contains("image_spec"));

  // A companion already included is not added twice; applying it again changes nothing.
  const auto twice = scs::with_recommended_companions(scope);
  CHECK(target(*twice.version("v5.1"), "recommended") == recommended);
  CHECK(twice.version("v5.1")->includes.size() == after->includes.size());
}
