#include "clients/openstack/waits.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/openstack/openstack.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"

namespace scs {

namespace {

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{} s", (duration.count() + 999) / 1000);
}

}  // namespace

nlohmann::json wait_for_status(OpenStack& openstack, std::string_view service_type, const std::string& path,
                               std::string_view key, const std::set<std::string>& wanted,
                               const std::set<std::string>& failed, std::string_view what,
                               const WaitPolicy& policy) {
  const auto deadline = wait_clock_now() + policy.timeout;
  std::string status;
  for (;;) {
    const auto answer = openstack.get_json(service_type, path);
    const auto& object = answer.contains(std::string(key)) ? answer[std::string(key)] : answer;
    status = object.value("status", "");
    if (wanted.count(status) == 1) return object;
    if (failed.count(status) == 1) throw Error(fmt::format("{} went to status {}", what, status));
    if (wait_clock_now() >= deadline) {
      throw WaitTimeout(fmt::format("{} is still {} after {}", what,
                                    status.empty() ? "without status" : status,
                                    seconds_text(policy.timeout)));
    }
    sleep_cancellable(policy.interval);
  }
}

void wait_until_gone(OpenStack& openstack, std::string_view service_type, const std::string& path,
                     std::string_view what, const WaitPolicy& policy) {
  const auto deadline = wait_clock_now() + policy.timeout;
  for (;;) {
    std::string status;
    try {
      const auto answer = openstack.get_json(service_type, path);
      for (const auto& [name, object] : answer.items()) {
        if (object.is_object()) status = object.value("status", "");
      }
    } catch (const HttpError& error) {
      if (error.status() == 404) return;
      throw;
    }
    if (wait_clock_now() >= deadline) {
      throw WaitTimeout(fmt::format("{} still exists after {} (status {})", what,
                                    seconds_text(policy.timeout), status.empty() ? "unknown" : status));
    }
    sleep_cancellable(policy.interval);
  }
}

}  // namespace scs
