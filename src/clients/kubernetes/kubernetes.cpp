#include "clients/kubernetes/kubernetes.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "clients/http/curl_transport.hpp"
#include "clients/http/json_body.hpp"
#include "clients/http/memo.hpp"
#include "clients/http/scrub.hpp"
#include "clients/kubernetes/exec_credential.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

using nlohmann::json;

namespace {

std::string read_token_file(const std::string& path) {
  std::string token = read_file(path, "the token file");
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())) != 0) token.pop_back();
  return token;
}

}  // namespace

struct Kubernetes::State {
  State(KubeConfig config_in, Transport& transport_in, std::shared_ptr<ExecCredentialSource> exec_in)
      : config(std::move(config_in)),
        transport(transport_in),
        scrubber(config.secrets()),
        exec(std::move(exec_in)) {
    if (!exec && config.exec) exec = std::make_shared<ExecCredentialSource>(*config.exec, config);
  }

  KubeConfig config;
  Transport& transport;
  Scrubber scrubber;
  std::shared_ptr<ExecCredentialSource> exec;
  Memo<json> version;
  Memo<std::vector<json>> nodes;
  Memo<std::vector<json>> storage_classes;

  HttpRequest request(std::string method, std::string_view path, std::string body = {}) {
    HttpRequest out{std::move(method),
                    config.server + std::string(path),
                    {{"Accept", "application/json"}},
                    std::move(body)};
    if (!out.body.empty()) out.headers.emplace_back("Content-Type", "application/json");
    authorize(out, false);
    return out;
  }

  void authorize(HttpRequest& out, bool fresh) {
    std::erase_if(out.headers, [](const auto& header) { return header.first == "Authorization"; });
    std::string token;
    if (exec) {
      const auto credential = fresh ? exec->refresh() : exec->get();
      scrubber.add_secret(credential.token);
      scrubber.add_secret(credential.client_key_pem);
      token = credential.token;
    } else if (!config.token_file.empty()) {
      token = read_token_file(config.token_file);  // re-read: service-account tokens rotate
      scrubber.add_secret(token);
    } else {
      token = config.token;
    }
    if (!token.empty()) {
      out.headers.emplace_back("Authorization", "Bearer " + token);
    } else if (!config.username.empty()) {
      out.headers.emplace_back("Authorization",
                               "Basic " + base64_encode(config.username + ":" + config.password));
    }
  }

  /// Sends, and with an exec plugin once more with a fresh credential after a 401.
  HttpResponse send(HttpRequest& out) {
    auto response = transport.send(out);
    if (response.status == 401 && exec) {
      authorize(out, true);
      response = transport.send(out);
    }
    return response;
  }

  [[noreturn]] void fail(const HttpRequest& request, const HttpResponse& response) const {
    std::string excerpt = body_excerpt(response.body, scrubber);
    if (response.status == 401) {
      excerpt = fmt::format("the credentials of user '{}' in context '{}' were not accepted",
                            config.user_name, config.context);
    }
    throw HttpError(request.method, scrubber.url(request.url), response.status, excerpt);
  }
};

Kubernetes::Kubernetes(KubeConfig config, Transport& transport)
    : Kubernetes(std::move(config), transport, nullptr) {}

Kubernetes::Kubernetes(KubeConfig config, Transport& transport, std::shared_ptr<ExecCredentialSource> exec)
    : state_(std::make_unique<State>(std::move(config), transport, std::move(exec))) {}

Kubernetes::~Kubernetes() = default;

const KubeConfig& Kubernetes::config() const { return state_->config; }

json Kubernetes::get_json(std::string_view path) {
  auto request = state_->request("GET", path);
  const auto response = state_->send(request);
  if (response.status < 200 || response.status >= 300) state_->fail(request, response);
  return parse_json_answer(response, "GET", state_->scrubber.url(request.url), state_->scrubber);
}

std::vector<json> Kubernetes::list(std::string_view path) {
  std::vector<json> items;
  std::string next_continue;
  std::set<std::string> continued;  // a token seen before would page forever
  do {
    std::string page_path(path);
    if (!next_continue.empty()) {
      page_path += (page_path.find('?') == std::string::npos ? "?" : "&");
      page_path += "continue=" + next_continue;
    }
    const json page = get_json(page_path);
    const auto it = page.find("items");
    if (it == page.end() || !(it->is_array() || it->is_null())) {
      throw UnreachableError(
          fmt::format("GET {}{} answered without an 'items' list", state_->config.server, path));
    }
    if (it->is_array()) items.insert(items.end(), it->begin(), it->end());
    next_continue.clear();
    if (const auto metadata = page.find("metadata"); metadata != page.end() && metadata->is_object()) {
      if (const auto token = metadata->find("continue"); token != metadata->end() && token->is_string())
        next_continue = token->get<std::string>();
    }
    if (!next_continue.empty() && !continued.insert(next_continue).second) {
      throw UnreachableError(fmt::format("GET {}{} answered a continue token it had answered before",
                                         state_->config.server, path));
    }
  } while (!next_continue.empty());
  return items;
}

json Kubernetes::create(std::string_view path, const json& body) {
  auto request = state_->request("POST", path, body.dump());
  const auto response = state_->send(request);
  if (response.status < 200 || response.status >= 300) state_->fail(request, response);
  return parse_json_answer(response, "POST", state_->scrubber.url(request.url), state_->scrubber);
}

bool Kubernetes::remove(std::string_view path) {
  auto request = state_->request("DELETE", path);
  const auto response = state_->send(request);
  if (response.status == 404) return false;
  if (response.status < 200 || response.status >= 300) state_->fail(request, response);
  return true;
}

void Kubernetes::preflight() {
  try {
    version();
  } catch (const HttpError& error) {
    if (error.status() != 401 && error.status() != 403) throw;
    const auto& config = state_->config;
    throw ConfigError(
        fmt::format("the credentials of user '{}' in context '{}' were not accepted by {} (HTTP {})",
                    config.user_name, config.context, config.server, error.status()));
  }
}

const json& Kubernetes::version() {
  return state_->version.get([&] { return get_json("/version"); });
}

const std::vector<json>& Kubernetes::nodes() {
  return state_->nodes.get([&] { return list("/api/v1/nodes"); });
}

const std::vector<json>& Kubernetes::storage_classes() {
  return state_->storage_classes.get([&] { return list("/apis/storage.k8s.io/v1/storageclasses"); });
}

std::unique_ptr<Transport> make_kube_transport(const KubeConfig& config,
                                               const std::shared_ptr<ExecCredentialSource>& exec,
                                               TransportOptions base) {
  TransportOptions options = std::move(base);
  options.verify_tls = config.transport.verify_tls;
  options.ca_file = config.transport.ca_file;
  options.client_cert = config.transport.client_cert;
  options.client_key = config.transport.client_key;
  TlsMaterial tls{config.ca_data, config.client_cert_data, config.client_key_data, config.tls_server_name};
  if (exec && tls.client_cert_pem.empty() && options.client_cert.empty()) {
    // A plugin that answers with a certificate is asked before the first connection; its
    // certificate then serves the whole run (tokens are refreshed per request).
    const auto credential = exec->get();
    tls.client_cert_pem = credential.client_cert_pem;
    tls.client_key_pem = credential.client_key_pem;
  }
  return std::make_unique<CurlTransport>(std::move(options), std::move(tls));
}

}  // namespace scs
