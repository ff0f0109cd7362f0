#pragma once

#include <set>
#include <string>

namespace scs {

struct TokenInfo;

/// The IaaS checks run with the roles their standards name (`required_role`, normally member),
/// as the official suite demands: admin or manager would hide permission problems customers
/// have (and make a mistake expensive), so a token holding either is refused unless
/// `allow_privileged`. Throws ConfigError naming the cloud, the user and what is wrong.
void check_roles(const TokenInfo& token, const std::string& cloud_name, const std::set<std::string>& required,
                 bool allow_privileged);

}  // namespace scs
