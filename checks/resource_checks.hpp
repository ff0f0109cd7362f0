#pragma once

// Helpers shared by the checks that create resources.

#include <chrono>
#include <string>

#include "core/context.hpp"
#include "core/polling.hpp"

namespace scs::checks {

/// Polling interval and per-wait timeout from the testcase's params (`poll_seconds`,
/// `wait_seconds`); replayed unit tests set poll_seconds to 0.
WaitPolicy wait_policy(const Params& params);

/// The first line of the cleanup problems, for a summary.
std::string cleanup_summary(const std::vector<std::string>& problems);

}  // namespace scs::checks
