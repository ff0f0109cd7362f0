#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/http/http.hpp"
#include "tests/support/loopback_http.hpp"

namespace scs::test {

/// A throw-away PKI for TLS tests, made with the OpenSSL API at runtime: a CA, a server
/// certificate for the given names (IP addresses or DNS names) and a client certificate
/// (CN = user, O = group, as Kubernetes reads them). PEM texts and files in a temporary
/// directory that is removed with the object.
class TestPki {
 public:
  explicit TestPki(std::vector<std::string> server_names = {"127.0.0.1", "localhost"},
                   std::string client_user = "kube-admin", std::string client_group = "system:masters");
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string ca_pem, server_cert_pem, server_key_pem, client_cert_pem, client_key_pem;
  std::filesystem::path dir, ca_file, client_cert_file, client_key_file;

  /// Another client certificate, signed by a CA nobody trusts (for "unknown client" tests).
  [[nodiscard]] std::pair<std::string, std::string> foreign_client_identity() const;
};

/// `data` in base64, as kubeconfig's *-data fields hold certificates and keys.
std::string base64(std::string_view data);

/// An HTTPS server on 127.0.0.1 answering like the Kubernetes API, for client and check tests.
///
/// The cluster is a model loaded from a JSON fixture (tests/kube/clusters/*.json):
///   { "version": {gitVersion, major, minor, …},
///     "tokens": {"<bearer token>": "<user>"},           accepted bearer tokens
///     "anonymous": ["/version"],                         paths open without credentials
///     "pvc_bound_after_gets": 2,  "pod_running_after_gets": 2,  (-1: Pending forever)
///     "pod_final_phase": "Running",                      or Succeeded / Failed
///     "faults": [{"method": "GET", "path": "/api/v1/nodes", "status": 500, "times": -1}],
///     "objects": [ {apiVersion, kind, metadata{name, namespace?, labels?}, …}, … ] }
/// Routes: /version, /healthz, /livez, /readyz; GET/POST/DELETE on
/// /api/v1/[namespaces/NS/]PLURAL[/NAME] and /apis/GROUP/VERSION/[namespaces/NS/]PLURAL[/NAME];
/// lists honour limit/continue and equality labelSelector; a namespaced PLURAL without a
/// namespace lists all namespaces. POST answers 201 (409 if the name exists, 404 if the
/// namespace is missing, generateName honoured), DELETE 200 (404 if absent; a namespace takes
/// its objects with it). A created PVC is Pending and becomes Bound (with a volume) after
/// pvc_bound_after_gets reads when its storage class (or the default class) exists with a real
/// provisioner; a created pod is Pending and reaches pod_final_phase after
/// pod_running_after_gets reads. Errors are Status objects like the real API server's.
///
/// Authentication: a bearer token from `tokens`, or a client certificate signed by the test
/// CA (user = CN). A wrong token is 401 everywhere; no credential is 401 except on
/// `anonymous` paths. Injected faults (status + Status body, an HTML body, or a hang) apply to
/// requests whose method matches (empty: any) and whose path starts with `path`.
class FakeKubeApi {
 public:
  struct Options {
    std::vector<std::string> server_names = {"127.0.0.1", "localhost"};  // in the server certificate
  };

  struct Fault {
    std::string method;  // empty: any
    std::string path;    // prefix of the request path (without query)
    long status = 500;
    bool html = false;                  // an HTML error page instead of a Status object
    std::chrono::milliseconds hang{0};  // wait this long (or until shutdown) before answering
    int times = -1;                     // how often; -1: always
  };

  struct Request {
    std::string method;
    std::string target;  // path and query
    Headers headers;
    std::string body;
    std::string user;  // who it authenticated as; empty if not
    std::string auth;  // "token", "certificate" or ""
  };

  explicit FakeKubeApi(const std::filesystem::path& fixture);
  FakeKubeApi(const std::filesystem::path& fixture, Options options);
  ~FakeKubeApi();
  FakeKubeApi(const FakeKubeApi&) = delete;
  FakeKubeApi& operator=(const FakeKubeApi&) = delete;

  /// The fixture file tests/kube/clusters/<name>.json of this source tree.
  static std::filesystem::path fixture(std::string_view name);

  [[nodiscard]] int port() const { return listener_.port(); }
  /// https://127.0.0.1:<port>
  [[nodiscard]] std::string server() const;
  [[nodiscard]] const TestPki& pki() const { return *pki_; }

  void accept_token(const std::string& token, const std::string& user);
  void inject(Fault fault);

  [[nodiscard]] std::vector<Request> requests() const;
  /// The object at an API path, as the model holds it now.
  [[nodiscard]] std::optional<nlohmann::json> object(std::string_view path) const;
  /// How many objects the model holds in a namespace (0 once the namespace is gone).
  [[nodiscard]] std::size_t objects_in_namespace(std::string_view name) const;

 private:
  // (api prefix, plural, namespace, name): "/api/v1", "pods", "default", "web-0"
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  struct Answer {
    long status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::chrono::milliseconds hang{0};
  };
  struct Route;

  void serve(int fd);
  Answer answer(Request& request, bool verified_certificate, const std::string& certificate_user);
  Answer route(const Request& request);
  Answer get(const Route& route, const std::string& query);
  Answer create(const Route& route, const std::string& body);
  Answer remove(const Route& route);
  void progress(const Key& key, nlohmann::json& object);
  bool bindable(const nlohmann::json& claim) const;
  void store(const nlohmann::json& object);

  Options options_;
  std::unique_ptr<TestPki> pki_;
  void* ssl_context_ = nullptr;  // SSL_CTX*, kept out of this header
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  nlohmann::json version_;
  std::map<std::string, std::string> tokens_;
  std::vector<std::string> anonymous_;
  int pvc_bound_after_ = 1;
  int pod_running_after_ = 1;
  std::string pod_final_phase_ = "Running";
  std::vector<Fault> faults_;
  std::map<Key, nlohmann::json> objects_;
  std::map<Key, int> reads_;  // GETs of created PVCs and pods, for their status progression
  std::vector<Request> requests_;
  int next_uid_ = 1;
  LoopbackListener listener_;
};

}  // namespace scs::test
