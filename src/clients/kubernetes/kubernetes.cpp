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

/// The members every listed Kubernetes object has, with the types the API documents (metadata
/// with a name, labels and annotations mapping to strings). Another shape means the API server
/// (or something in front of it) misbehaves, and nothing read from it is judged.
void check_object_shape(const json& item, std::string_view url) {
  const auto wrong = [&](std::string_view what, const json& value, std::string_view expected) {
    throw UnreachableError(fmt::format("GET {} answered an object whose {} is a {}, not {}", url, what,
                                       value.type_name(), expected));
  };
  if (!item.is_object()) wrong("item", item, "an object");
  const auto metadata = item.find("metadata");
  if (metadata == item.end() || !metadata->is_object()) {
    wrong("metadata", metadata == item.end() ? json() : *metadata, "an object");
  }
  if (const auto name = metadata->find("name"); name == metadata->end() || !name->is_string()) {
    wrong("metadata.name", name == metadata->end() ? json() : *name, "a string");
  }
  for (const auto* map : {"labels", "annotations"}) {
    const auto it = metadata->find(map);
    if (it == metadata->end() || it->is_null()) continue;
    if (!it->is_object()) wrong(fmt::format("metadata.{}", map), *it, "an object");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) wrong(fmt::format("metadata.{}.{}", map, key), value, "a string");
    }
  }
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

  /// Sends, and with an exec plugin once more with a fresh credential after a 401. A request
  /// that got no answer names itself in the error, not only the server.
  HttpResponse send(HttpRequest& out) {
    try {
      auto response = transport.send(out);
      if (response.status == 401 && exec) {
        authorize(out, true);
        response = transport.send(out);
      }
      return response;
    } catch (const UnreachableError& error) {
      throw UnreachableError(fmt::format("{} ({} {})", error.what(), out.method, scrubber.url(out.url)));
    }
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
  std::set<std::string> tokens_used;
  std::string next_continue;
  do {
    std::string page_path(path);
    if (!next_continue.empty()) {
      // A token handed out before leaves the listing incomplete (or endless): judging it
      // would judge an unknown part of the collection.
      if (!tokens_used.insert(next_continue).second) {
        throw UnreachableError(fmt::format("GET {}{}: the list's continue token repeats one already used",
                                           state_->config.server, path));
      }
      page_path += (page_path.find('?') == std::string::npos ? "?" : "&");
      page_path += "continue=" + next_continue;
    }
    const json page = get_json(page_path);
    const auto it = page.is_object() ? page.find("items") : page.end();
    if (it == page.end() || !(it->is_array() || it->is_null())) {
      throw UnreachableError(
          fmt::format("GET {}{} answered without an 'items' list", state_->config.server, path));
    }
    if (it->is_array()) {
      for (const auto& item : *it) check_object_shape(item, state_->config.server + std::string(path));
      items.insert(items.end(), it->begin(), it->end());
    }
    const json token = page.value("/metadata/continue"_json_pointer, json());
    next_continue = token.is_string() ? token.get<std::string>() : std::string();
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
  return state_->version.get([&] {
    auto answer = get_json("/version");
    if (!answer.is_object() || (answer.contains("gitVersion") && !answer["gitVersion"].is_string())) {
      throw UnreachableError(fmt::format("GET {}/version did not answer with a version object (it sent {})",
                                         state_->config.server, answer.dump().substr(0, 80)));
    }
    return answer;
  });
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
