#pragma once

#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/polling.hpp"

namespace scs {

class OpenStack;

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
