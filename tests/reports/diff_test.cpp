// `diff`: two reports read back from our renderers' own output (JSON and YAML), compared.
// Goldens: tests/reports/golden/diff.{txt,md,json} (rewrite with SCS_UPDATE_GOLDEN=1).

#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/errors.hpp"
#include "core/files.hpp"
#include "reports/renderers.hpp"
#include "reports/report_diff.hpp"
#include "sample_reports.hpp"

namespace {

std::optional<scs::Scope> sample_scope_by_uuid(const std::string& uuid) {
  auto scope = scs::test::sample_scope();
  scope.uuid = "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f";
  if (uuid == scope.uuid) return scope;
  return std::nullopt;
}

scs::ReportSummary json_summary(const scs::Report& report, const std::string& name) {
  return scs::read_report_summary(scs::render_json(report), name, sample_scope_by_uuid);
}

scs::ReportSummary yaml_summary(const scs::Report& report, const std::string& name) {
  return scs::read_report_summary(scs::render_yaml(report), name, sample_scope_by_uuid);
}

std::vector<std::string> names(const std::vector<scs::Change>& changes) {
  std::vector<std::string> out;
  for (const auto& change : changes) out.push_back(change.name + " " + change.before + ">" + change.after);
  return out;
}

void check_golden(const std::string& name, const std::string& actual) {
  const auto path = std::string(SCS_SOURCE_DIR) + "/tests/reports/golden/" + name;
  if (const char* update = std::getenv("SCS_UPDATE_GOLDEN");
      update != nullptr && std::string(update) == "1") {
    scs::write_file(path, actual);
    WARN("rewrote " << path);
  }
  INFO("golden file " << path << " (rewrite with SCS_UPDATE_GOLDEN=1)");
  CHECK(actual == scs::read_file(path));
}

}  // namespace

TEST_CASE("diff: a passing report against a mixed one names what broke, by category") {
  const auto diff = scs::diff_reports(json_summary(scs::test::passing_report(), "passing.json"),
                                      json_summary(scs::test::mixed_report(), "mixed.json"));
  CHECK(diff.worse());
  REQUIRE_FALSE(diff.new_failures.empty());
  for (const auto& change : diff.new_failures) CHECK(change.after == "FAIL");
  REQUIRE_FALSE(diff.newly_aborted.empty());
  for (const auto& change : diff.newly_aborted) CHECK((change.after == "ABORT" || change.after == "MISSING"));
  CHECK(diff.fixed.empty());
  REQUIRE_FALSE(diff.versions.empty());
  check_golden("diff.txt", scs::render_diff_text(diff));
  check_golden("diff.md", scs::render_diff_markdown(diff));
  check_golden("diff.json", scs::render_diff_json(diff));
}

TEST_CASE("diff: the other way round everything is fixed, and nothing got worse") {
  const auto diff = scs::diff_reports(json_summary(scs::test::mixed_report(), "mixed.json"),
                                      json_summary(scs::test::passing_report(), "passing.json"));
  CHECK_FALSE(diff.worse());
  CHECK(diff.new_failures.empty());
  CHECK(diff.newly_aborted.empty());
  CHECK_FALSE(diff.fixed.empty());
}

TEST_CASE("diff: a report against itself has no changes, in JSON and in YAML") {
  for (const auto& summary :
       {json_summary(scs::test::mixed_report(), "a"), yaml_summary(scs::test::mixed_report(), "a")}) {
    const auto diff = scs::diff_reports(summary, summary);
    CHECK_FALSE(diff.worse());
    CHECK(diff.versions.empty());
    CHECK(diff.new_failures.empty());
    CHECK(diff.other.empty());
    CHECK(diff.added.empty());
    CHECK(diff.removed.empty());
    CHECK(diff.still_failing.size() == 1);  // FAIL in both is shown, not hidden
  }
}

TEST_CASE("diff: YAML evaluates the versions with the scope and equals JSON but for N/A") {
  const auto from_json = json_summary(scs::test::mixed_report(), "mixed.json");
  const auto from_yaml = yaml_summary(scs::test::mixed_report(), "mixed.yaml");
  CHECK(from_yaml.versions.at("v5.1") == from_json.versions.at("v5.1"));
  const auto diff = scs::diff_reports(from_json, from_yaml);
  CHECK(diff.new_failures.empty());
  CHECK(diff.fixed.empty());
  CHECK(diff.other.empty());  // PASS and N/A are one against a YAML report
}

