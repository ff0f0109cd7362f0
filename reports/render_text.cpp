// Terminal output: what a provider reads first. Verdicts on top, then every testcase that did
// not pass with each offending object and the remediation, then one summary line.

#include <fmt/format.h>

#include "reports/render_util.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"

namespace scs {
namespace {

class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  [[nodiscard]] std::string paint(std::string_view text, std::string_view code) const {
    return enabled_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
  [[nodiscard]] std::string bold(std::string_view text) const { return paint(text, "1"); }
  [[nodiscard]] std::string dim(std::string_view text) const { return paint(text, "2"); }
  [[nodiscard]] std::string verdict(Verdict v) const {
    switch (v) {
      case Verdict::pass:
        return paint(to_string(v), "1;32");
      case Verdict::fail:
        return paint(to_string(v), "1;31");
      case Verdict::missing:
      case Verdict::abort:
        break;
    }
    return paint(to_string(v), "1;33");
  }

 private:
  bool enabled_;
};

std::string target_counts(const TargetReport& target) {
  return render::describe({.passed = target.passed,
                           .not_applicable = 0,
                           .failed = target.failed,
                           .aborted = target.aborted,
                           .missing = target.missing});
}

void write_versions(std::string& out, const Report& report, const Painter& p) {
  for (const auto& version : report.versions) {
    const bool decides = decides_exit(report, version);
    const auto label =
        fmt::format("{} ({}{})", version.name, version.validity, decides ? "" : ", informative");
    out += fmt::format("{}: {}", decides ? p.bold(label) : label, p.verdict(version.verdict));
    if (version.targets.empty()) {
      out += " — no testcases required\n";
      continue;
    }
    out += "\n";
    for (const auto& target : version.targets) {
      out += fmt::format("  {}: {} — {}\n", target.name, p.verdict(target.verdict), target_counts(target));
    }
  }
}

void write_problem(std::string& out, const TestcaseOutcome& outcome, const Painter& p) {
  const auto& result = outcome.result;
  out += fmt::format("  {}: {}\n", p.bold(outcome.id), render::one_line(result.summary));
  for (const auto& finding : result.evidence)
    out += fmt::format("    - {}\n", render::one_line(render::finding_text(finding)));
  for (const auto& note : result.notes)
    out += fmt::format("    {} {}\n", p.dim("note:"), render::one_line(note));
  const auto remediation = render::split_lines(outcome.remediation);
  for (std::size_t i = 0; i < remediation.size(); ++i) {
    if (i > 0 && remediation[i].empty()) {
      out += "\n";  // no trailing blanks on empty lines
    } else {
      out +=
          fmt::format("    {}{}\n", i == 0 ? p.dim("remediation: ") : std::string(13, ' '), remediation[i]);
    }
  }
  if (!outcome.url.empty()) out += fmt::format("    {}{}\n", p.dim("see: "), outcome.url);
}

void write_problems(std::string& out, const Report& report, const Painter& p) {
  for (const auto status : {Status::fail, Status::abort}) {
    std::string section;
    for (const auto& outcome : report.outcomes) {
      if (outcome.implemented && !outcome.manual && outcome.result.status == status)
        write_problem(section, outcome, p);
    }
    if (section.empty()) continue;
    const auto heading = status == Status::fail ? p.paint("FAILED", "1;31") : p.paint("ABORTED", "1;33");
    out += fmt::format("\n{}\n{}", heading, section);
  }
  const auto missing = render::missing_ids(report);
  if (missing.empty()) return;
  out += fmt::format("\n{} {}\n", p.paint("MISSING", "1;33"), p.dim("(not implemented or not selected)"));
  for (const auto& id : missing) out += fmt::format("  {}\n", id);
}

// Manual testcases apart from the measured ones: each with its result and who vouches for it.
void write_manual_text(std::string& out, const Report& report, const Painter& p) {
  const auto manual = render::manual_outcomes(report);
  if (manual.empty()) return;
  out += fmt::format("\n{} {}\n", p.bold("MANUAL"),
                     p.dim(fmt::format("(checked by people, attested with --attest: {})",
                                       render::describe(render::count_manual(report)))));
  for (const auto* outcome : manual) {
    const auto verdict = verdict_of(outcome);
    if (!outcome->attestation) {
      out += fmt::format("  {}: {} — {}\n", p.bold(outcome->id), p.verdict(verdict),
                         render::one_line(outcome->result.summary));
      continue;
    }
    const auto& attestation = *outcome->attestation;
    out += fmt::format("  {}: {} — {}\n", p.bold(outcome->id), p.verdict(verdict),
                       render::provenance(attestation));
    out += fmt::format("    {}{}\n", p.dim("evidence: "), attestation.evidence);
    if (!outcome->url.empty() && verdict != Verdict::pass)
      out += fmt::format("    {}{}\n", p.dim("see: "), outcome->url);
  }
}

std::string summary_line(const Report& report, const Painter& p) {
  const auto counts = render::count(report);
  auto calls = fmt::format("{} API call{}", report.totals.calls, report.totals.calls == 1 ? "" : "s");
  if (report.totals.retries > 0) {
    calls += fmt::format(" ({} retr{})", report.totals.retries, report.totals.retries == 1 ? "y" : "ies");
  }
  if (!report.token_source.empty()) calls += fmt::format(" · {} token", report.token_source);
  std::string manual;
  if (report.has_manual()) {
    const auto attested = render::count_manual(report);
    manual = fmt::format(" · {} manual: {}", attested.total(), render::describe(attested));
  }
  return fmt::format("{} · {} testcases: {}{} · {} · {}\n", p.verdict(overall_verdict(report)),
                     counts.total(), render::describe(counts), manual,
                     render::human_duration(report.wall_time), calls);
}

}  // namespace

std::string render_text(const Report& report, bool colour) {
  const Painter p(colour);
  std::string out = fmt::format("{} · subject {}", p.bold(report.scope_name), report.subject);
  if (!report.cloud.empty() && report.cloud != report.subject)
    out += fmt::format(" (cloud {})", report.cloud);
  out += fmt::format(" · reference date {}\n", report.reference_date);
  if (report.forced_tests) out += fmt::format("{}\n", p.dim(fmt::format("tests: {}", *report.forced_tests)));
  if (report.sections)
    out += fmt::format("{}\n", p.dim(fmt::format("sections: {}", fmt::join(*report.sections, ","))));
  if (report.aborted_run)
    out += fmt::format("{} {}\n", p.paint("The run could not start:", "1;31"), *report.aborted_run);
  if (report.interrupted) out += p.paint("The run was interrupted; results are incomplete.", "1;33") + "\n";
  out += "\n";
  write_versions(out, report, p);
  write_problems(out, report, p);
  write_manual_text(out, report, p);
  if (!report.left_behind.empty()) {
    out += fmt::format("\n{}\n", p.paint("LEFT BEHIND (could not be deleted)", "1;33"));
    for (const auto& left : report.left_behind) {
      out += fmt::format("  {} {}{}{}\n", left.type, left.name,
                         left.id.empty() ? "" : fmt::format(" (id {})", left.id),
                         left.reason.empty() ? "" : ": " + left.reason);
    }
    out += fmt::format("  remove later with: {}\n", report.left_behind.front().cleanup_command);
  }
  out += "\n" + summary_line(report, p);
  return out;
}

}  // namespace scs
