#include "reports/report_summary.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "reports/verdict.hpp"
#include "spec/yaml_strict.hpp"

namespace scs {

namespace {

ReportSummary from_json(const nlohmann::json& report, const std::string& source) {
  ReportSummary summary;
  summary.source = source;
  if (!report.contains("scope") || !report.contains("testcases") || !report["testcases"].is_array())
    throw ConfigError(fmt::format("{}: not an scs-conformance report (no scope or testcases)", source));
  summary.scope_uuid = report["scope"].value("uuid", "");
  summary.scope_name = report["scope"].value("name", "");
  summary.subject = report.value("subject", "");
  summary.checked_at = report.value("checked_at", "");
  for (const auto& version : report.value("versions", nlohmann::json::array()))
    summary.versions[version.at("name").get<std::string>()] = version.at("verdict").get<std::string>();
  // "status" is the check's result, null for a testcase that never ran; "verdict" says MISSING.
  // Manual testcases (run --attest) are listed apart; they compare like the others.
  for (const auto* list : {"testcases", "manual_testcases"}) {
    if (!report.contains(list) || !report[list].is_array()) continue;
    for (const auto& testcase : report[list]) {
      const auto& status = testcase.at("status");
      summary.testcases[testcase.at("id").get<std::string>()] =
          status.is_string() ? status.get<std::string>() : testcase.at("verdict").get<std::string>();
    }
  }
  return summary;
}

Result result_of(int value) {
  if (value > 0) return Result::pass("");
  if (value < 0) return Result::fail("", {});
  return Result::abort("");
}

ReportSummary from_yaml(const YAML::Node& report, const std::string& source, const ScopeFinder& find_scope) {
  ReportSummary summary;
  summary.source = source;
  summary.tells_not_applicable = false;
  const auto spec = report["spec"];
  const auto run = report["run"];
  if (!spec || !spec["uuid"] || !run || !run["invocations"])
    throw ConfigError(fmt::format("{}: not a report (no spec.uuid or run.invocations)", source));
  summary.scope_uuid = spec["uuid"].as<std::string>();
  summary.scope_name = spec["name"] ? spec["name"].as<std::string>() : "";
  summary.subject = report["subject"] ? report["subject"].as<std::string>() : "";
  summary.checked_at = report["checked_at"] ? report["checked_at"].as<std::string>() : "";
  std::map<std::string, TestcaseOutcome, std::less<>> outcomes;
  for (const auto& invocation : run["invocations"]) {
    for (const auto& result : invocation.second["results"]) {
      const auto id = result.first.as<std::string>();
      const auto value = result.second.as<int>();
      summary.testcases[id] = value > 0 ? "PASS" : value < 0 ? "FAIL" : "ABORT";
      TestcaseOutcome outcome;
      outcome.id = id;
      outcome.implemented = true;
      outcome.result = result_of(value);
      outcomes[id] = std::move(outcome);
    }
  }
  if (const auto scope = find_scope(summary.scope_uuid); scope && summary.checked_at.size() >= 10) {
    const auto in_force = versions_in_force(*scope, summary.checked_at.substr(0, 10));
    for (const auto& version : evaluate_versions(*scope, in_force, outcomes))
      summary.versions[version.name] = std::string(to_string(version.verdict));
  }
  return summary;
}

}  // namespace

ReportSummary read_report_summary(std::string_view text, const std::string& source,
                                  const ScopeFinder& find_scope) {
  try {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '{')
      return from_json(nlohmann::json::parse(text), source);
    // A YAML file may hold several documents (the monitor's upload format); a diff compares one.
    const auto documents = yaml::load_all(std::string(text));
    if (documents.size() != 1)
      throw ConfigError(
          fmt::format("{}: holds {} reports; diff compares one with one", source, documents.size()));
    return from_yaml(documents.front(), source, find_scope);
  } catch (const nlohmann::json::exception& error) {
    throw ConfigError(fmt::format("{}: not a readable JSON report: {}", source, error.what()));
  } catch (const YAML::Exception& error) {
    throw ConfigError(fmt::format("{}: not a readable YAML report: {}", source, error.what()));
  }
}

ScopeFinder scopes_in(const std::filesystem::path& directory) {
  return [directory](const std::string& uuid) -> std::optional<Scope> {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      if (entry.path().extension() != ".yaml") continue;
      auto scope = load_scope(entry.path().string());
      if (scope.uuid == uuid) return scope;
    }
    return std::nullopt;
  };
}

}  // namespace scs
