#include "run/role_check.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "clients/openstack/openstack.hpp"
#include "core/errors.hpp"

namespace scs {

void check_roles(const TokenInfo& token, const std::string& cloud_name, const std::set<std::string>& required,
                 bool allow_privileged) {
  std::vector<std::string> privileged;
  for (const auto& role : token.roles) {
    if (role == "admin" || role == "manager") privileged.push_back(role);
  }
  if (!privileged.empty() && !allow_privileged) {
    throw ConfigError(
        fmt::format("cloud '{}': the token has the role(s) {}; SCS conformance runs with the member "
                    "role only (--allow-privileged-roles runs anyway)",
                    cloud_name, fmt::join(privileged, ", ")));
  }
  for (const auto& role : required) {
    if (std::find(token.roles.begin(), token.roles.end(), role) == token.roles.end()) {
      throw ConfigError(fmt::format("cloud '{}': the token of user '{}' lacks the {} role in project '{}'",
                                    cloud_name, token.user_name, role, token.project_name));
    }
  }
}

}  // namespace scs
