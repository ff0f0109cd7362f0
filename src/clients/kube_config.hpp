#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clients/http.hpp"

namespace scs {

/// An exec credential plugin (client.authentication.k8s.io/v1) as a kubeconfig user names it.
struct ExecCredentialPlugin {
  std::string api_version;  // client.authentication.k8s.io/v1 (v1beta1 accepted)
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  bool provide_cluster_info = false;
  std::string interactive_mode;  // Never | IfAvailable | Always
};

/// One cluster and user, resolved from a kubeconfig the way client-go resolves it. Errors are
/// ConfigError naming the file and the problem, never a secret.
struct KubeConfig {
  std::string context;      // the context's name ("in-cluster" for a service account)
  std::string source_file;  // the file that chose the context ("" in-cluster)
  std::string cluster_name;
  std::string user_name;
  std::string namespace_name = "default";
  std::string server;           // https://host:port, no trailing slash
  std::string tls_server_name;  // SNI and certificate name to check, when it differs from the host
  TransportOptions transport;   // verify / CA / client certificate files
  std::string ca_data;          // PEM, when the kubeconfig holds it inline
  std::string client_cert_data, client_key_data;  // PEM, inline
  std::string token;                              // bearer token
  std::string token_file;                         // re-read when it changes (service accounts)
  std::string username, password;                 // basic auth (legacy)
  std::optional<ExecCredentialPlugin> exec;

  /// Every secret value held above, for scrubbing logs, cassettes and reports.
  [[nodiscard]] std::vector<std::string> secrets() const;
};

struct KubeSelection {
  std::optional<std::string> kubeconfig;  // --kubeconfig: one file; else KUBECONFIG, else ~/.kube/config
  std::optional<std::string> context;     // --context; else current-context
};

/// Resolves the cluster from files and the process environment (in-cluster configuration
/// when no kubeconfig exists and KUBERNETES_SERVICE_HOST is set).
KubeConfig resolve_kubeconfig(const KubeSelection& selection);

}  // namespace scs
