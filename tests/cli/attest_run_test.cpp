// run --replay <example recording> --attest FILE: every testcase of the official IaaS scope,
// automated and manual, has a result in the report (issue "done when"); attested PASS and FAIL,
// MISSING without a valid attestation; an attestation never overrides a measured result.

#include <catch2/catch.hpp>

#include <atomic>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "core/errors.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"
#include "spec/spec.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace {

using Catch::Matchers::Contains;

const std::string source_dir = SCS_SOURCE_DIR;
const std::string iaas_scope = source_dir + "/standards/scopes/scs-compatible-iaas.yaml";
const std::atomic<bool> not_interrupted{false};

std::string attestation(const std::string& testcase, const std::string& result, const std::string& on,
                        const std::string& until, const std::string& extra = "") {
  return "  - testcase: " + testcase + "\n    result: " + result +
         "\n    evidence: https://docs.example.com/" + testcase +
         "\n    attested_by: {name: Jane Doe, organisation: Example GmbH}\n    attested_on: " + on +
         "\n    valid_until: " + until + "\n" + extra;
}

scs::RunOptions replay_with(const scs::test::TempDir& dir, const std::string& attestations) {
  scs::RunOptions options;
  options.scope_file = iaas_scope;
  options.replay_dir = source_dir + "/examples/testcloud-compliant";
  options.quiet = true;
  options.attestation_files = {dir.write("attestations.yaml", attestations).string()};
  return options;
}

}  // namespace

TEST_CASE("run --replay --attest: every testcase of the official IaaS scope has a result", "[cli][attest]") {
  scs::test::CloudSandbox sandbox;
  const scs::test::TempDir dir("scs-attest");
  // The recording's reference date is 2026-12-07: one valid pass, one valid fail, one expired.
  const auto options =
      replay_with(dir, "attestations:\n" +
                           attestation("key-manager-docs-check", "pass", "2026-12-01", "2027-06-01",
                                       "    subject: testcloud-member\n") +
                           attestation("domain-manager-check", "fail", "2026-12-01", "2027-06-01") +
                           attestation("availability-zones-check", "pass", "2025-01-01", "2025-12-31") +
                           attestation("no-such-check", "pass", "2026-12-01", "2027-06-01"));
  const auto outcome = scs::run_scope(options, not_interrupted);
  const auto& report = outcome.report;
  CHECK(outcome.exit_code == scs::ExitCode::pass);  // no version of the official scope requires a manual one

  const auto scope = scs::load_scope(iaas_scope);
  std::set<std::string> expected;  // what the run's versions require, and every manual testcase
  for (const auto& version : report.versions) {
    for (const auto& target : version.targets)
      expected.insert(target.testcases.begin(), target.testcases.end());
  }
  std::size_t manual_in_scope = 0;
  for (const auto& testcase : scope.testcases) {
    if (!testcase.manual) continue;
    expected.insert(testcase.id);
    ++manual_in_scope;
  }
  CHECK(manual_in_scope == 3);
  const auto json = nlohmann::json::parse(scs::render_json(report));
  std::map<std::string, std::string> verdicts;
  for (const auto* list : {"testcases", "manual_testcases"}) {
    for (const auto& testcase : json.at(list)) verdicts[testcase.at("id")] = testcase.at("verdict");
  }
  for (const auto& id : expected) {
    INFO(id);
    REQUIRE(verdicts.contains(id));
    if (scope.testcase(id)->manual) continue;
    CHECK(verdicts.at(id) == "PASS");  // the compliant cloud, every automated testcase replayed
  }
  CHECK(verdicts.at("key-manager-docs-check") == "PASS");
  CHECK(verdicts.at("domain-manager-check") == "FAIL");
  CHECK(verdicts.at("availability-zones-check") == "MISSING");
  // Manual testcases apart, with provenance.
  CHECK(json.at("manual_testcases").size() == 3);
  for (const auto& testcase : json.at("testcases")) CHECK_FALSE(testcase.contains("attestation"));
  const auto& kms = json.at("manual_testcases").at(2);
  REQUIRE(kms.at("id") == "key-manager-docs-check");
  CHECK(kms.at("manual") == true);
  CHECK(kms.at("attestation").at("evidence") == "https://docs.example.com/key-manager-docs-check");
  CHECK(kms.at("attestation").at("attested_by").at("organisation") == "Example GmbH");
  CHECK(kms.at("attestation").at("valid_until") == "2027-06-01");
  // The warnings name what was ignored.
  const auto warnings = fmt::format("{}", fmt::join(outcome.warnings, "\n"));
  CHECK_THAT(warnings, Contains("'no-such-check' is no testcase of SCS-compatible IaaS"));
  CHECK_THAT(warnings, Contains("expired on 2025-12-31"));
  // The text report lists them apart; the YAML carries the attested results for the monitor.
  const auto text = scs::render_text(report);
  CHECK_THAT(text, Contains("MANUAL") && Contains("domain-manager-check: FAIL — attested by Jane Doe"));
  const auto yaml = scs::render_yaml(report);
  CHECK_THAT(yaml, Contains("    manual:\n      id: manual\n"));
  CHECK_THAT(yaml, Contains("        domain-manager-check: -1\n        key-manager-docs-check: 1\n"));
}

