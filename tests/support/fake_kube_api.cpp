#include "tests/support/fake_kube_api.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <optional>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "tests/support/temp_env.hpp"

namespace scs::test {

using nlohmann::json;

namespace {

// ---- PKI -------------------------------------------------------------------------------

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;

[[noreturn]] void openssl_failed(std::string_view what) {
  throw std::runtime_error(
      fmt::format("OpenSSL: {} failed: {}", what, ERR_error_string(ERR_get_error(), nullptr)));
}

KeyPtr new_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) openssl_failed("EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) openssl_failed(fmt::format("extension {}", value));
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

struct CertSpec {
  std::string common_name;
  std::string organisation;
  bool ca = false;
  std::string san;  // "IP:127.0.0.1,DNS:localhost"
  std::string usage;
};

CertPtr new_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  std::random_device random;
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(random() & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!spec.organisation.empty()) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(spec.organisation.c_str()), -1, -1, 0);
  }
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  add_extension(cert.get(), signer, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_extension(cert.get(), signer, NID_key_usage,
                spec.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (!spec.usage.empty()) add_extension(cert.get(), signer, NID_ext_key_usage, spec.usage);
  if (!spec.san.empty()) add_extension(cert.get(), signer, NID_subject_alt_name, spec.san);
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0)
    openssl_failed("X509_sign");
  return cert;
}

std::string pem_of(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

std::string pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

std::string san_of(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ',';
    const bool ip = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.';
    });
    out += (ip ? "IP:" : "DNS:") + name;
  }
  return out;
}

struct Identity {
  std::string cert_pem, key_pem;
};

Identity client_identity(const std::string& user, const std::string& group, X509* ca, EVP_PKEY* ca_key) {
  const auto key = new_key();
  const auto cert = new_cert({user, group, false, "", "clientAuth"}, key.get(), ca, ca_key);
  return {pem_of(cert.get()), pem_of(key.get())};
}

// ---- HTTP ------------------------------------------------------------------------------

