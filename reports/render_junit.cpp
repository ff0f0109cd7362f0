// JUnit XML, in the dialect CI systems (GitLab, Jenkins, GitHub test reporters) read: one
// <testsuite> per standard, classname = standard, name = testcase id.

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "reports/render_util.hpp"
#include "reports/renderers.hpp"

namespace scs {
namespace {

// XML 1.0 forbids most control characters even as references; they become U+FFFD.
std::string escape(std::string_view text, bool attribute) {
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
        out += attribute ? "&quot;" : "\"";
        break;
      case '\'':
        out += attribute ? "&apos;" : "'";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string attr(std::string_view text) { return escape(text, true); }
std::string body(std::string_view text) { return escape(text, false); }

struct Suite {
  std::vector<const TestcaseOutcome*> testcases;
  int failures = 0, errors = 0, skipped = 0;
  std::chrono::milliseconds time{0};
};

std::string failure_body(const TestcaseOutcome& outcome) {
  std::string text;
  for (const auto& finding : outcome.result.evidence) text += render::finding_text(finding) + "\n";
  if (!outcome.remediation.empty()) text += "\nRemediation:\n" + outcome.remediation;
  if (!text.empty() && text.back() != '\n') text += "\n";
  return text;
}

// A manual testcase: no time of its own; the attestation is its evidence.
void write_manual_testcase(std::string& out, const TestcaseOutcome& outcome) {
  out += fmt::format("    <testcase classname=\"manual\" name=\"{}\" time=\"0.000\">\n", attr(outcome.id));
  if (!outcome.attestation) {
    out += fmt::format("      <skipped message=\"{}\"/>\n", attr("MISSING: " + outcome.result.summary));
  } else {
    const auto& a = *outcome.attestation;
    const auto text = fmt::format("{}\nevidence: {}\n", render::provenance(a), a.evidence);
    if (a.result == Status::fail) {
      out += fmt::format("      <failure type=\"FAIL\" message=\"{}\">{}</failure>\n",
                         attr(outcome.result.summary), body(text));
    }
    out += fmt::format("      <system-out>{}</system-out>\n", body(text));
  }
  out += "    </testcase>\n";
}

void write_testcase(std::string& out, const std::string& suite, const TestcaseOutcome& outcome) {
  out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", attr(suite), attr(outcome.id),
                     render::seconds(outcome.elapsed));
  const auto& result = outcome.result;
  std::string inner;
  if (!outcome.implemented) {
    inner = fmt::format("      <skipped message=\"{}\"/>\n",
                        outcome.standard.empty() ? "MISSING: not implemented by scs-conformance"
                                                 : "MISSING: not selected in this run");
  } else {
    switch (result.status) {
      case Status::pass:
        break;
      case Status::not_applicable:
        inner = fmt::format("      <skipped message=\"{}\"/>\n", attr("N/A: " + result.summary));
        break;
      case Status::abort:
        inner = fmt::format("      <error type=\"ABORT\" message=\"{}\"/>\n", attr(result.summary));
        break;
      case Status::fail:
        inner = fmt::format("      <failure type=\"FAIL\" message=\"{}\">{}</failure>\n",
                            attr(result.summary), body(failure_body(outcome)));
        break;
    }
    if (!result.notes.empty()) {
      std::string notes;
      for (const auto& note : result.notes) notes += note + "\n";
      inner += fmt::format("      <system-out>{}</system-out>\n", body(notes));
    }
  }
  out += inner.empty() ? "/>\n" : ">\n" + inner + "    </testcase>\n";
}

// JUnit wants ISO 8601 ("2026-11-26T16:22:07"); checked_at is "2026-11-26 16:22:07.483283".
std::string iso_timestamp(std::string_view checked_at) {
  std::string text(checked_at.substr(0, 19));
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  return text;
}

}  // namespace

std::string render_junit(const Report& report) {
  // A target may name a testcase the run has no outcome for at all; it is MISSING and shown as
  // skipped like the others.
  std::vector<TestcaseOutcome> unlisted;
  for (const auto& id : render::missing_ids(report)) {
    if (report.outcome(id) != nullptr) continue;
    TestcaseOutcome outcome;
    outcome.id = id;
    unlisted.push_back(std::move(outcome));
  }
  std::vector<const TestcaseOutcome*> outcomes;
  for (const auto& outcome : report.outcomes) {
    if (!outcome.manual) outcomes.push_back(&outcome);
  }
  for (const auto& outcome : unlisted) outcomes.push_back(&outcome);
  // Manual testcases in a suite of their own, apart from the measured ones.
  const auto manual = render::manual_outcomes(report);
  Suite manual_suite;
  for (const auto* outcome : manual) {
    manual_suite.testcases.push_back(outcome);
    if (!outcome->implemented) {
      ++manual_suite.skipped;
    } else if (outcome->result.status == Status::fail) {
      ++manual_suite.failures;
    }
  }

  // Grouped by standard; std::map sorts the suites, and each suite keeps the outcomes' order.
  std::map<std::string, Suite> suites;
  for (const auto* outcome_ptr : outcomes) {
    const auto& outcome = *outcome_ptr;
    auto& suite = suites[render::standard_of(outcome)];
    suite.testcases.push_back(&outcome);
    suite.time += outcome.elapsed;
    if (!outcome.implemented || outcome.result.status == Status::not_applicable) {
      ++suite.skipped;
    } else if (outcome.result.status == Status::fail) {
      ++suite.failures;
    } else if (outcome.result.status == Status::abort) {
      ++suite.errors;
    }
  }
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const auto& [name, suite] : suites) {
    tests += static_cast<int>(suite.testcases.size());
    failures += suite.failures;
    errors += suite.errors;
    skipped += suite.skipped;
  }
  tests += static_cast<int>(manual_suite.testcases.size());
  failures += manual_suite.failures;
  skipped += manual_suite.skipped;

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
      attr(fmt::format("{} ({})", report.scope_name, report.subject)), tests, failures, errors, skipped,
      render::seconds(report.wall_time));
  for (const auto& [name, suite] : suites) {
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" "
        "timestamp=\"{}\">\n",
        attr(name), suite.testcases.size(), suite.failures, suite.errors, suite.skipped,
        render::seconds(suite.time), attr(iso_timestamp(report.checked_at)));
    for (const auto* outcome : suite.testcases) write_testcase(out, name, *outcome);
    out += "  </testsuite>\n";
  }
  if (!manual.empty()) {
    out += fmt::format(
        "  <testsuite name=\"manual (attested)\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
        "time=\"0.000\" timestamp=\"{}\">\n",
        manual_suite.testcases.size(), manual_suite.failures, manual_suite.skipped,
        attr(iso_timestamp(report.checked_at)));
    for (const auto* outcome : manual) write_manual_testcase(out, *outcome);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace scs
