// A compact Markdown summary for $GITHUB_STEP_SUMMARY (GitHub-flavoured Markdown). The step
// summary is capped at 1 MiB, so evidence is shortened here; the text, JSON and JUnit outputs
// keep every finding.

#include <fmt/format.h>

#include "reports/render_util.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"

namespace scs {
namespace {

constexpr std::size_t kMaxFindings = 20;

std::string_view icon(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "✅";
    case Verdict::fail:
      return "❌";
    case Verdict::missing:
      return "❓";
    case Verdict::abort:
      return "⚠️";
  }
  return "⚠️";
}

// Check output is plain text: characters Markdown would interpret are escaped.
std::string escape(std::string_view text) {
  std::string out;
  for (const char c : render::one_line(text)) {
    if (std::string_view("\\`*_[]<>|#~&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Continuation lines of a list item need the item's indentation.
std::string indented(std::string_view markdown, std::string_view indent) {
  std::string out;
  for (const auto& line : render::split_lines(markdown))
    out += line.empty() ? "\n" : fmt::format("{}{}\n", indent, line);
  return out;
}

void write_problem(std::string& out, const TestcaseOutcome& outcome) {
  const auto& result = outcome.result;
  out += fmt::format("- {} **`{}`**: {}\n", icon(verdict_of(&outcome)), outcome.id, escape(result.summary));
  const auto shown = std::min(result.evidence.size(), kMaxFindings);
  for (std::size_t i = 0; i < shown; ++i)
    out += fmt::format("  - {}\n", escape(render::finding_text(result.evidence[i])));
  if (result.evidence.size() > shown) {
    out += fmt::format("  - … and {} more (see the full report)\n", result.evidence.size() - shown);
  }
  if (!outcome.remediation.empty()) {
    // Remediation texts are Markdown written by us, so they are not escaped.
    out += fmt::format("\n  **Remediation:**\n{}", indented(outcome.remediation, "  "));
  }
  if (!outcome.url.empty()) out += fmt::format("\n  [Standard]({})\n", outcome.url);
}

// A URL as a link target inside a table cell: what would end the link or the cell is
// percent-encoded (the attestation parser already refused blanks and control characters).
std::string link_target(std::string_view url) {
  std::string out;
  for (const char c : url) {
    if (std::string_view("()<>|\\[]`").find(c) != std::string_view::npos) {
      out += fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// Manual testcases apart from the measured ones, with who vouches for each result.
void write_manual_markdown(std::string& out, const Report& report) {
  const auto manual = render::manual_outcomes(report);
  if (manual.empty()) return;
  out +=
      fmt::format("### Manual testcases (attested): {}\n\n", render::describe(render::count_manual(report)));
  out += "| testcase | result | attested by | on | valid until | evidence |\n|---|---|---|---|---|---|\n";
  for (const auto* outcome : manual) {
    const auto verdict = verdict_of(outcome);
    if (!outcome->attestation) {
      out += fmt::format("| `{}` | {} {} | {} | | | |\n", outcome->id, icon(verdict), to_string(verdict),
                         escape(outcome->result.summary));
      continue;
    }
    const auto& a = *outcome->attestation;
    out += fmt::format("| `{}` | {} {} | {} ({}) | {} | {} | [{}]({}) |\n", outcome->id, icon(verdict),
                       to_string(verdict), escape(a.attested_by), escape(a.organisation), a.attested_on,
                       a.valid_until, escape(a.evidence), link_target(a.evidence));
  }
  out += "\n";
}

}  // namespace

std::string render_markdown(const Report& report) {
  const Verdict overall = overall_verdict(report);
  std::string out = fmt::format("## {} {}: {} — subject `{}`\n\n", icon(overall), escape(report.scope_name),
                                to_string(overall), escape(report.subject));
  if (report.aborted_run)
    out += fmt::format("> **The run could not start:** {}\n\n", escape(*report.aborted_run));
  if (report.interrupted) out += "> **The run was interrupted; results are incomplete.**\n\n";
  if (!report.left_behind.empty()) {
    out += "> **Left behind** (could not be deleted; remove later with `" +
           escape(report.left_behind.front().cleanup_command) + "`):\n";
    for (const auto& left : report.left_behind) {
      out += fmt::format(">  - {} `{}`{}{}\n", escape(left.type), escape(left.name),
                         left.id.empty() ? "" : fmt::format(" (id `{}`)", escape(left.id)),
                         left.reason.empty() ? "" : ": " + escape(left.reason));
    }
    out += "\n";
  }

  for (const auto& version : report.versions) {
    const bool decides = decides_exit(report, version);
    out += fmt::format("### {} {} ({}{}): {}\n\n", icon(version.verdict), escape(version.name),
                       version.validity, decides ? "" : ", informative", to_string(version.verdict));
    if (version.targets.empty()) {
      out += "No testcases required.\n\n";
      continue;
    }
    out += "| target | verdict | passed | failed | aborted | missing |\n|---|---|--:|--:|--:|--:|\n";
    for (const auto& target : version.targets) {
      out += fmt::format("| {} | {} {} | {} | {} | {} | {} |\n", escape(target.name), icon(target.verdict),
                         to_string(target.verdict), target.passed, target.failed, target.aborted,
                         target.missing);
    }
    out += "\n";
  }

  for (const auto status : {Status::fail, Status::abort}) {
    std::string section;
    for (const auto& outcome : report.outcomes) {
      if (outcome.implemented && !outcome.manual && outcome.result.status == status)
        write_problem(section, outcome);
    }
    if (!section.empty())
      out += fmt::format("### {}\n\n{}\n", status == Status::fail ? "Failed" : "Aborted", section);
  }
  const auto missing = render::missing_ids(report);
  if (!missing.empty()) {
    out += fmt::format("<details><summary>Missing ({}): not implemented or not selected</summary>\n\n",
                       missing.size());
    for (std::size_t i = 0; i < missing.size(); ++i)
      out += fmt::format("{}`{}`", i == 0 ? "" : ", ", missing[i]);
    out += "\n\n</details>\n\n";
  }

  write_manual_markdown(out, report);

  const auto counts = render::count(report);
  out += fmt::format(
      "<sub>{} testcases: {} · {} · {} API calls · scs-conformance {} · checked {} · reference date "
      "{}</sub>\n",
      counts.total(), render::describe(counts), render::human_duration(report.wall_time), report.totals.calls,
      escape(report.tool_version), escape(report.checked_at), escape(report.reference_date));
  return out;
}

}  // namespace scs