std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto equals = pair.find('=');
    out[url_decode(pair.substr(0, equals))] =
        equals == std::string_view::npos ? std::string() : url_decode(pair.substr(equals + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (c == separator) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string status_reason(long status) {
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "AlreadyExists";
    case 500:
      return "InternalError";
    default:
      return "Unknown";
  }
}

std::string status_body(long status, const std::string& message) {
  return json{{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::object()},
              {"status", "Failure"}, {"message", message}, {"reason", status_reason(status)},
              {"code", status}}
      .dump();
}

struct Resource {
  std::string_view kind, plural;
  bool namespaced;
};

constexpr Resource resources[] = {
    {"Node", "nodes", false},
    {"Namespace", "namespaces", false},
    {"StorageClass", "storageclasses", false},
    {"PersistentVolume", "persistentvolumes", false},
    {"PersistentVolumeClaim", "persistentvolumeclaims", true},
    {"Pod", "pods", true},
    {"Service", "services", true},
    {"ConfigMap", "configmaps", true},
    {"Secret", "secrets", true},
    {"ServiceAccount", "serviceaccounts", true},
    {"Deployment", "deployments", true},
    {"DaemonSet", "daemonsets", true},
    {"NetworkPolicy", "networkpolicies", true},
    {"CSIDriver", "csidrivers", false},
    {"ClusterRoleBinding", "clusterrolebindings", false},
};

Resource resource_of_kind(const std::string& kind) {
  for (const auto& resource : resources) {
    if (resource.kind == kind) return resource;
  }
  throw std::runtime_error("fake Kubernetes API: unknown kind " + kind);
}

std::string prefix_of(const std::string& api_version) {
  return api_version.find('/') == std::string::npos ? "/api/" + api_version : "/apis/" + api_version;
}

/// "a.b.c" of an object, as text ("" when absent), for field selectors.
std::string field(const json& object, const std::string& dotted) {
  const json* at = &object;
  for (const auto& part : split(dotted, '.')) {
    if (!at->is_object() || !at->contains(part)) return {};
    at = &(*at)[part];
  }
  return at->is_string() ? at->get<std::string>() : at->dump();
}

/// Equality-based selectors: "a=b,c!=d,e" (labels) or "spec.nodeName=x" (fields).
bool selected(const json& object, const std::string& selector, bool labels) {
  for (const auto& term : split(selector, ',')) {
    const auto bang = term.find("!=");
    const auto equals = term.find('=');
    std::string key = term.substr(0, bang != std::string::npos ? bang : equals);
    std::string value;
    if (bang != std::string::npos) {
      value = term.substr(bang + 2);
    } else if (equals != std::string::npos) {
      value = term.substr(term[equals + 1] == '=' ? equals + 2 : equals + 1);
    }
    std::string actual;
    bool present = false;
    if (labels) {
      const auto label = object.value("/metadata/labels"_json_pointer, json::object());
      present = label.contains(key);
      if (present) actual = label[key].get<std::string>();
    } else {
      actual = field(object, key);
      present = true;
    }
    if (bang != std::string::npos) {
      if (present && actual == value) return false;
    } else if (equals != std::string::npos) {
      if (!present || actual != value) return false;
    } else if (!present) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string base64(std::string_view data) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const unsigned char c : data) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

// ---- TestPki ---------------------------------------------------------------------------

TestPki::TestPki(std::vector<std::string> server_names, std::string client_user, std::string client_group) {
  const auto ca_key = new_key();
  const auto ca = new_cert({"scs-test-ca", "", true, "", ""}, ca_key.get(), nullptr, nullptr);
  const auto server_key = new_key();
  const auto server = new_cert({server_names.front(), "", false, san_of(server_names), "serverAuth"},
                               server_key.get(), ca.get(), ca_key.get());
  const auto client = client_identity(client_user, client_group, ca.get(), ca_key.get());
  ca_pem = pem_of(ca.get());
  server_cert_pem = pem_of(server.get());
  server_key_pem = pem_of(server_key.get());
  client_cert_pem = client.cert_pem;
  client_key_pem = client.key_pem;

  std::random_device random;
  dir = std::filesystem::temp_directory_path() / fmt::format("scs-pki-{:08x}", random());
  std::filesystem::create_directories(dir);
  ca_file = dir / "ca.crt";
  client_cert_file = dir / "client.crt";
  client_key_file = dir / "client.key";
  write_text(ca_file, ca_pem);
  write_text(client_cert_file, client_cert_pem);
  write_text(client_key_file, client_key_pem);
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

std::pair<std::string, std::string> TestPki::foreign_client_identity() const {
  const auto ca_key = new_key();
  const auto ca = new_cert({"foreign-ca", "", true, "", ""}, ca_key.get(), nullptr, nullptr);
  const auto client = client_identity("intruder", "", ca.get(), ca_key.get());
  return {client.cert_pem, client.key_pem};
}

// ---- FakeKubeApi -----------------------------------------------------------------------

struct FakeKubeApi::Route {
  std::string prefix, plural, namespace_name, name;
  bool collection = false;
};

FakeKubeApi::FakeKubeApi(const std::filesystem::path& fixture_path) : FakeKubeApi(fixture_path, Options()) {}

FakeKubeApi::FakeKubeApi(const std::filesystem::path& fixture_path, Options options)
    : options_(std::move(options)), pki_(std::make_unique<TestPki>(options_.server_names)) {
  const json fixture = json::parse(read_text(fixture_path));
  version_ = fixture.at("version");
  if (const auto it = fixture.find("tokens"); it != fixture.end()) {
    for (const auto& [token, user] : it->items()) tokens_[token] = user.get<std::string>();
  }
  anonymous_ = fixture.value("anonymous", std::vector<std::string>{});
  pvc_bound_after_ = fixture.value("pvc_bound_after_gets", 1);
  pod_running_after_ = fixture.value("pod_running_after_gets", 1);
  pod_final_phase_ = fixture.value("pod_final_phase", std::string("Running"));
  for (const auto& fault : fixture.value("faults", json::array())) {
    faults_.push_back({fault.value("method", ""), fault.at("path").get<std::string>(),
                       fault.value("status", 500L), fault.value("html", false),
                       std::chrono::milliseconds(fault.value("hang_ms", 0)), fault.value("times", -1)});
  }
  for (const auto& object : fixture.value("objects", json::array())) store(object);

  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) openssl_failed("SSL_CTX_new");
  ssl_context_ = context;
  BIO* cert_bio =
      BIO_new_mem_buf(pki_->server_cert_pem.data(), static_cast<int>(pki_->server_cert_pem.size()));
  BIO* key_bio = BIO_new_mem_buf(pki_->server_key_pem.data(), static_cast<int>(pki_->server_key_pem.size()));
  BIO* ca_bio = BIO_new_mem_buf(pki_->ca_pem.data(), static_cast<int>(pki_->ca_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  X509* ca = PEM_read_bio_X509(ca_bio, nullptr, nullptr, nullptr);
  const bool loaded = SSL_CTX_use_certificate(context, cert) == 1 &&
                      SSL_CTX_use_PrivateKey(context, key) == 1 &&
                      X509_STORE_add_cert(SSL_CTX_get_cert_store(context), ca) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  X509_free(ca);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  BIO_free(ca_bio);
  if (!loaded) openssl_failed("loading the server certificate");
  // Like the API server (Go's VerifyClientCertIfGiven): a client certificate is optional, but
  // one that the CA did not sign ends the handshake.
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);

  // A client that gives up mid-handshake must not kill the test process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  listener_.start([this](int fd) { serve(fd); });
}

FakeKubeApi::~FakeKubeApi() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopped_.notify_all();
  listener_.stop();
  SSL_CTX_free(static_cast<SSL_CTX*>(ssl_context_));
}

std::filesystem::path FakeKubeApi::fixture(std::string_view name) {
  return std::filesystem::path(SCS_SOURCE_DIR) / "tests/kube/clusters" / (std::string(name) + ".json");
}

std::string FakeKubeApi::server() const { return fmt::format("https://127.0.0.1:{}", port()); }

void FakeKubeApi::accept_token(const std::string& token, const std::string& user) {
  const std::lock_guard lock(mutex_);
  tokens_[token] = user;
}

void FakeKubeApi::inject(Fault fault) {
  const std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

std::vector<FakeKubeApi::Request> FakeKubeApi::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::optional<json> FakeKubeApi::object(std::string_view path) const {
  const auto parts = split(path, '/');
  Key key;
  std::size_t rest = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    std::get<0>(key) = "/api/" + parts[1];
    rest = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    std::get<0>(key) = "/apis/" + parts[1] + "/" + parts[2];
    rest = 3;
  } else {
    return std::nullopt;
  }
  const std::vector<std::string> tail(parts.begin() + static_cast<long>(rest), parts.end());
  if (tail.size() == 4 && tail[0] == "namespaces") {
    key = {std::get<0>(key), tail[2], tail[1], tail[3]};
  } else if (tail.size() == 2) {
    key = {std::get<0>(key), tail[0], "", tail[1]};
  } else {
    return std::nullopt;
  }
  const std::lock_guard lock(mutex_);
  const auto it = objects_.find(key);
  return it == objects_.end() ? std::nullopt : std::optional<json>(it->second);
}

std::size_t FakeKubeApi::objects_in_namespace(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      objects_.begin(), objects_.end(), [&](const auto& entry) { return std::get<2>(entry.first) == name; }));
}

