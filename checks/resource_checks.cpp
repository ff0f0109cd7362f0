#include "checks/resource_checks.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace scs::checks {

WaitPolicy wait_policy(const Params& params) {
  WaitPolicy policy;
  policy.interval =
      std::chrono::milliseconds(static_cast<long long>(params.value("poll_seconds", 2.0) * 1000));
  policy.timeout =
      std::chrono::milliseconds(static_cast<long long>(params.value("wait_seconds", 100.0) * 1000));
  return policy;
}

std::string cleanup_summary(const std::vector<std::string>& problems) {
  return problems.size() == 1 ? problems.front()
                              : fmt::format("{} (and {} more)", problems.front(), problems.size() - 1);
}

}  // namespace scs::checks
