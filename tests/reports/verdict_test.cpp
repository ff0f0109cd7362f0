#include <catch2/catch.hpp>

#include "reports/verdict.hpp"
#include "sample_reports.hpp"

namespace {

using scs::Status;
using scs::Verdict;

scs::TestcaseOutcome outcome(const std::string& id, Status status) {
  scs::TestcaseOutcome o;
  o.id = id;
  o.implemented = true;
  o.result.status = status;
  return o;
}

scs::Scope one_version_scope(const std::vector<std::string>& main,
                             const std::vector<std::string>& other = {}) {
  scs::Scope scope;
  scs::ScopeVersion version;
  version.name = "v1";
  version.targets.emplace_back("main", main);
  if (!other.empty()) version.targets.emplace_back("recommended", other);
  scope.versions.push_back(version);
  return scope;
}

}  // namespace

TEST_CASE("verdict of one testcase", "[reports][verdict]") {
  CHECK(scs::verdict_of(nullptr) == Verdict::missing);
  scs::TestcaseOutcome not_implemented;
  not_implemented.result.status = Status::pass;  // ignored: it never ran
  CHECK(scs::verdict_of(&not_implemented) == Verdict::missing);
  const auto pass = outcome("a", Status::pass);
  const auto fail = outcome("a", Status::fail);
  const auto abort = outcome("a", Status::abort);
  const auto na = outcome("a", Status::not_applicable);
  CHECK(scs::verdict_of(&pass) == Verdict::pass);
  CHECK(scs::verdict_of(&fail) == Verdict::fail);
  CHECK(scs::verdict_of(&abort) == Verdict::abort);
  CHECK(scs::verdict_of(&na) == Verdict::pass);  // N/A counts as a pass
}

TEST_CASE("precedence: FAIL > MISSING > ABORT > PASS", "[reports][verdict]") {
  const auto [a, b, expected] = GENERATE(table<Verdict, Verdict, Verdict>({
      {Verdict::pass, Verdict::pass, Verdict::pass},
      {Verdict::pass, Verdict::abort, Verdict::abort},
      {Verdict::pass, Verdict::missing, Verdict::missing},
      {Verdict::pass, Verdict::fail, Verdict::fail},
      {Verdict::abort, Verdict::missing, Verdict::missing},
      {Verdict::abort, Verdict::fail, Verdict::fail},
      {Verdict::missing, Verdict::fail, Verdict::fail},
      {Verdict::abort, Verdict::abort, Verdict::abort},
  }));
  CAPTURE(scs::to_string(a), scs::to_string(b));
  CHECK(scs::worst(a, b) == expected);
  CHECK(scs::worst(b, a) == expected);
}

TEST_CASE("target verdicts over a table of outcomes", "[reports][verdict]") {
  // main = {t1, t2, t3}; each row gives the outcomes (absent = no outcome at all).
  struct Row {
    std::vector<std::pair<std::string, Status>> outcomes;
    Verdict verdict;
    int passed, failed, aborted, missing;
  };
  const auto row = GENERATE(values<Row>({
      {{{"t1", Status::pass}, {"t2", Status::pass}, {"t3", Status::pass}}, Verdict::pass, 3, 0, 0, 0},
      {{{"t1", Status::pass}, {"t2", Status::not_applicable}, {"t3", Status::pass}},
       Verdict::pass,
       3,
       0,
       0,
       0},
      {{{"t1", Status::pass}, {"t2", Status::abort}, {"t3", Status::pass}}, Verdict::abort, 2, 0, 1, 0},
      {{{"t1", Status::pass}, {"t2", Status::abort}}, Verdict::missing, 1, 0, 1, 1},
      {{{"t1", Status::fail}, {"t2", Status::abort}}, Verdict::fail, 0, 1, 1, 1},
      {{{"t1", Status::fail}, {"t2", Status::pass}, {"t3", Status::pass}}, Verdict::fail, 2, 1, 0, 0},
      {{}, Verdict::missing, 0, 0, 0, 3},
  }));
  std::vector<scs::TestcaseOutcome> outcomes;
  for (const auto& [id, status] : row.outcomes) outcomes.push_back(outcome(id, status));
  const auto scope = one_version_scope({"t1", "t2", "t3"});
  const std::vector<scs::VersionValidity> chosen{{"v1", "effective", true}};
  const auto versions = scs::evaluate_versions(scope, chosen, outcomes);
  REQUIRE(versions.size() == 1);
  const auto& main = versions[0].targets.at(0);
  CHECK(main.name == "main");
  CHECK(main.verdict == row.verdict);
  CHECK(versions[0].verdict == row.verdict);
  CHECK(main.passed == row.passed);
  CHECK(main.failed == row.failed);
  CHECK(main.aborted == row.aborted);
  CHECK(main.missing == row.missing);
}

TEST_CASE("only main decides a version, other targets are evaluated and shown", "[reports][verdict]") {
  scs::Scope scope;
  scs::ScopeVersion version;
  version.name = "v1";
  // recommended first in scope order: the report still lists main first
  version.targets = {{"recommended", {"r1"}}, {"main", {"m1"}}, {"preview", {"p1"}}};
  scope.versions.push_back(version);
  std::map<std::string, scs::TestcaseOutcome, std::less<>> outcomes{{"m1", outcome("m1", Status::pass)},
                                                                    {"r1", outcome("r1", Status::fail)}};
  const std::vector<scs::VersionValidity> chosen{{"v1", "effective", true}, {"unknown", "draft", true}};
  const auto versions = scs::evaluate_versions(scope, chosen, outcomes);
  REQUIRE(versions.size() == 1);  // a version the scope does not know is skipped
  CHECK(versions[0].verdict == Verdict::pass);
  CHECK(versions[0].decides);
  CHECK(versions[0].validity == "effective");
  REQUIRE(versions[0].targets.size() == 3);
  CHECK(versions[0].targets[0].name == "main");
  CHECK(versions[0].targets[1].name == "recommended");
  CHECK(versions[0].targets[1].verdict == Verdict::fail);
  CHECK(versions[0].targets[2].verdict == Verdict::missing);
}