void FakeKubeApi::store(const json& object) {
  const auto resource = resource_of_kind(object.at("kind").get<std::string>());
  std::string namespace_name;
  if (resource.namespaced)
    namespace_name = object.value("/metadata/namespace"_json_pointer, std::string("default"));
  json stored = object;
  if (resource.namespaced) stored["metadata"]["namespace"] = namespace_name;
  stored["metadata"].emplace("uid", fmt::format("00000000-0000-4000-8000-{:012}", next_uid_++));
  stored["metadata"].emplace("creationTimestamp", "2026-01-01T00:00:00Z");
  objects_[{prefix_of(object.at("apiVersion").get<std::string>()), std::string(resource.plural),
            namespace_name, object.at("metadata").at("name").get<std::string>()}] = std::move(stored);
}

void FakeKubeApi::serve(int fd) {
  // The handshake is blocking; a client that never speaks is cut off after a few seconds.
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ssl_context_));
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    SSL_free(ssl);
    return;
  }
  std::string certificate_user;
  bool verified = false;
  if (X509* peer = SSL_get1_peer_certificate(ssl)) {
    verified = SSL_get_verify_result(ssl) == X509_V_OK;
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof name);
    certificate_user = name;
    X509_free(peer);
  }

  RequestReader reader([&](std::string& buffer) {
    if (stop_ || (SSL_pending(ssl) == 0 && !wait_readable(fd, stop_))) return false;
    char chunk[4096];
    const int got = SSL_read(ssl, chunk, sizeof chunk);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
  });
  while (!stop_) {
    auto wire = reader.next();
    if (!wire) break;
    Request request{std::move(wire->method),
                    std::move(wire->target),
                    std::move(wire->headers),
                    std::move(wire->body),
                    {},
                    {}};
    const Answer reply = answer(request, verified, certificate_user);
    if (reply.hang.count() > 0) {
      std::unique_lock lock(mutex_);
      if (stopped_.wait_for(lock, reply.hang, [this] { return stop_.load(); })) break;
    }
    std::string text = response_head(reply.status, {{"Content-Type", reply.content_type}}, reply.body.size());
    text += reply.body;
    if (SSL_write(ssl, text.data(), static_cast<int>(text.size())) <= 0) break;
  }
  SSL_shutdown(ssl);
  SSL_free(ssl);
}

