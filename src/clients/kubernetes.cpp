#include "clients/kubernetes.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/json_body.hpp"
#include "clients/memo.hpp"
#include "clients/scrub.hpp"
#include "core/errors.hpp"

namespace scs {

using nlohmann::json;

struct Kubernetes::State {
  State(KubeConfig config_in, Transport& transport_in)
      : config(std::move(config_in)), transport(transport_in), scrubber(config.secrets()) {}

  KubeConfig config;
  Transport& transport;
  Scrubber scrubber;
  Memo<json> version;
  Memo<std::vector<json>> nodes;
  Memo<std::vector<json>> storage_classes;

  HttpRequest request(std::string method, std::string_view path, std::string body = {}) const {
    HttpRequest out{std::move(method),
                    config.server + std::string(path),
                    {{"Accept", "application/json"}},
                    std::move(body)};
    if (!out.body.empty()) out.headers.emplace_back("Content-Type", "application/json");
    if (!config.token.empty()) out.headers.emplace_back("Authorization", "Bearer " + config.token);
    return out;
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
    : state_(std::make_unique<State>(std::move(config), transport)) {}

Kubernetes::~Kubernetes() = default;

const KubeConfig& Kubernetes::config() const { return state_->config; }

json Kubernetes::get_json(std::string_view path) {
  const auto request = state_->request("GET", path);
  const auto response = state_->transport.send(request);
  if (response.status < 200 || response.status >= 300) state_->fail(request, response);
  return parse_json_answer(response, "GET", state_->scrubber.url(request.url), state_->scrubber);
}

std::vector<json> Kubernetes::list(std::string_view path) {
  std::vector<json> items;
  std::string next_continue;
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
    next_continue = page.value("/metadata/continue"_json_pointer, std::string());
  } while (!next_continue.empty());
  return items;
}

json Kubernetes::create(std::string_view path, const json& body) {
  const auto request = state_->request("POST", path, body.dump());
  const auto response = state_->transport.send(request);
  if (response.status < 200 || response.status >= 300) state_->fail(request, response);
  return parse_json_answer(response, "POST", state_->scrubber.url(request.url), state_->scrubber);
}

bool Kubernetes::remove(std::string_view path) {
  const auto request = state_->request("DELETE", path);
  const auto response = state_->transport.send(request);
  if (response.status == 404) return false;
  if (response.status < 200 || response.status >= 300) state_->fail(request, response);
  return true;
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

}  // namespace scs
