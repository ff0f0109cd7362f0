#pragma once

#include <map>
#include <optional>
#include <string>

#include "clients/http/http.hpp"

namespace scs {

/// One cloud, resolved the way openstacksdk resolves it: clouds.yaml (search path:
/// OS_CLIENT_CONFIG_FILE, ./clouds.yaml, $XDG_CONFIG_HOME/openstack/clouds.yaml or
/// ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml), secure.yaml beside it merged
/// over it, the cloud chosen by --os-cloud or OS_CLOUD, or the `envvars` cloud built from OS_*
/// variables. Errors are ConfigError naming the file and the problem, never a secret.
struct CloudConfig {
  std::string name;         // the cloud's name in clouds.yaml, or "envvars"
  std::string source_file;  // where it came from ("" for envvars)
  std::string auth_type;    // "password" | "v3password" | "v3applicationcredential" | "token" | "v3token"
  std::string auth_url;     // Keystone, with or without /v3
  // password auth
  std::string username, user_id, password;
  std::string user_domain_name, user_domain_id;
  std::string project_name, project_id, project_domain_name, project_domain_id;
  std::string domain_name, domain_id;  // domain-scoped tokens
  // application credentials
  std::string application_credential_id, application_credential_name, application_credential_secret;
  // token auth
  std::string token;
  std::string region_name;
  std::string interface = "public";
  TransportOptions transport;  // verify / cacert / cert / key / api_timeout from clouds.yaml
  std::map<std::string, std::string> endpoint_overrides;  // "<type>_endpoint_override" keys

  /// Every secret value held above, for scrubbing logs, cassettes and reports.
  [[nodiscard]] std::vector<std::string> secrets() const;
};

struct CloudSelection {
  std::optional<std::string> cloud;        // --os-cloud; falls back to OS_CLOUD, then envvars
  std::optional<std::string> config_file;  // --os-client-config-file; falls back to the search path
};

/// Resolves the cloud from files and the process environment.
CloudConfig resolve_cloud(const CloudSelection& selection);

}  // namespace scs