FakeKubeApi::Answer FakeKubeApi::answer(Request& request, bool verified_certificate,
                                        const std::string& certificate_user) {
  const std::lock_guard lock(mutex_);
  const std::string path = request.target.substr(0, request.target.find('?'));
  const auto authorization = find_header(request.headers, "Authorization");
  bool presented_token = false;
  if (authorization.rfind("Bearer ", 0) == 0) {
    presented_token = true;
    const auto it = tokens_.find(std::string(authorization.substr(7)));
    if (it != tokens_.end()) {
      request.user = it->second;
      request.auth = "token";
    }
  } else if (verified_certificate) {
    request.user = certificate_user;
    request.auth = "certificate";
  }
  requests_.push_back(request);

  for (auto& fault : faults_) {
    if (fault.times == 0) continue;
    if (!fault.method.empty() && fault.method != request.method) continue;
    if (path.rfind(fault.path, 0) != 0) continue;
    if (fault.times > 0) --fault.times;
    Answer out;
    out.status = fault.status;
    out.hang = fault.hang;
    if (fault.html) {
      out.content_type = "text/html";
      out.body =
          fmt::format("<html><body><h1>{} {}</h1></body></html>", fault.status, reason_phrase(fault.status));
    } else {
      out.body = status_body(fault.status, fmt::format("injected fault on {}", path));
    }
    return out;
  }

  const bool anonymous_path = std::find(anonymous_.begin(), anonymous_.end(), path) != anonymous_.end();
  if (request.user.empty() && (presented_token || !anonymous_path)) {
    return {401, "application/json", status_body(401, "Unauthorized"), {}};
  }
  return route(request);
}