TEST_CASE("diff: the categories of single changes") {
  scs::ReportSummary before{"old", "u", "S", "a", "t1", {{"v1", "PASS"}}, {}, true};
  before.testcases = {{"x-fail", "PASS"}, {"x-abort", "PASS"}, {"x-fixed", "FAIL"}, {"x-still", "FAIL"},
                      {"x-gone", "PASS"}, {"x-na", "PASS"},    {"x-same", "ABORT"}};
  auto after = before;
  after.source = "new";
  after.versions = {{"v1", "FAIL"}};
  after.testcases = {{"x-fail", "FAIL"}, {"x-abort", "MISSING"}, {"x-fixed", "N/A"}, {"x-still", "FAIL"},
                     {"x-new", "PASS"},  {"x-na", "N/A"},        {"x-same", "ABORT"}};
  const auto diff = scs::diff_reports(before, after);
  CHECK(names(diff.versions) == std::vector<std::string>{"v1 PASS>FAIL"});
  CHECK(names(diff.new_failures) == std::vector<std::string>{"x-fail PASS>FAIL"});
  CHECK(names(diff.newly_aborted) == std::vector<std::string>{"x-abort PASS>MISSING"});
  CHECK(names(diff.fixed) == std::vector<std::string>{"x-fixed FAIL>N/A"});
  CHECK(names(diff.still_failing) == std::vector<std::string>{"x-still FAIL>FAIL"});
  CHECK(names(diff.added) == std::vector<std::string>{"x-new >PASS"});
  CHECK(names(diff.removed) == std::vector<std::string>{"x-gone PASS>"});
  CHECK(names(diff.other) == std::vector<std::string>{"x-na PASS>N/A"});
  CHECK(diff.worse());
}

TEST_CASE("diff: only a worse verdict or new failures count as worse") {
  scs::ReportSummary before{"old", "u", "S", "a", "t1", {{"v1", "FAIL"}}, {{"x", "FAIL"}, {"y", "ABORT"}},
                            true};
  auto after = before;
  after.versions = {{"v1", "ABORT"}};
  after.testcases = {{"x", "ABORT"}, {"y", "PASS"}};
  // FAIL → ABORT is newly aborted (the failure is no longer shown), so it is worse.
  CHECK(scs::diff_reports(before, after).worse());
  after.testcases = {{"x", "PASS"}, {"y", "PASS"}};
  after.versions = {{"v1", "PASS"}};
  CHECK_FALSE(scs::diff_reports(before, after).worse());
}

TEST_CASE("diff: refuses reports of different scopes and files that are no reports") {
  auto other = json_summary(scs::test::passing_report(), "kaas.json");
  other.scope_uuid = "another";
  other.scope_name = "SCS-compatible KaaS";
  CHECK_THROWS_WITH(scs::diff_reports(json_summary(scs::test::passing_report(), "iaas.json"), other),
                    "iaas.json and kaas.json are reports of different scopes (SCS-compatible IaaS vs "
                    "SCS-compatible KaaS)");
  CHECK_THROWS_AS(scs::read_report_summary("{\"hello\": 1}", "x.json", sample_scope_by_uuid),
                  scs::ConfigError);
  CHECK_THROWS_AS(scs::read_report_summary("a: [", "x.yaml", sample_scope_by_uuid), scs::ConfigError);
  CHECK_THROWS_AS(scs::read_report_summary("just: text\n", "x.yaml", sample_scope_by_uuid), scs::ConfigError);
}

// Found by fuzzing (tests/fuzz/report.cpp): the same stray ',' made `diff` parse forever.
TEST_CASE("diff: a YAML report with a stray ',' is refused") {
  CHECK_THROWS_AS(scs::read_report_summary("\"\",", "x.yaml", sample_scope_by_uuid), scs::ConfigError);
}

// Found by the fuzz smoke in CI (tests/fuzz/report.cpp): a report whose subject or testcase id
// is not UTF-8 made the JSON diff throw nlohmann's type_error 316.
TEST_CASE("diff: bytes that are not UTF-8 are replaced in the JSON diff, not fatal") {
  scs::ReportSummary before{"old", "u", "S", "subject \xff", "t1", {{"v1", "PASS"}}, {{"x-\xfe", "PASS"}},
                            true};
  auto after = before;
  after.testcases = {{"x-\xfe", "FAIL"}};
  const auto diff = scs::diff_reports(before, after);
  std::string rendered;
  REQUIRE_NOTHROW(rendered = scs::render_diff_json(diff));
  CHECK_THAT(rendered, Catch::Contains("x-\xef\xbf\xbd"));  // U+FFFD
}
