#pragma once

#include <string>

#include "reports/report.hpp"

namespace scs::testing {

/// Runs the real scope, standards, registry and runner offline over a recording made with
/// `scs-conformance run --record tests/checks/cassettes/NAME` against the test cloud.
/// `tests` narrows the run like --tests. A testcase that asked the recording for a request it
/// does not have fails the test (a test error, not an ABORT verdict).
Report replay_recording(const std::string& name, const std::string& tests = {});

/// The outcome of `id`; fails the test if the run has none.
const TestcaseOutcome& outcome_of(const Report& report, const std::string& id);

/// Whether some evidence item's subject or message mentions `text`.
bool evidence_mentions(const TestcaseOutcome& outcome, const std::string& text);

}  // namespace scs::testing
