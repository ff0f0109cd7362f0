// One self-contained HTML page: no network, no external assets, no JavaScript. The verdict
// per scope version on top, then the testcases grouped by standard, the standards with
// failures first and within each the failures first, each with its summary, evidence,
// remediation and a link to the standard.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "reports/render_util.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"

namespace scs {
namespace {

using render::html_escape;

// The label a person reads: the check's own status (N/A stays N/A), MISSING when it never ran.
std::string label(const TestcaseOutcome& outcome) {
  if (!outcome.implemented) return "MISSING";
  return std::string(to_string(outcome.result.status));
}

std::string css_class(std::string_view label) {
  if (label == "PASS") return "pass";
  if (label == "FAIL") return "fail";
  if (label == "N/A") return "na";
  if (label == "MISSING") return "missing";
  return "abort";
}

// Failures first, then what did not complete, then the rest.
int rank(std::string_view label) {
  if (label == "FAIL") return 0;
  if (label == "ABORT") return 1;
  if (label == "MISSING") return 2;
  if (label == "N/A") return 3;
  return 4;
}

constexpr std::string_view style = R"(
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;margin:.8rem 0}td,th{padding:.3rem .7rem;border:1px solid #ddd;text-align:left}
.status{font-weight:700;padding:.1rem .45rem;border-radius:.25rem;font-size:.85rem;white-space:nowrap}
.pass{background:#dff3e0;color:#14532d}.fail{background:#fde2e1;color:#7f1d1d}
.abort{background:#fff1cc;color:#713f12}.missing{background:#e8e8f8;color:#312e81}.na{background:#eee;color:#333}
details{border:1px solid #ddd;border-radius:.3rem;margin:.4rem 0;padding:.4rem .7rem}
summary{cursor:pointer}summary code{font-weight:600}
.evidence li{font-family:ui-monospace,monospace;font-size:.85rem}
.remediation{background:#f6f8fa;padding:.5rem .8rem;border-radius:.3rem;white-space:pre-wrap;font-size:.9rem}
)";

void write_versions(std::string& out, const Report& report) {
  out +=
      "<table><thead><tr><th>version</th><th>validity</th><th>verdict</th><th>counts</th></tr></"
      "thead><tbody>\n";
  for (const auto& version : report.versions) {
    const auto verdict = std::string(to_string(version.verdict));
    std::string counts;
    for (const auto& target : version.targets) {
      if (target.name != "main") continue;
      counts = fmt::format("{} passed, {} failed, {} aborted, {} missing", target.passed, target.failed,
                           target.aborted, target.missing);
    }
    out += fmt::format(
        "<tr><td>{}</td><td>{}{}</td><td><span class=\"status {}\">{}</span></td><td>{}</td></tr>\n",
        html_escape(version.name), html_escape(version.validity),
        decides_exit(report, version) ? "" : " (not deciding)", css_class(verdict), verdict,
        html_escape(version.decides ? counts : "requires nothing"));
  }
  out += "</tbody></table>\n";
}

void write_testcase(std::string& out, const TestcaseOutcome& outcome) {
  const auto shown = label(outcome);
  const auto& result = outcome.result;
  const bool open = shown == "FAIL" || shown == "ABORT";
  out += fmt::format("<details{}><summary><span class=\"status {}\">{}</span> <code>{}</code> {}</summary>\n",
                     open ? " open" : "", css_class(shown), shown, html_escape(outcome.id),
                     html_escape(outcome.implemented ? result.summary : "not run by this tool"));
  if (!outcome.description.empty()) out += fmt::format("<p>{}</p>\n", html_escape(outcome.description));
  if (!result.evidence.empty()) {
    out += "<ul class=\"evidence\">\n";
    for (const auto& finding : result.evidence)
      out += fmt::format("<li>{}</li>\n", html_escape(render::finding_text(finding)));
    out += "</ul>\n";
  }
  for (const auto& note : result.notes)
    out += fmt::format("<p class=\"meta\">note: {}</p>\n", html_escape(note));
  if (!outcome.remediation.empty() && shown != "PASS" && shown != "N/A") {
    out += fmt::format("<p><strong>Remediation</strong></p><div class=\"remediation\">{}</div>\n",
                       html_escape(outcome.remediation));
  }
  if (!outcome.url.empty())
    out += fmt::format("<p class=\"meta\"><a href=\"{0}\">{0}</a></p>\n", html_escape(outcome.url));
  out += "</details>\n";
}

// Manual testcases apart from the measured ones: a table of results and who vouches for them.
void write_manual_html(std::string& out, const Report& report) {
  const auto manual = render::manual_outcomes(report);
  if (manual.empty()) return;
  out += fmt::format("<h2 id=\"manual\">Manual testcases (attested)</h2>\n<p class=\"meta\">{}</p>\n",
                     html_escape(render::describe(render::count_manual(report))));
  out +=
      "<table><thead><tr><th>testcase</th><th>result</th><th>attested by</th><th>on</th><th>valid "
      "until</th><th>evidence</th></tr></thead><tbody>\n";
  for (const auto* outcome : manual) {
    const auto shown = label(*outcome);
    out += fmt::format("<tr><td><code>{}</code></td><td><span class=\"status {}\">{}</span></td>",
                       html_escape(outcome->id), css_class(shown), shown);
    if (!outcome->attestation) {
      out += fmt::format("<td colspan=\"4\">{}</td></tr>\n", html_escape(outcome->result.summary));
      continue;
    }
    const auto& a = *outcome->attestation;
    out += fmt::format("<td>{} ({})</td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td></tr>\n",
                       html_escape(a.attested_by), html_escape(a.organisation), html_escape(a.attested_on),
                       html_escape(a.valid_until), html_escape(a.evidence), html_escape(a.evidence));
  }
  out += "</tbody></table>\n";
}

}  // namespace

std::string render_html(const Report& report) {
  const auto verdict = std::string(to_string(overall_verdict(report)));
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{} — {}: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
      html_escape(report.subject), html_escape(report.scope_name), verdict, style);
  out += fmt::format("<h1>{}: <span class=\"status {}\">{}</span></h1>\n", html_escape(report.subject),
                     css_class(verdict), verdict);
  out += fmt::format(
      "<p class=\"meta\"><a href=\"{}\">{}</a> · checked {} (reference date {}) · {} · scs-conformance {} · "
      "run {}</p>\n",
      html_escape(report.scope_url), html_escape(report.scope_name), html_escape(report.checked_at),
      html_escape(report.reference_date), html_escape(render::describe(render::count(report))),
      html_escape(report.tool_version), html_escape(report.run_uuid));
  if (report.aborted_run)
    out += fmt::format("<p class=\"status fail\">The run could not start: {}</p>\n",
                       html_escape(*report.aborted_run));
  if (report.interrupted) out += "<p class=\"status abort\">The run was interrupted.</p>\n";
  write_versions(out, report);
  if (!report.left_behind.empty()) {
    out += "<h2>Left behind</h2>\n<ul>\n";
    for (const auto& left : report.left_behind) {
      out += fmt::format("<li>{} {} {}: {} (remove with <code>{}</code>)</li>\n", html_escape(left.type),
                         html_escape(left.name), html_escape(left.id), html_escape(left.reason),
                         html_escape(left.cleanup_command));
    }
    out += "</ul>\n";
  }
  // Standards in order of their worst testcase, then by number; testcases failures first.
  std::map<std::string, std::vector<const TestcaseOutcome*>> by_standard;
  for (const auto& outcome : report.outcomes) {
    if (!outcome.manual) by_standard[render::standard_of(outcome)].push_back(&outcome);
  }
  std::vector<std::pair<int, std::string>> order;
  for (auto& [standard, outcomes] : by_standard) {
    std::stable_sort(outcomes.begin(), outcomes.end(),
                     [](const auto* a, const auto* b) { return rank(label(*a)) < rank(label(*b)); });
    order.emplace_back(rank(label(*outcomes.front())), standard);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [worst, standard] : order) {
    out += fmt::format("<h2 id=\"{0}\">{0}</h2>\n", html_escape(standard));
    for (const auto* outcome : by_standard[standard]) write_testcase(out, *outcome);
  }
  write_manual_html(out, report);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace scs
