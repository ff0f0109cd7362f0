// The complete report as JSON, for tools and archives; keys in a fixed order so diffs between
// runs stay readable.

#include <nlohmann/json.hpp>

#include "reports/render_util.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"

namespace scs {
namespace {

using Json = nlohmann::ordered_json;

template <class T>
Json optional(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json calls(const CallStats& stats) {
  return {{"calls", stats.calls},
          {"retries", stats.retries},
          {"bytes_received", stats.bytes_received},
          {"bytes_sent", stats.bytes_sent}};
}

Json testcase(const TestcaseOutcome& outcome) {
  Json json = {{"id", outcome.id},
               {"standard", outcome.standard},
               {"description", outcome.description},
               {"url", outcome.url},
               {"implemented", outcome.implemented},
               {"verdict", to_string(verdict_of(&outcome))}};
  if (outcome.implemented) {
    json["status"] = to_string(outcome.result.status);
    json["summary"] = outcome.result.summary;
    auto evidence = Json::array();
    for (const auto& finding : outcome.result.evidence) {
      evidence.push_back({{"subject", finding.subject}, {"message", finding.message}});
    }
    json["evidence"] = std::move(evidence);
    json["notes"] = outcome.result.notes;
  } else {
    json["status"] = nullptr;
  }
  json["remediation"] = outcome.remediation;
  json["elapsed_ms"] = outcome.elapsed.count();
  json["calls"] = calls(outcome.calls);
  return json;
}

// A manual testcase: its result comes from a person, so the attestation replaces the check's
// evidence, API calls and elapsed time.
Json manual_testcase(const TestcaseOutcome& outcome) {
  Json json = {{"id", outcome.id},
               {"description", outcome.description},
               {"url", outcome.url},
               {"manual", true},
               {"implemented", outcome.implemented},
               {"verdict", to_string(verdict_of(&outcome))},
               {"status", outcome.implemented ? Json(to_string(outcome.result.status)) : Json(nullptr)},
               {"summary", outcome.result.summary}};
  if (outcome.attestation) {
    const auto& a = *outcome.attestation;
    json["attestation"] = {{"result", to_string(a.result)},
                           {"evidence", a.evidence},
                           {"attested_by", {{"name", a.attested_by}, {"organisation", a.organisation}}},
                           {"attested_on", a.attested_on},
                           {"valid_until", a.valid_until},
                           {"subject", optional(a.subject)},
                           {"source", a.source}};
  } else {
    json["attestation"] = nullptr;
  }
  return json;
}

Json version(const Report& report, const VersionReport& version) {
  auto targets = Json::array();
  for (const auto& target : version.targets) {
    targets.push_back({{"name", target.name},
                       {"verdict", to_string(target.verdict)},
                       {"passed", target.passed},
                       {"failed", target.failed},
                       {"aborted", target.aborted},
                       {"missing", target.missing},
                       {"testcases", target.testcases}});
  }
  return {{"name", version.name},
          {"validity", version.validity},
          {"certifiable", certifiable(version.validity)},
          {"decides_exit", decides_exit(report, version)},
          {"has_main_target", version.decides},
          {"verdict", to_string(version.verdict)},
          {"targets", std::move(targets)}};
}

}  // namespace

std::string render_json(const Report& report) {
  Json json;
  json["format"] = "scs-conformance-report/1";
  json["tool"] = {{"name", "scs-conformance"}, {"version", report.tool_version}};
  json["scope"] = {{"uuid", report.scope_uuid}, {"name", report.scope_name}, {"url", report.scope_url}};
  json["subject"] = report.subject;
  json["cloud"] = report.cloud;
  json["checked_at"] = report.checked_at;
  json["reference_date"] = report.reference_date;
  json["run"] = {{"uuid", report.run_uuid},
                 {"argv", report.argv},
                 {"command", render::command_line(report)},
                 {"assignment", report.assignment},
                 {"sections", optional(report.sections)},
                 {"forced_version", optional(report.forced_version)},
                 {"forced_tests", optional(report.forced_tests)}};
  if (!report.token_source.empty()) json["run"]["token"] = report.token_source;
  json["verdict"] = to_string(overall_verdict(report));
  json["exit_code"] = render::exit_code(report);
  json["aborted_run"] = optional(report.aborted_run);
  json["interrupted"] = report.interrupted;
  json["left_behind"] = nlohmann::json::array();
  for (const auto& left : report.left_behind) {
    json["left_behind"].push_back({{"type", left.type},
                                   {"name", left.name},
                                   {"id", left.id},
                                   {"reason", left.reason},
                                   {"cleanup_command", left.cleanup_command}});
  }
  json["wall_time_ms"] = report.wall_time.count();
  json["calls"] = calls(report.totals);
  const auto counts = render::count(report);
  json["counts"] = {{"passed", counts.passed},
                    {"not_applicable", counts.not_applicable},
                    {"failed", counts.failed},
                    {"aborted", counts.aborted},
                    {"missing", counts.missing}};
  json["versions"] = Json::array();
  for (const auto& v : report.versions) json["versions"].push_back(version(report, v));
  json["testcases"] = Json::array();
  for (const auto& outcome : report.outcomes) {
    if (!outcome.manual) json["testcases"].push_back(testcase(outcome));
  }
  // Apart from the measured testcases, and only when the run reports any (run --attest).
  if (report.has_manual()) {
    const auto manual = render::count_manual(report);
    json["manual_counts"] = {
        {"passed", manual.passed}, {"failed", manual.failed}, {"missing", manual.missing}};
    json["manual_testcases"] = Json::array();
    for (const auto* outcome : render::manual_outcomes(report))
      json["manual_testcases"].push_back(manual_testcase(*outcome));
  }
  // Check output may carry bytes that are not UTF-8 (names from a cloud); replace, never throw.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace scs
