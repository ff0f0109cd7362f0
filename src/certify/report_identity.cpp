#include "certify/report_identity.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "spec/yaml_strict.hpp"

namespace scs {
namespace {

std::string required_text(std::string_view path, const YAML::Node& node) {
  if (!node || !node.IsScalar() || node.Scalar().empty()) throw ReportFormatError(fmt::format("no {}", path));
  return node.Scalar();
}

ReportIdentity identity_of(const YAML::Node& document) {
  if (!document.IsMap()) throw ReportFormatError("not a mapping");
  ReportIdentity identity;
  const auto spec = document["spec"];
  if (!spec || !spec.IsMap()) throw ReportFormatError("no spec");
  identity.scope_uuid = required_text("spec.uuid", spec["uuid"]);
  if (spec["name"] && spec["name"].IsScalar()) identity.scope_name = spec["name"].Scalar();
  identity.subject = required_text("subject", document["subject"]);
  identity.checked_at = required_text("checked_at", document["checked_at"]);
  const auto run = document["run"];
  if (!run || !run.IsMap()) throw ReportFormatError("no run");
  identity.run_uuid = required_text("run.uuid", run["uuid"]);
  const auto invocations = run["invocations"];
  if (!invocations || !invocations.IsMap()) throw ReportFormatError("no run.invocations");
  for (const auto& invocation : invocations) {
    const auto name = invocation.first.as<std::string>();
    const auto results = invocation.second["results"];
    if (!results || !results.IsMap())
      throw ReportFormatError(fmt::format("no run.invocations.{}.results", name));
    for (const auto& result : results) {
      const auto id = result.first.as<std::string>();
      int value = 2;
      try {
        value = result.second.as<int>();
      } catch (const YAML::Exception&) {
      }
      if (value < -1 || value > 1) throw ReportFormatError(fmt::format("result of {} is not 1, 0 or -1", id));
      ++identity.results;
    }
  }
  return identity;
}

}  // namespace

ReportDocuments read_report_identity(std::string_view bytes, std::string_view source) {
  ReportDocuments report;
  const auto first = bytes.find_first_not_of(" \t\r\n");
  report.format =
      first != std::string_view::npos && bytes[first] == '{' ? ReportFormat::json : ReportFormat::yaml;
  try {
    const auto documents = yaml::load_all(std::string(bytes));
    for (const auto& document : documents) {
      if (document.IsNull()) continue;
      report.documents.push_back(identity_of(document));
    }
  } catch (const ReportFormatError& error) {
    throw ReportFormatError(
        fmt::format("{} is not a report the compliance monitor can read: {}", source, error.what()));
  } catch (const YAML::Exception& error) {
    throw ReportFormatError(fmt::format("{} is not a report the compliance monitor can read: line {}: {}",
                                        source, error.mark.line + 1, error.msg));
  }
  if (report.documents.empty())
    throw ReportFormatError(
        fmt::format("{} is not a report the compliance monitor can read: it is empty", source));
  if (report.format == ReportFormat::json && report.documents.size() != 1)
    throw ReportFormatError(fmt::format("{}: a JSON report holds exactly one document", source));
  return report;
}

std::string_view monitor_content_type(ReportFormat format) {
  return format == ReportFormat::json ? "application/x-signed-json" : "application/x-signed-yaml";
}

}  // namespace scs