TEST_CASE("run --attest refuses what it must not take, before the run", "[cli][attest]") {
  scs::test::CloudSandbox sandbox;
  const scs::test::TempDir dir("scs-attest");
  const auto refused = [&](const std::string& text) {
    try {
      (void)scs::run_scope(replay_with(dir, text), not_interrupted);
    } catch (const scs::Error& error) {
      CHECK(error.exit_code() == scs::ExitCode::configuration_error);
      CHECK(std::string(error.what()).find('\n') == std::string::npos);
      return std::string(error.what());
    }
    FAIL("not refused");
    return std::string();
  };
  SECTION("an automated testcase: an attestation never overrides a measured result") {
    CHECK_THAT(
        refused("attestations:\n" + attestation("scs-0100-syntax-check", "pass", "2026-12-01", "2027-06-01")),
        Contains("attestations.yaml:2: 'scs-0100-syntax-check' is an automated testcase"));
  }
  SECTION("another subject") {
    CHECK_THAT(refused("attestations:\n" + attestation("key-manager-docs-check", "pass", "2026-12-01",
                                                       "2027-06-01", "    subject: another-cloud\n")),
               Contains("this run's subject is 'testcloud-member'"));
  }
  SECTION("malformed YAML") { CHECK_THAT(refused("attestations: [\n"), Contains("attestations.yaml:")); }
  SECTION("a missing file") {
    auto options = replay_with(dir, "attestations: []\n");
    options.attestation_files = {(dir / "absent.yaml").string()};
    CHECK_THROWS_WITH(scs::run_scope(options, not_interrupted), Contains("absent.yaml: cannot read file"));
  }
}

TEST_CASE("without --attest the official scope's reports are as before: no manual testcases",
          "[cli][attest]") {
  scs::test::CloudSandbox sandbox;
  scs::RunOptions options;
  options.scope_file = iaas_scope;
  options.replay_dir = source_dir + "/examples/testcloud-compliant";
  options.quiet = true;
  const auto outcome = scs::run_scope(options, not_interrupted);
  CHECK_FALSE(outcome.report.has_manual());
  CHECK(scs::render_yaml(outcome.report).find("    manual:") == std::string::npos);
}

TEST_CASE("run --attest: a refused attestation costs the cloud no request", "[cli][attest]") {
  scs::test::CloudSandbox sandbox;
  scs::test::FakeCloud cloud;
  sandbox.write_clouds_yaml("clouds:\n" +
                            scs::test::password_cloud("fake", cloud.auth_url(), "not-a-secret"));
  const scs::test::TempDir dir("scs-attest");
  auto options = scs::test::iaas_run("fake");
  SECTION("an automated testcase") {
    options.attestation_files = {
        dir.write("a.yaml", "attestations:\n" +
                                attestation("scs-0123-service-compute", "pass", "2026-01-01", "2030-01-01"))
            .string()};
    CHECK_THROWS_WITH(scs::run_scope(options, not_interrupted), Contains("is an automated testcase"));
  }
  SECTION("another subject, given with --subject") {
    options.subject = "mine";
    options.attestation_files = {
        dir.write("a.yaml", "attestations:\n" + attestation("key-manager-docs-check", "pass", "2026-01-01",
                                                            "2030-01-01", "    subject: theirs\n"))
            .string()};
    CHECK_THROWS_WITH(scs::run_scope(options, not_interrupted), Contains("this run's subject is 'mine'"));
  }
  CHECK(cloud.requests().empty());
}
