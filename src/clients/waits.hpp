#pragma once

#include <chrono>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace scs {

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
/// status in `failed` (e.g. "error") or the timeout throws Error naming `what` and the last status.
nlohmann::json wait_for_status(OpenStack& openstack, std::string_view service_type, const std::string& path,
                               std::string_view key, const std::set<std::string>& wanted,
                               const std::set<std::string>& failed, std::string_view what,
                               const WaitPolicy& policy);

/// Polls GET `path` until it answers 404; the timeout throws Error naming `what`.
void wait_until_gone(OpenStack& openstack, std::string_view service_type, const std::string& path,
                     std::string_view what, const WaitPolicy& policy);

}  // namespace scs