FakeKubeApi::Answer FakeKubeApi::route(const Request& request) {
  const auto question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  const std::string query =
      question == std::string::npos ? std::string() : request.target.substr(question + 1);
  if (request.method == "GET" && path == "/version") return {200, "application/json", version_.dump(), {}};
  if (request.method == "GET" && (path == "/healthz" || path == "/livez" || path == "/readyz")) {
    return {200, "text/plain", "ok", {}};
  }
  const auto parts = split(path, '/');
  Route route;
  std::size_t rest = 0;
  if (parts.size() >= 3 && parts[0] == "api") {
    route.prefix = "/api/" + parts[1];
    rest = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    route.prefix = "/apis/" + parts[1] + "/" + parts[2];
    rest = 3;
  } else {
    return {404, "application/json", status_body(404, fmt::format("the server could not find {}", path)), {}};
  }
  const std::vector<std::string> tail(parts.begin() + static_cast<long>(rest), parts.end());
  if (tail.size() >= 3 && tail[0] == "namespaces") {
    if (tail.size() > 4)
      return {404, "application/json", status_body(404, "subresources are not modelled"), {}};
    route.namespace_name = tail[1];
    route.plural = tail[2];
    route.collection = tail.size() == 3;
    if (tail.size() == 4) route.name = tail[3];
  } else if (tail.size() <= 2) {
    route.plural = tail[0];
    route.collection = tail.size() == 1;
    if (tail.size() == 2) route.name = tail[1];
  } else {
    return {404, "application/json", status_body(404, fmt::format("the server could not find {}", path)), {}};
  }
  if (request.method == "GET") return get(route, query);
  if (request.method == "POST" && route.collection) return create(route, request.body);
  if (request.method == "DELETE" && !route.collection) return remove(route);
  return {405,
          "application/json",
          status_body(405, fmt::format("{} is not allowed on {}", request.method, path)),
          {}};
}

bool FakeKubeApi::bindable(const json& claim) const {
  std::string class_name = claim.value("/spec/storageClassName"_json_pointer, std::string());
  for (const auto& [key, object] : objects_) {
    if (std::get<1>(key) != "storageclasses") continue;
    const bool is_default =
        object.value("/metadata/annotations/storageclass.kubernetes.io~1is-default-class"_json_pointer,
                     std::string()) == "true";
    const bool chosen = class_name.empty() ? is_default : std::get<3>(key) == class_name;
    if (chosen) return object.value("provisioner", std::string()) != "kubernetes.io/no-provisioner";
  }
  return false;
}

void FakeKubeApi::progress(const Key& key, json& object) {
  const std::string kind = object.value("kind", std::string());
  const auto reads = reads_.find(key);
  if (reads == reads_.end()) return;  // from the fixture: its status stays as written
  ++reads->second;
  if (kind == "PersistentVolumeClaim") {
    if (pvc_bound_after_ < 0 || reads->second < pvc_bound_after_ || !bindable(object)) return;
    object["status"]["phase"] = "Bound";
    object["spec"]["volumeName"] = "pvc-" + object["metadata"]["uid"].get<std::string>();
  } else if (kind == "Pod") {
    if (pod_running_after_ < 0 || reads->second < pod_running_after_) return;
    object["status"]["phase"] = pod_final_phase_;
    object["status"]["conditions"] =
        json::array({{{"type", "Ready"}, {"status", pod_final_phase_ == "Running" ? "True" : "False"}}});
  }
}

FakeKubeApi::Answer FakeKubeApi::get(const Route& route, const std::string& query) {
  if (!route.collection) {
    const auto it = objects_.find({route.prefix, route.plural, route.namespace_name, route.name});
    if (it == objects_.end()) {
      return {404,
              "application/json",
              status_body(404, fmt::format("{} \"{}\" not found", route.plural, route.name)),
              {}};
    }
    progress(it->first, it->second);
    return {200, "application/json", it->second.dump(), {}};
  }
  const auto parameters = parse_query(query);
  std::vector<std::pair<const Key, json>*> matching;
  for (auto& entry : objects_) {
    const auto& [key, object] = entry;
    if (std::get<0>(key) != route.prefix || std::get<1>(key) != route.plural) continue;
    if (!route.namespace_name.empty() && std::get<2>(key) != route.namespace_name) continue;
    if (const auto it = parameters.find("labelSelector");
        it != parameters.end() && !selected(object, it->second, true)) {
      continue;
    }
    if (const auto it = parameters.find("fieldSelector");
        it != parameters.end() && !selected(object, it->second, false)) {
      continue;
    }
    matching.push_back(&entry);
  }
  // The real API server answers a continue token or limit it cannot read with 400.
  const auto number = [&](const char* name, std::size_t fallback) -> std::optional<std::size_t> {
    const auto it = parameters.find(name);
    if (it == parameters.end() || it->second.empty()) return fallback;
    if (it->second.find_first_not_of("0123456789") != std::string::npos || it->second.size() > 9)
      return std::nullopt;
    return std::stoul(it->second);
  };
  const auto given_offset = number("continue", 0);
  const auto given_limit = number("limit", matching.size());
  if (!given_offset || !given_limit) {
    return {400, "application/json", status_body(400, "continue or limit parameter is not valid"), {}};
  }
  const std::size_t offset = *given_offset;
  const std::size_t limit = *given_limit;
  json items = json::array();
  for (std::size_t i = offset; i < matching.size() && i < offset + limit; ++i) {
    progress(matching[i]->first, matching[i]->second);
    items.push_back(matching[i]->second);
  }
  std::string kind = "List";
  for (const auto& resource : resources) {
    if (resource.plural == route.plural) kind = std::string(resource.kind) + "List";
  }
  json list{{"kind", kind},
            {"apiVersion", route.prefix.substr(route.prefix.find('/', 1) + 1)},
            {"metadata", {{"resourceVersion", "1000"}}},
            {"items", items}};
  if (offset + limit < matching.size()) list["metadata"]["continue"] = std::to_string(offset + limit);
  return {200, "application/json", list.dump(), {}};
}