TEST_CASE("a version without a main target requires nothing", "[reports][verdict]") {
  scs::Scope scope;
  scs::ScopeVersion version;
  version.name = "v0";
  scope.versions.push_back(version);
  const std::vector<scs::VersionValidity> chosen{{"v0", "effective", true}};
  const auto versions = scs::evaluate_versions(scope, chosen, std::vector<scs::TestcaseOutcome>{});
  REQUIRE(versions.size() == 1);
  CHECK_FALSE(versions[0].decides);
  CHECK(versions[0].verdict == Verdict::pass);
}

TEST_CASE("exit decision: which versions count, and the code", "[reports][verdict]") {
  const auto version = [](std::string name, std::string validity, Verdict verdict) {
    scs::VersionReport v;
    v.name = std::move(name);
    v.validity = std::move(validity);
    v.verdict = verdict;
    return v;
  };
  struct Row {
    const char* what;
    std::vector<scs::VersionReport> versions;
    bool forced;
    scs::ExitCode expected;
  };
  using scs::ExitCode;
  // clang-format off
  const auto row = GENERATE_REF(values<Row>({
    {"effective passes, draft fails: the draft is shown only",
     {version("next", "draft", Verdict::fail), version("v5.1", "effective", Verdict::pass)}, false, ExitCode::pass},
    {"effective fails",
     {version("next", "draft", Verdict::pass), version("v5.1", "effective", Verdict::fail)}, false, ExitCode::fail},
    {"warn counts like effective",
     {version("v5", "effective", Verdict::pass), version("v4", "warn", Verdict::abort)}, false, ExitCode::incomplete},
    {"every certifiable version must pass",
     {version("v5", "effective", Verdict::fail), version("v4", "effective", Verdict::pass)}, false, ExitCode::fail},
    {"missing outranks abort, both are incomplete",
     {version("v5", "effective", Verdict::missing)}, false, ExitCode::incomplete},
    {"deprecated versions never decide",
     {version("v5", "effective", Verdict::pass), version("v3", "deprecated", Verdict::fail)}, false, ExitCode::pass},
    {"nothing certifiable: every reported version decides",
     {version("v1", "draft", Verdict::fail)}, false, ExitCode::fail},
    {"nothing certifiable, all pass",
     {version("v1", "draft", Verdict::pass), version("v0", "deprecated", Verdict::pass)}, false, ExitCode::pass},
    {"a forced deprecated version decides",
     {version("v3", "deprecated", Verdict::fail)}, true, ExitCode::fail},
    {"a forced draft version that passes",
     {version("next", "draft", Verdict::pass)}, true, ExitCode::pass},
    {"no versions at all is incomplete",
     {}, false, ExitCode::incomplete},
  }));
  // clang-format on
  CAPTURE(row.what);
  scs::Report report;
  report.versions = row.versions;
  if (row.forced && !row.versions.empty()) report.forced_version = row.versions.front().name;
  CHECK(scs::exit_decision(report) == row.expected);
}

TEST_CASE("the sample reports decide as intended", "[reports][verdict]") {
  const auto mixed = scs::test::mixed_report();
  REQUIRE(mixed.versions.size() == 2);
  CHECK(mixed.versions[0].name == "next");
  CHECK(mixed.versions[0].verdict == Verdict::fail);
  CHECK(mixed.versions[1].verdict == Verdict::fail);
  CHECK(scs::exit_decision(mixed) == scs::ExitCode::fail);
  CHECK_FALSE(scs::decides_exit(mixed, mixed.versions[0]));
  CHECK(scs::decides_exit(mixed, mixed.versions[1]));

  const auto passing = scs::test::passing_report();
  CHECK(scs::exit_decision(passing) == scs::ExitCode::pass);  // forced deprecated version
}

TEST_CASE("a manual testcase in a main target counts with its attestation, MISSING without one",
          "[reports][verdict][attest]") {
  const auto scope = one_version_scope({"a", "manual-check"});
  const std::vector<scs::VersionValidity> chosen{{"v1", "effective", true}};
  const auto verdict_with = [&](std::optional<Status> attested) {
    std::vector<scs::TestcaseOutcome> outcomes{outcome("a", Status::pass)};
    scs::TestcaseOutcome manual;
    manual.id = "manual-check";
    manual.manual = true;
    if (attested) {
      manual.implemented = true;
      manual.result.status = *attested;
      manual.attestation = scs::Attestation{};
    } else {
      manual.result = scs::Result::abort("no attestation");
    }
    outcomes.push_back(manual);
    return scs::evaluate_versions(scope, chosen, outcomes).front().verdict;
  };
  CHECK(verdict_with(Status::pass) == Verdict::pass);
  CHECK(verdict_with(Status::fail) == Verdict::fail);
  CHECK(verdict_with(std::nullopt) == Verdict::missing);
  // The manual report's `next` requires key-manager-docs-check (attested PASS) in main and an
  // expired and a failing attestation in preview.
  const auto report = scs::test::manual_report();
  REQUIRE(report.versions.front().name == "next");
  CHECK(report.versions.front().verdict == Verdict::pass);
  CHECK(report.versions.front().targets.at(1).verdict == Verdict::fail);
  CHECK(report.versions.front().targets.at(1).missing == 1);
}
