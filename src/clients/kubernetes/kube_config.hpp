#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clients/http/http.hpp"

namespace scs {

/// An exec credential plugin (client.authentication.k8s.io/v1) as a kubeconfig user names it.
struct ExecCredentialPlugin {
  std::string api_version;  // client.authentication.k8s.io/v1 (v1beta1 accepted)
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  bool provide_cluster_info = false;
  std::string interactive_mode;  // Never | IfAvailable | Always
  std::string install_hint;      // shown when the command cannot be started
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

/// Where resolution looks besides the selection: the process environment by default, fixed
/// values in tests.
struct KubeEnvironment {
  std::optional<std::string> kubeconfig_list;  // $KUBECONFIG: files separated by ':'
  std::optional<std::string> home;             // $HOME, for ~/.kube/config
  std::optional<std::string> service_host;     // $KUBERNETES_SERVICE_HOST
  std::optional<std::string> service_port;     // $KUBERNETES_SERVICE_PORT
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

  /// The values of this process.
  static KubeEnvironment current();
};

struct KubeSelection {
  std::optional<std::string> kubeconfig;  // --kubeconfig: one file; else KUBECONFIG, else ~/.kube/config
  std::optional<std::string> context;     // --context; else current-context
};

/// Resolves the cluster from files and the process environment (in-cluster configuration
/// when no kubeconfig exists and KUBERNETES_SERVICE_HOST is set).
///
/// client-go's rules: --kubeconfig names the only file (it must exist); else the files of
/// KUBECONFIG are merged (missing ones skipped; for every cluster, user, context and for
/// current-context the first file that sets it wins); else ~/.kube/config. --context beats
/// current-context. Relative paths (certificate-authority, client-certificate, client-key,
/// tokenFile, an exec command with a '/') are resolved against the file that names them;
/// *-data fields are base64. With no kubeconfig file at all, KUBERNETES_SERVICE_HOST/PORT and
/// the service-account directory (token, ca.crt, namespace) give the in-cluster configuration.
KubeConfig resolve_kubeconfig(const KubeSelection& selection);
KubeConfig resolve_kubeconfig(const KubeSelection& selection, const KubeEnvironment& environment);

}  // namespace scs