FakeKubeApi::Answer FakeKubeApi::create(const Route& route, const std::string& body) {
  json object;
  try {
    object = json::parse(body);
  } catch (const json::exception&) {
    return {400, "application/json", status_body(400, "the request body is not JSON"), {}};
  }
  auto& metadata = object["metadata"];
  if (!metadata.contains("name") && metadata.contains("generateName")) {
    metadata["name"] = fmt::format("{}{:05x}", metadata["generateName"].get<std::string>(), next_uid_);
  }
  if (!metadata.contains("name"))
    return {422, "application/json", status_body(422, "metadata.name: Required"), {}};
  const std::string name = metadata["name"];
  if (!route.namespace_name.empty()) {
    if (objects_.count({"/api/v1", "namespaces", "", route.namespace_name}) == 0) {
      return {404,
              "application/json",
              status_body(404, fmt::format("namespaces \"{}\" not found", route.namespace_name)),
              {}};
    }
    metadata["namespace"] = route.namespace_name;
  }
  const Key key{route.prefix, route.plural, route.namespace_name, name};
  if (objects_.count(key) != 0) {
    return {409,
            "application/json",
            status_body(409, fmt::format("{} \"{}\" already exists", route.plural, name)),
            {}};
  }
  metadata["uid"] = fmt::format("00000000-0000-4000-8000-{:012}", next_uid_++);
  metadata["creationTimestamp"] = "2026-01-01T00:00:00Z";
  metadata["resourceVersion"] = std::to_string(1000 + next_uid_);
  const std::string kind = object.value("kind", std::string());
  if (kind == "PersistentVolumeClaim" || kind == "Pod") {
    object["status"]["phase"] = "Pending";
    reads_[key] = 0;
  }
  if (kind == "Namespace") object["status"]["phase"] = "Active";
  objects_[key] = object;
  return {201, "application/json", object.dump(), {}};
}

FakeKubeApi::Answer FakeKubeApi::remove(const Route& route) {
  const Key key{route.prefix, route.plural, route.namespace_name, route.name};
  const auto it = objects_.find(key);
  if (it == objects_.end()) {
    return {404,
            "application/json",
            status_body(404, fmt::format("{} \"{}\" not found", route.plural, route.name)),
            {}};
  }
  json gone = it->second;
  objects_.erase(it);
  reads_.erase(key);
  if (route.plural == "namespaces") {
    std::erase_if(objects_, [&](const auto& entry) { return std::get<2>(entry.first) == route.name; });
    std::erase_if(reads_, [&](const auto& entry) { return std::get<2>(entry.first) == route.name; });
    gone["status"]["phase"] = "Terminating";
  }
  return {200, "application/json", gone.dump(), {}};
}

}  // namespace scs::test
