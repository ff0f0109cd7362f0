#include "reports/render_overview.hpp"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/render_util.hpp"

namespace scs {

namespace {

using render::html_escape;

// Every version any row has, newest name last (the scopes name them v1 … v5.1, next).
std::vector<std::string> version_columns(const std::vector<SubjectRow>& rows) {
  std::set<std::string> names;
  for (const auto& row : rows)
    for (const auto& [name, verdict] : row.versions) names.insert(name);
  return {names.begin(), names.end()};
}

std::string cell(const SubjectRow& row, const std::string& version) {
  const auto it = row.versions.find(version);
  return it == row.versions.end() ? "" : it->second;
}

}  // namespace

std::string render_overview_json(const std::vector<SubjectRow>& rows) {
  auto subjects = nlohmann::json::array();
  for (const auto& row : rows) {
    subjects.push_back({{"subject", row.subject},
                        {"scope", row.scope},
                        {"versions", row.versions},
                        {"exit_code", row.exit_code},
                        {"error", row.error.empty() ? nlohmann::json() : nlohmann::json(row.error)},
                        {"report", row.report.empty() ? nlohmann::json() : nlohmann::json(row.report)}});
  }
  // Names and errors come from the subjects file and the subjects: bytes that are not UTF-8
  // are replaced, not fatal.
  return nlohmann::json{{"format", "scs-conformance-overview/1"}, {"subjects", subjects}}.dump(
             2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

std::string render_overview_markdown(const std::vector<SubjectRow>& rows) {
  const auto columns = version_columns(rows);
  std::string out = "| subject | scope |";
  for (const auto& column : columns) out += fmt::format(" {} |", column);
  out += " exit |\n|---|---|";
  for (std::size_t i = 0; i < columns.size(); ++i) out += "---|";
  out += "---|\n";
  for (const auto& row : rows) {
    out += fmt::format("| {} | {} |",
                       row.report.empty() ? row.subject : fmt::format("[{}]({})", row.subject, row.report),
                       row.error.empty() ? row.scope : "error: " + row.error);
    for (const auto& column : columns) out += fmt::format(" {} |", cell(row, column));
    out += fmt::format(" {} |\n", row.exit_code);
  }
  return out;
}

std::string render_overview_html(const std::vector<SubjectRow>& rows) {
  const auto columns = version_columns(rows);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>SCS conformance: "
      "overview</"
      "title>\n<style>\nbody{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
      "td,th{padding:.3rem .7rem;border:1px solid #ddd;text-align:left}.PASS{background:#dff3e0}"
      ".FAIL{background:#fde2e1}.ABORT{background:#fff1cc}.MISSING{background:#e8e8f8}.error{color:#7f1d1d}\n"
      "</style>\n</head>\n<body>\n<h1>SCS conformance: "
      "overview</h1>\n<table>\n<thead><tr><th>subject</th><th>scope</th>";
  for (const auto& column : columns) out += fmt::format("<th>{}</th>", html_escape(column));
  out += "<th>exit</th></tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    const auto subject = row.report.empty() ? html_escape(row.subject)
                                            : fmt::format("<a href=\"{}\">{}</a>", html_escape(row.report),
                                                          html_escape(row.subject));
    const auto scope = row.error.empty()
                           ? html_escape(row.scope)
                           : fmt::format("<span class=\"error\">error: {}</span>", html_escape(row.error));
    out += fmt::format("<tr><td>{}</td><td>{}</td>", subject, scope);
    for (const auto& column : columns) {
      const auto verdict = cell(row, column);
      out += fmt::format("<td class=\"{0}\">{0}</td>", html_escape(verdict));
    }
    out += fmt::format("<td>{}</td></tr>\n", row.exit_code);
  }
  out += "</tbody>\n</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace scs
