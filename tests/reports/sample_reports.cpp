#include "sample_reports.hpp"

#include <algorithm>

#include "reports/verdict.hpp"

namespace scs::test {
namespace {

TestcaseOutcome ran(std::string id, std::string standard, Result result, int elapsed_ms,
                    std::uint64_t calls) {
  TestcaseOutcome outcome;
  outcome.id = std::move(id);
  outcome.standard = std::move(standard);
  outcome.implemented = true;
  outcome.result = std::move(result);
  outcome.elapsed = std::chrono::milliseconds(elapsed_ms);
  outcome.calls.calls = calls;
  outcome.calls.bytes_received = calls * 1000;
  outcome.calls.bytes_sent = calls * 100;
  return outcome;
}

TestcaseOutcome not_run(std::string id, std::string standard) {
  TestcaseOutcome outcome;
  outcome.id = std::move(id);
  outcome.standard = std::move(standard);
  return outcome;
}

Report base_report() {
  Report report;
  report.scope_uuid = "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f";
  report.scope_name = "SCS-compatible IaaS";
  report.scope_url =
      "https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml";
  report.subject = "demo-cloud";
  report.cloud = "demo";
  report.checked_at = "2026-11-26 16:22:07.483283";
  report.reference_date = "2026-08-21";
  report.run_uuid = "e6cbb288-6a9e-4ba2-818d-b1c800501d3e";
  report.assignment = {{"os_cloud", "demo"}};
  report.tool_version = "0.1.0";
  return report;
}

void finish(Report& report, const Scope& scope, const std::vector<VersionValidity>& chosen) {
  std::sort(report.outcomes.begin(), report.outcomes.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (auto& outcome : report.outcomes) {
    if (const auto* testcase = scope.testcase(outcome.id)) {
      outcome.description = testcase->description;
      outcome.url = testcase->url;
    }
    report.totals += outcome.calls;
  }
  report.versions = evaluate_versions(scope, chosen, report.outcomes);
}

}  // namespace

Scope sample_scope() {
  Scope scope;
  scope.uuid = "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f";
  scope.name = "SCS-compatible IaaS";
  for (const auto* id :
       {"scs-0100-syntax-check", "scs-0100-semantics-check", "scs-0101-entropy-avail", "scs-0116-permissions",
        "scs-0116-presence", "scs-0123-service-compute", "scs-0123-storage-apis", "scs-0123-swift-s3"}) {
    ScopeTestcase testcase;
    testcase.id = id;
    testcase.description = std::string("What ") + id + " checks.";
    testcase.url = "https://docs.scs.community/standards/" + std::string(id).substr(0, 8);
    scope.testcases.push_back(testcase);
  }
  ScopeVersion v51;
  v51.name = "v5.1";
  v51.stabilized_at = "2024-12-19";
  v51.targets = {{"main",
                  {"scs-0100-syntax-check", "scs-0100-semantics-check", "scs-0101-entropy-avail",
                   "scs-0116-permissions", "scs-0123-service-compute", "scs-0123-swift-s3"}},
                 {"recommended", {"scs-0116-presence"}}};
  ScopeVersion next;
  next.name = "next";
  next.targets = {{"main",
                   {"scs-0100-syntax-check", "scs-0100-semantics-check", "scs-0123-service-compute",
                    "scs-0123-storage-apis"}}};
  scope.versions = {next, v51};
  return scope;
}

Report mixed_report() {
  Report report = base_report();
  report.argv = {"run",     "--os-cloud",        "demo", "--subject",  "demo-cloud",
                 "--tests", "scs-0100|scs-0123", "-o",   "report.yaml"};
  report.forced_tests = "scs-0100|scs-0123";
  auto semantics =
      ran("scs-0100-semantics-check", "scs-0100",
          Result::fail("2 flavors promise more than they have",
                       {{"flavor SCS-2V-4", "RAM is 3.9 GiB (3994 MiB), the name promises 4 GiB"},
                        {"flavor SCS-4V-8 <old> & \"tmp\"|x", "has 2 vCPUs, the name promises 4"}}),
          1234, 3);
  semantics.remediation =
      "Fix each flavor, or give it a name that is not an SCS name:\n\n```\nopenstack flavor set …\n```\n";
  report.outcomes = {
      ran("scs-0100-syntax-check", "scs-0100",
          Result::pass("38 SCS flavor names checked", {"flavor SCS-2V:4 uses the v1 syntax (tolerated)"}), 15,
          1),
      semantics,
      not_run("scs-0101-entropy-avail", ""),
      ran("scs-0116-permissions", "scs-0116",
          Result::abort(
              "GET https://key-manager.example.com/v1/secrets answered HTTP 503: Service Unavailable"),
          30001, 4),
      ran("scs-0123-service-compute", "scs-0123", Result::pass("found compute (nova)"), 2, 0),
      not_run("scs-0123-storage-apis", "scs-0123"),
      ran("scs-0123-swift-s3", "scs-0123", Result::not_applicable("no object-store endpoint in the catalog"),
          3, 0),
  };
  report.wall_time = std::chrono::milliseconds(31457);
  report.totals.retries = 2;
  finish(report, sample_scope(), {{"next", "draft", true}, {"v5.1", "effective", true}});
  report.left_behind = {
      {"backup", "scs-conformance-ab12-2-backup", "b613962e-24fb-44e7-b0cd-6b3b2bd1e3fa",
       "DELETE answered HTTP 404 (Service cinder-backup could not be found.), but it is still there",
       "scs-conformance cleanup --os-cloud demo-cloud"}};
  return report;
}

Report passing_report() {
  Report report = base_report();
  report.argv = {"run", "--os-cloud", "demo", "--version", "v5.1"};
  report.forced_version = "v5.1";
  report.sections = std::vector<std::string>{"light", "medium"};
  report.cloud = "demo-cloud";
  report.token_source = "cached";
  const std::vector<std::pair<const char*, const char*>> passed{
      {"scs-0100-semantics-check", "scs-0100"}, {"scs-0100-syntax-check", "scs-0100"},
      {"scs-0101-entropy-avail", "scs-0101"},   {"scs-0116-permissions", "scs-0116"},
      {"scs-0116-presence", "scs-0116"},        {"scs-0123-service-compute", "scs-0123"},
      {"scs-0123-swift-s3", "scs-0123"}};
  int elapsed = 10;
  for (const auto& [id, standard] : passed)
    report.outcomes.push_back(ran(id, standard, Result::pass("ok"), elapsed += 7, 1));
  report.wall_time = std::chrono::milliseconds(850);
  finish(report, sample_scope(), {{"v5.1", "deprecated", false}});
  return report;
}

namespace {

TestcaseOutcome attested(std::string id, Status status, std::string name, std::string organisation,
                         std::string evidence) {
  TestcaseOutcome outcome;
  outcome.id = id;
  outcome.manual = true;
  outcome.implemented = true;
  Attestation attestation;
  attestation.testcase = id;
  attestation.result = status;
  attestation.evidence = std::move(evidence);
  attestation.attested_by = std::move(name);
  attestation.organisation = std::move(organisation);
  attestation.attested_on = "2026-08-01";
  attestation.valid_until = "2027-01-31";
  attestation.source = "attestations.yaml:2";
  if (status == Status::pass) {
    outcome.result = Result::pass("attested by " + attestation.attested_by);
  } else {
    std::vector<Finding> findings{Finding{"evidence", attestation.evidence}};
    outcome.result = Result::fail("attested as failing by " + attestation.attested_by, std::move(findings));
  }
  outcome.attestation = std::move(attestation);
  return outcome;
}

}  // namespace

Scope manual_scope() {
  Scope scope = sample_scope();
  for (const auto* id : {"key-manager-docs-check", "availability-zones-check", "domain-manager-check"}) {
    ScopeTestcase testcase;
    testcase.id = id;
    testcase.description = std::string("Checked by hand: ") + id + ".";
    testcase.url = "https://docs.scs.community/standards/" + std::string(id);
    testcase.manual = true;
    scope.testcases.push_back(testcase);
  }
  // `next` requires a manual testcase in main and two in preview (the official scope's
  // versions require none at present; a future version may).
  auto& next = scope.versions.front();
  next.targets.front().second.push_back("key-manager-docs-check");
  next.targets.push_back({"preview", {"availability-zones-check", "domain-manager-check"}});
  return scope;
}

Report manual_report() {
  Report report = base_report();
  report.argv = {"run", "--os-cloud", "demo", "--attest", "attestations.yaml"};
  for (const auto* id :
       {"scs-0100-semantics-check", "scs-0100-syntax-check", "scs-0101-entropy-avail", "scs-0116-permissions",
        "scs-0123-service-compute", "scs-0123-storage-apis", "scs-0123-swift-s3"})
    report.outcomes.push_back(ran(id, std::string(id).substr(0, 8), Result::pass("ok"), 12, 1));
  report.outcomes.push_back(attested("key-manager-docs-check", Status::pass, "Jane Doe", "Example Cloud GmbH",
                                     "https://docs.example.com/kms_(master-kek)#rotation"));
  report.outcomes.push_back(attested("domain-manager-check", Status::fail, "Jörg <Ops> & \"Sons\"",
                                     "Müller | Partner: KG", "https://tickets.example.com/SCS-42?a=1&b=2"));
  TestcaseOutcome expired;
  expired.id = "availability-zones-check";
  expired.manual = true;
  expired.result = Result::abort(
      "the attestation (attestations.yaml:20) expired on 2026-07-31 (reference date 2026-08-21)");
  report.outcomes.push_back(std::move(expired));
  report.wall_time = std::chrono::milliseconds(640);
  finish(report, manual_scope(), {{"next", "draft", false}, {"v5.1", "effective", true}});
  return report;
}

}  // namespace scs::test
