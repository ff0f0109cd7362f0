#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "clients/kubernetes/kube_config.hpp"

namespace scs {

/// What an exec credential plugin printed: a bearer token and/or a client certificate.
struct ExecCredential {
  std::string token;
  std::string client_cert_pem, client_key_pem;
  std::optional<std::chrono::system_clock::time_point> expires;  // none: valid until a 401
};

/// Runs a kubeconfig's exec plugin (client.authentication.k8s.io/v1 or v1beta1) as client-go
/// does: without a shell, with the plugin's env and KUBERNETES_EXEC_INFO (spec.interactive =
/// false, spec.cluster when provideClusterInfo), and caches the credential until its
/// expirationTimestamp. The plugin's stdout is parsed, never logged or quoted in an error; its
/// stderr goes to `stderr_sink` with every secret of its answer removed.
/// Failures (cannot start, non-zero exit, malformed answer) are ConfigError naming the command.
/// Thread-safe.
class ExecCredentialSource {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  using StderrSink = std::function<void(std::string_view)>;

  /// `cluster` supplies spec.cluster (server, CA, tls-server-name) for provideClusterInfo.
  ExecCredentialSource(ExecCredentialPlugin plugin, const KubeConfig& cluster, Clock clock = {},
                       StderrSink stderr_sink = {});

  /// The cached credential, or a fresh one when there is none or it has expired.
  ExecCredential get();
  /// Runs the plugin again (the server rejected the cached credential).
  ExecCredential refresh();
  /// How often the plugin ran.
  [[nodiscard]] int runs() const;

 private:
  ExecCredential run_plugin();

  ExecCredentialPlugin plugin_;
  std::string exec_info_;
  Clock clock_;
  StderrSink stderr_sink_;
  mutable std::mutex mutex_;
  std::optional<ExecCredential> cached_;
  int runs_ = 0;
};

/// What a plugin printed on stdout, read as client-go reads it. `problem` says why it is not a
/// usable ExecCredential of `api_version` (then the credential is incomplete); never throws.
struct ExecCredentialAnswer {
  ExecCredential credential;
  std::string problem;  // empty when the credential is usable; never quotes the output
};
ExecCredentialAnswer parse_exec_credential(std::string_view output, std::string_view api_version);

/// RFC 3339 time ("2026-11-26T21:00:00Z", fractions and offsets allowed); nullopt if malformed.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace scs
