#pragma once

#include <chrono>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/errors.hpp"

namespace scs {

/// A wait that ran out of time: the object was still on its way, so nothing is shown to be
/// broken (a busy cloud is slow); checks judge it as ABORT, not FAIL.
class WaitTimeout : public Error {
 public:
  using Error::Error;
};

class OpenStack;

/// How long and how often to poll. Polling sleeps in short steps and calls
/// throw_if_cancelled() between them, so a time budget or Ctrl-C ends every wait promptly.
struct WaitPolicy {
  std::chrono::milliseconds interval{2000};
  std::chrono::milliseconds timeout{300'000};
};

/// Sleeps `duration`, ending early (by throwing) when the testcase is cancelled.
void sleep_cancellable(std::chrono::milliseconds duration);

/// Polls GET `path` until the object under `key` has a `status` in `wanted`; returns it. A
/// status in `failed` (e.g. "error") throws Error, the timeout WaitTimeout, each naming `what`
/// and the last status.
nlohmann::json wait_for_status(OpenStack& openstack, std::string_view service_type, const std::string& path,
                               std::string_view key, const std::set<std::string>& wanted,
                               const std::set<std::string>& failed, std::string_view what,
                               const WaitPolicy& policy);

/// Polls GET `path` until it answers 404; the timeout throws WaitTimeout naming `what`.
void wait_until_gone(OpenStack& openstack, std::string_view service_type, const std::string& path,
                     std::string_view what, const WaitPolicy& policy);

}  // namespace scs
