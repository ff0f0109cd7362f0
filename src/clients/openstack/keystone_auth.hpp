#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "clients/openstack/cloud_config.hpp"
#include "clients/openstack/openstack.hpp"

namespace scs::keystone {

/// Where to POST for a token: auth_url + /v3/auth/tokens, or + /auth/tokens when auth_url
/// already ends in /v3. (No version discovery request: every Keystone that serves v3 serves it
/// under /v3, and discovery would cost a round trip on every run.)
std::string token_url(std::string_view auth_url);

/// The JSON body of POST /v3/auth/tokens for the cloud's auth type and scope. It holds the
/// password, secret or token: never log or show it.
std::string auth_request_body(const CloudConfig& cloud);

/// User, project, role names and catalog of a token response ({"token": {…}}).
TokenInfo parse_token(const nlohmann::json& body);

}  // namespace scs::keystone
