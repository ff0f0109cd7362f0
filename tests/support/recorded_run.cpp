#include "tests/support/recorded_run.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>

#include "cli/run_command.hpp"

namespace scs::testing {

Report replay_recording(const std::string& name, const std::string& tests) {
  RunOptions options;
  options.scope_file = std::string(SCS_SOURCE_DIR) + "/standards/scopes/scs-compatible-iaas.yaml";
  options.replay_dir = std::string(SCS_SOURCE_DIR) + "/tests/checks/cassettes/" + name;
  if (!tests.empty()) options.tests = tests;
  options.quiet = true;
  const std::atomic<bool> interrupted{false};
  auto report = run_scope(options, interrupted).report;
  // A request the recording cannot answer (ReplayTransport: "… is not in the cassette …")
  // ends its testcase as an ABORT; here it is a test error, never a verdict to assert on.
  std::string misses;
  for (const auto& outcome : report.outcomes) {
    if (outcome.result.summary.find(" is not in the cassette ") != std::string::npos)
      misses += "\n  " + outcome.id + ": " + outcome.result.summary;
  }
  if (!misses.empty())
    FAIL("test error, not a verdict: the recording " << name << " cannot answer" << misses);
  return report;
}

const TestcaseOutcome& outcome_of(const Report& report, const std::string& id) {
  const auto* outcome = report.outcome(id);
  if (outcome == nullptr) throw std::runtime_error("the run has no outcome for " + id);
  return *outcome;
}

bool evidence_mentions(const TestcaseOutcome& outcome, const std::string& text) {
  for (const auto& finding : outcome.result.evidence) {
    if (finding.subject.find(text) != std::string::npos || finding.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace scs::testing
