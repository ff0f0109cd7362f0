// The compliance-monitor report (format of the official checker, see the header). Written by
// hand rather than with yaml-cpp's emitter because the reader is PyYAML/ruamel with YAML 1.1
// rules: a plain `2026-08-21` or `yes` would come back as a date or a bool, so every string
// that could be read as something else is quoted, and the two timestamps are deliberately not.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "reports/render_util.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"
#include "spec/spec.hpp"

namespace scs {
namespace {

// Plain scalars that PyYAML (YAML 1.1) or ruamel (YAML 1.2) would resolve to something other
// than a string: bool, null, int, float, timestamp, merge/value keys. The patterns are those of
// the YAML 1.1 type repository (yaml.org/type), plus 1.2's 0o octal and y/n to be safe.
bool resolves_to_non_string(const std::string& text) {
  // Every such form is short; long lines (evidence) skip the regex, whose backtracking
  // recursion in libstdc++ grows with the input.
  if (text.size() > 48) return false;
  static const std::regex pattern(
      "y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"  // bool
      "|~|null|Null|NULL"                                                                   // null
      "|[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"          // int
      "|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"                                                   // sexagesimal int
      "|[-+]?([0-9][0-9_]*)?\\.[0-9_.]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"  // float
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \\t]+)?([0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?"  // timestamp
      "([ \\t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?"
      "|<<|=");
  return std::regex_match(text, pattern);
}

bool needs_quotes(std::string_view text) {
  if (text.empty() || resolves_to_non_string(std::string(text))) return true;
  if (text.front() == ' ' || text.back() == ' ' || text.back() == ':') return true;
  if (text.starts_with("---") || text.starts_with("...")) return true;  // document markers
  // Indicators that start another construct ("[", "&anchor", "!tag", "#", …); a dash only
  // when a blank follows ("- x" is a list item, "-s" is just text).
  if (std::string_view("?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos) return true;
  if (text.front() == '-' && (text.size() == 1 || text[1] == ' ')) return true;
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos) return true;
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string scalar(std::string_view text) {
  if (!needs_quotes(text)) return std::string(text);
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
  if (control) return double_quoted(text);
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A timestamp/date stays plain so the monitor reads it as one (like the official report);
// anything unexpected is quoted instead of producing invalid YAML.
std::string timestamp(std::string_view text) {
  const bool date_like = text.size() >= 10 && is_iso_date(text.substr(0, 10)) &&
                         std::all_of(text.begin(), text.end(), [](char c) {
                           return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == ':' ||
                                  c == ' ' || c == '.' || c == 'T';
                         });
  return date_like ? std::string(text) : scalar(text);
}

class Writer {
 public:
  void line(int indent, std::string_view key, std::string_view value) {
    out_ += fmt::format("{:{}}{}: {}\n", "", indent, scalar(key), value);
  }
  void text(int indent, std::string_view key, std::string_view value) { line(indent, key, scalar(value)); }
  void number(int indent, std::string_view key, long long value) { line(indent, key, std::to_string(value)); }
  void flag(int indent, std::string_view key, bool value) { line(indent, key, value ? "true" : "false"); }
  void open(int indent, std::string_view key) { out_ += fmt::format("{:{}}{}:\n", "", indent, scalar(key)); }
  // Block sequences at the parent key's indentation, as PyYAML writes them.
  void list(int indent, std::string_view key, const std::vector<std::string>& items) {
    if (items.empty()) return line(indent, key, "[]");
    open(indent, key);
    for (const auto& item : items) out_ += fmt::format("{:{}}- {}\n", "", indent, scalar(item));
  }
  void raw(std::string_view text) { out_ += text; }
  [[nodiscard]] std::string str() && { return std::move(out_); }

 private:
  std::string out_;
};

int result_value(Status status) {
  switch (status) {
    case Status::pass:
    case Status::not_applicable:
      return 1;
    case Status::abort:
      return 0;
    case Status::fail:
      return -1;
  }
  return 0;
}

std::string_view official_verdict(Status status) {
  // The official result vocabulary has no N/A: not applicable is a pass.
  return status == Status::not_applicable ? "PASS" : to_string(status);
}

// stderr of the one invocation: the evidence, prefixed like Python logging lines.
std::vector<std::string> stderr_lines(const Report& report) {
  std::vector<std::string> lines;
  if (report.aborted_run)
    lines.push_back(fmt::format("ERROR: run could not start: {}", render::one_line(*report.aborted_run)));
  if (report.interrupted) lines.emplace_back("ERROR: run interrupted; results are incomplete");
  for (const auto& outcome : report.outcomes) {
    const auto& id = outcome.id;
    if (outcome.manual) continue;  // the manual invocation's
    if (!outcome.implemented) {
      lines.push_back(outcome.standard.empty()
                          ? fmt::format("WARNING: {}: not implemented by scs-conformance (MISSING)", id)
                          : fmt::format("INFO: {}: not selected in this run (MISSING)", id));
      continue;
    }
    const auto summary = render::one_line(outcome.result.summary);
    switch (outcome.result.status) {
      case Status::pass:
        if (!summary.empty()) lines.push_back(fmt::format("INFO: {}: {}", id, summary));
        break;
      case Status::not_applicable:
        lines.push_back(fmt::format("INFO: {}: not applicable: {}", id, summary));
        break;
      case Status::abort:
        lines.push_back(fmt::format("WARNING: {}: could not be determined: {}", id, summary));
        break;
      case Status::fail:
        lines.push_back(fmt::format("ERROR: {}: {}", id, summary));
        for (const auto& finding : outcome.result.evidence) {
          lines.push_back(fmt::format("ERROR: {}: {}", id, render::one_line(render::finding_text(finding))));
        }
        break;
    }
    for (const auto& note : outcome.result.notes)
      lines.push_back(fmt::format("WARNING: {}: {}", id, render::one_line(note)));
  }
  return lines;
}

int count_prefix(const std::vector<std::string>& a, const std::vector<std::string>& b,
                 std::string_view prefix) {
  // Same rule as the official checker: the lower-cased line starts with the channel name.
  const auto starts = [&](const std::string& line) {
    if (line.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
    }
    return true;
  };
  return static_cast<int>(std::count_if(a.begin(), a.end(), starts) +
                          std::count_if(b.begin(), b.end(), starts));
}

void write_invocation(Writer& w, const Report& report) {
  std::vector<std::string> stdout_lines;
  for (const auto& outcome : report.outcomes) {
    if (outcome.implemented && !outcome.manual)
      stdout_lines.push_back(fmt::format("{}: {}", outcome.id, official_verdict(outcome.result.status)));
  }
  const auto errors = stderr_lines(report);
  const int rc = render::exit_code(report);

  // One in-process run is one invocation; it carries the run's uuid (there is no second one).
  w.open(2, "invocations");
  w.open(4, report.run_uuid);
  w.text(6, "id", report.run_uuid);
  w.text(6, "cmd", render::command_line(report));
  const bool any_result = std::any_of(report.outcomes.begin(), report.outcomes.end(),
                                      [](const auto& o) { return o.implemented && !o.manual; });
  if (!any_result) {
    w.line(6, "results", "{}");
  } else {
    w.open(6, "results");
    for (const auto& outcome : report.outcomes) {
      if (outcome.implemented && !outcome.manual)
        w.number(8, outcome.id, result_value(outcome.result.status));
    }
  }
  w.number(6, "rc", rc);
  w.list(6, "stdout", stdout_lines);
  w.list(6, "stderr", errors);
  w.number(6, "info", count_prefix(stdout_lines, errors, "info"));
  w.number(6, "warning", count_prefix(stdout_lines, errors, "warning"));
  w.number(6, "error", count_prefix(stdout_lines, errors, "error"));
  w.number(6, "critical", count_prefix(stdout_lines, errors, "critical"));
}

// The manual testcases as a second invocation, `manual`, that no script ran: the monitor reads
// every invocation's `results`, so an attested result counts there as a measured one does
// (absent = MISSING, as for a testcase not run). `attestations` carries who vouches for each
// result; the monitor stores it with the report and reads nothing else of it.
void write_manual_invocation(Writer& w, const Report& report) {
  const auto manual = render::manual_outcomes(report);
  if (manual.empty()) return;
  std::vector<std::string> stdout_lines, errors;
  bool failed = false;
  for (const auto* outcome : manual) {
    if (!outcome->attestation) {
      errors.push_back(
          fmt::format("WARNING: {}: {} (MISSING)", outcome->id, render::one_line(outcome->result.summary)));
      continue;
    }
    const auto& a = *outcome->attestation;
    stdout_lines.push_back(fmt::format("{}: {}", outcome->id, to_string(a.result)));
    errors.push_back(fmt::format("{}: {}: {}; evidence {}", a.result == Status::fail ? "ERROR" : "INFO",
                                 outcome->id, render::one_line(render::provenance(a)),
                                 render::one_line(a.evidence)));
    failed = failed || a.result == Status::fail;
  }
  w.open(4, "manual");
  w.text(6, "id", "manual");
  w.text(6, "cmd", "manual testcases: results attested by people (scs-conformance run --attest)");
  w.flag(6, "manual", true);
  if (stdout_lines.empty()) {
    w.line(6, "results", "{}");
    w.line(6, "attestations", "{}");
  } else {
    w.open(6, "results");
    for (const auto* outcome : manual) {
      if (outcome->attestation) w.number(8, outcome->id, result_value(outcome->attestation->result));
    }
    w.open(6, "attestations");
    for (const auto* outcome : manual) {
      if (!outcome->attestation) continue;
      const auto& a = *outcome->attestation;
      w.open(8, outcome->id);
      w.text(10, "result", to_string(a.result));
      w.text(10, "evidence", a.evidence);
      w.text(10, "attested_by", a.attested_by);
      w.text(10, "organisation", a.organisation);
      w.text(10, "attested_on", a.attested_on);  // quoted: a string, as in the attestation file
      w.text(10, "valid_until", a.valid_until);
      if (a.subject) w.text(10, "subject", *a.subject);
    }
  }
  w.number(6, "rc", failed ? 1 : 0);
  w.list(6, "stdout", stdout_lines);
  w.list(6, "stderr", errors);
  w.number(6, "info", count_prefix(stdout_lines, errors, "info"));
  w.number(6, "warning", count_prefix(stdout_lines, errors, "warning"));
  w.number(6, "error", count_prefix(stdout_lines, errors, "error"));
  w.number(6, "critical", count_prefix(stdout_lines, errors, "critical"));
}

void write_verdicts(Writer& w, const Report& report) {
  w.open(0, "scs_conformance");
  w.text(2, "tool_version", report.tool_version);
  w.text(2, "cloud", report.cloud);
  w.text(2, "verdict", to_string(overall_verdict(report)));
  w.number(2, "exit_code", render::exit_code(report));
  w.line(2, "wall_time", render::seconds(report.wall_time));
  w.number(2, "api_calls", static_cast<long long>(report.totals.calls));
  if (!report.token_source.empty()) w.text(2, "token", report.token_source);
  if (report.versions.empty()) return w.line(2, "versions", "{}");
  w.open(2, "versions");
  for (const auto& version : report.versions) {
    w.open(4, version.name);
    w.text(6, "validity", version.validity);
    w.text(6, "verdict", to_string(version.verdict));
    w.flag(6, "decides_exit", decides_exit(report, version));
    if (version.targets.empty()) {
      w.line(6, "targets", "{}");
      continue;
    }
    w.open(6, "targets");
    for (const auto& target : version.targets) {
      w.open(8, target.name);
      w.text(10, "verdict", to_string(target.verdict));
      w.number(10, "passed", target.passed);
      w.number(10, "failed", target.failed);
      w.number(10, "aborted", target.aborted);
      w.number(10, "missing", target.missing);
    }
  }
}

}  // namespace

std::string render_yaml(const Report& report) {
  Writer w;
  w.raw("---\n");
  w.open(0, "spec");
  w.text(2, "uuid", report.scope_uuid);
  w.text(2, "name", report.scope_name);
  w.text(2, "url", report.scope_url);
  w.line(0, "checked_at", timestamp(report.checked_at));
  w.line(0, "reference_date", timestamp(report.reference_date));
  w.text(0, "subject", report.subject);
  w.open(0, "run");
  w.text(2, "uuid", report.run_uuid);
  w.list(2, "argv", report.argv);
  if (report.assignment.empty()) {
    w.line(2, "assignment", "{}");
  } else {
    w.open(2, "assignment");
    for (const auto& [key, value] : report.assignment) w.text(4, key, value);
  }
  if (report.sections) {
    w.list(2, "sections", *report.sections);
  } else {
    w.line(2, "sections", "null");
  }
  report.forced_version ? w.text(2, "forced_version", *report.forced_version)
                        : w.line(2, "forced_version", "null");
  report.forced_tests ? w.text(2, "forced_tests", *report.forced_tests) : w.line(2, "forced_tests", "null");
  write_invocation(w, report);
  write_manual_invocation(w, report);
  write_verdicts(w, report);
  return std::move(w).str();
}

}  // namespace scs
