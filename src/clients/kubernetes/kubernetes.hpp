#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "clients/http/http.hpp"
#include "clients/kubernetes/kube_config.hpp"

namespace scs {

class ExecCredentialSource;

/// An authenticated Kubernetes API session with memoised reads, the counterpart of OpenStack.
/// Thread-safe: every collection is fetched once per run by whichever thread asks first; a
/// failure is memoised too. Credentials (bearer token, exec plugin output) never leave it.
class Kubernetes {
 public:
  /// Credentials: an exec plugin (run when first needed, cached until it expires, run again
  /// once on a 401), else the token file (re-read, it rotates), else the token, else basic auth.
  Kubernetes(KubeConfig config, Transport& transport);
  /// Shares an exec plugin that already ran (make_kube_transport needed its certificate).
  Kubernetes(KubeConfig config, Transport& transport, std::shared_ptr<ExecCredentialSource> exec);
  ~Kubernetes();
  Kubernetes(const Kubernetes&) = delete;
  Kubernetes& operator=(const Kubernetes&) = delete;

  [[nodiscard]] const KubeConfig& config() const;

  /// GET /version, once, before any testcase: rejected credentials (401/403, a failing exec
  /// plugin) are ConfigError naming the user and context; no answer is UnreachableError.
  void preflight();

  /// GET {server}{path} as JSON. Non-2xx → HttpError (401/403 name the user, never the
  /// credential); non-JSON or truncated body → UnreachableError naming the URL.
  nlohmann::json get_json(std::string_view path);

  /// GET of a list: follows `metadata.continue` and concatenates `items`.
  std::vector<nlohmann::json> list(std::string_view path);

  /// POST `body` to {server}{path}; returns the created object. 409 → HttpError.
  nlohmann::json create(std::string_view path, const nlohmann::json& body);

  /// DELETE {server}{path}; a 404 counts as deleted (returns false), otherwise true.
  bool remove(std::string_view path);

  /// GET /version. Fetched once.
  const nlohmann::json& version();
  /// GET /api/v1/nodes. Fetched once.
  const std::vector<nlohmann::json>& nodes();
  /// GET /apis/storage.k8s.io/v1/storageclasses. Fetched once.
  const std::vector<nlohmann::json>& storage_classes();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// libcurl set up for a cluster: CA file or data, client certificate files, data or the exec
/// plugin's certificate (the plugin runs here when it is configured), tls-server-name and
/// insecure-skip-tls-verify. `base` supplies timeouts and retries.
std::unique_ptr<Transport> make_kube_transport(const KubeConfig& config,
                                               const std::shared_ptr<ExecCredentialSource>& exec,
                                               TransportOptions base = {});

}  // namespace scs
