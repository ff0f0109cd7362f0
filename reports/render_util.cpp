#include "reports/render_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "reports/verdict.hpp"

namespace scs::render {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<std::string> missing_ids(const Report& report) {
  std::set<std::string> ids;
  for (const auto& outcome : report.outcomes) {
    if (!outcome.implemented && !outcome.manual) ids.insert(outcome.id);
  }
  for (const auto& version : report.versions) {
    for (const auto& target : version.targets) {
      for (const auto& id : target.testcases) {
        if (report.outcome(id) == nullptr) ids.insert(id);
      }
    }
  }
  return {ids.begin(), ids.end()};
}

namespace {

void add(Counts& counts, const TestcaseOutcome& outcome) {
  if (!outcome.implemented) {
    ++counts.missing;
    return;
  }
  switch (outcome.result.status) {
    case Status::pass:
      ++counts.passed;
      break;
    case Status::not_applicable:
      ++counts.not_applicable;
      break;
    case Status::fail:
      ++counts.failed;
      break;
    case Status::abort:
      ++counts.aborted;
      break;
  }
}

}  // namespace

Counts count_manual(const Report& report) {
  Counts counts;
  for (const auto& outcome : report.outcomes) {
    if (outcome.manual) add(counts, outcome);
  }
  return counts;
}

std::vector<const TestcaseOutcome*> manual_outcomes(const Report& report) {
  std::vector<const TestcaseOutcome*> manual;
  for (const auto& outcome : report.outcomes) {
    if (outcome.manual) manual.push_back(&outcome);
  }
  return manual;
}

std::string provenance(const Attestation& attestation) {
  return fmt::format("attested by {} ({}) on {}, valid until {}", attestation.attested_by,
                     attestation.organisation, attestation.attested_on, attestation.valid_until);
}

Counts count(const Report& report) {
  Counts counts;
  for (const auto& outcome : report.outcomes) {
    if (outcome.implemented && !outcome.manual) add(counts, outcome);
  }
  counts.missing = static_cast<int>(missing_ids(report).size());
  return counts;
}

std::string describe(const Counts& counts) {
  std::string text = fmt::format("{} passed", counts.passed);
  if (counts.not_applicable > 0) text += fmt::format(", {} N/A", counts.not_applicable);
  if (counts.failed > 0) text += fmt::format(", {} failed", counts.failed);
  if (counts.aborted > 0) text += fmt::format(", {} aborted", counts.aborted);
  if (counts.missing > 0) text += fmt::format(", {} missing", counts.missing);
  return text;
}

std::string standard_of_id(std::string_view id) {
  // "scs-0100-syntax-check" → "scs-0100"
  if (id.size() >= 8 && id.substr(0, 4) == "scs-" && std::all_of(id.begin() + 4, id.begin() + 8, [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::string(id.substr(0, 8));
  }
  return "other";
}

std::string standard_of(const TestcaseOutcome& outcome) {
  return outcome.standard.empty() ? standard_of_id(outcome.id) : outcome.standard;
}

std::string seconds(std::chrono::milliseconds elapsed) {
  const auto ms = elapsed.count();
  return fmt::format("{}.{:03}", ms / 1000, ms % 1000);
}

std::string human_duration(std::chrono::milliseconds elapsed) {
  const auto ms = elapsed.count();
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (ms < 60'000) return fmt::format("{}.{} s", ms / 1000, (ms % 1000) / 100);
  const auto total_seconds = ms / 1000;
  if (total_seconds < 3600) return fmt::format("{} min {:02} s", total_seconds / 60, total_seconds % 60);
  return fmt::format("{} h {:02} min", total_seconds / 3600, (total_seconds % 3600) / 60);
}

std::string one_line(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    result.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
  }
  // Trailing newlines of block scalars would leave trailing blanks.
  while (!result.empty() && result.back() == ' ') result.pop_back();
  return result;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string finding_text(const Finding& finding) {
  if (finding.subject.empty()) return finding.message;
  return fmt::format("{}: {}", finding.subject, finding.message);
}

namespace {

std::string shell_quote(std::string_view arg) {
  const bool safe = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
  });
  if (safe) return std::string(arg);
  std::string quoted = "'";
  for (const char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

int exit_code(const Report& report) {
  if (report.interrupted) return static_cast<int>(ExitCode::interrupted);
  if (report.aborted_run_exit) return static_cast<int>(*report.aborted_run_exit);
  return static_cast<int>(exit_decision(report));
}

std::string command_line(const Report& report) {
  std::string line = "scs-conformance";
  for (const auto& arg : report.argv) line += " " + shell_quote(arg);
  return line;
}

}  // namespace scs::render
