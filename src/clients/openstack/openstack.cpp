#include "clients/openstack/openstack.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "clients/http/json_body.hpp"
#include "clients/http/memo.hpp"
#include "clients/http/scrub.hpp"
#include "clients/openstack/keystone_auth.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

using nlohmann::json;

/// The microversion that embeds extra_specs in flavor listings.
constexpr std::string_view flavor_microversion = "compute 2.61";
constexpr unsigned max_parallel_requests = 8;

/// Service types that name the same API (service-types-authority aliases). The type asked for
/// is tried first, then the others in this order.
const std::vector<std::vector<std::string_view>>& alias_groups() {
  static const std::vector<std::vector<std::string_view>> groups = {
      {"block-storage", "volumev3", "volumev2", "volume", "block-store"},
      {"shared-file-system", "sharev2", "share"},
      {"container-infrastructure-management", "container-infrastructure", "container-infra"},
      {"load-balancer", "octavia"},
  };
  return groups;
}

std::vector<std::string> type_and_aliases(std::string_view type) {
  std::vector<std::string> out{std::string(type)};
  for (const auto& group : alias_groups()) {
    if (std::find(group.begin(), group.end(), type) == group.end()) continue;
    for (const auto alias : group) {
      if (alias != type) out.emplace_back(alias);
    }
  }
  return out;
}

bool is_absolute(std::string_view url) { return url.starts_with("http://") || url.starts_with("https://"); }

std::string strip_trailing_slash(std::string url) {
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

/// endpoint + path, without doubling a version segment the endpoint already ends with
/// (".../v2" + "/v2/images", the way Glance writes its `next` links).
std::string join_url(std::string_view endpoint, std::string_view path) {
  if (path.empty()) return std::string(endpoint);
  std::string rel = path.front() == '/' ? std::string(path) : "/" + std::string(path);
  const auto segment_end = rel.find_first_of("/?", 1);
  const std::string first = rel.substr(0, segment_end);  // "/v2"
  if (first.size() > 1 && endpoint.ends_with(first)) return std::string(endpoint) + rel.substr(first.size());
  return std::string(endpoint) + rel;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

/// Keystone substitutes %(project_id)s in catalog URLs; overrides and odd catalogs may still
/// hold the template.
std::string substitute_templates(std::string url, const TokenInfo& token) {
  for (const auto* name : {"project_id", "tenant_id"}) {
    replace_all(url, fmt::format("%({})s", name), token.project_id);
    replace_all(url, fmt::format("$({})s", name), token.project_id);
  }
  replace_all(url, "%(user_id)s", token.user_id);
  return url;
}

/// The next page of a listing: Glance's "next", or the rel=next link in any "*_links" array
/// (flavors_links, networks_links, volume_type_links, …).
std::string next_link(const json& page) {
  if (!page.is_object()) return {};
  if (const auto it = page.find("next"); it != page.end() && it->is_string()) return it->get<std::string>();
  for (const auto& [key, value] : page.items()) {
    if (!key.ends_with("_links") || !value.is_array()) continue;
    for (const auto& link : value) {
      if (link.is_object() && link.value("rel", "") == "next" && link.contains("href") &&
          link["href"].is_string()) {
        return link["href"].get<std::string>();
      }
    }
  }
  return {};
}

std::string microversion_header(std::string_view service_type, std::string_view microversion) {
  // "compute 2.61" as given, or a bare "2.61" for the service asked.
  if (microversion.find(' ') != std::string_view::npos) return std::string(microversion);
  return fmt::format("{} {}", service_type, microversion);
}

/// A whole number of `item` in [0, max]; `fallback` when absent or null. Anything else (a
/// string, a fraction, a number too large) is a json::type_error, so that a listing of the wrong
/// shape fails as one (see listing_error) instead of converting out of range.
long long whole_number(const json& item, const char* key, long long fallback, long long max) {
  const auto it = item.find(key);
  if (it == item.end() || it->is_null()) return fallback;
  if (it->is_number_unsigned() && it->get<unsigned long long>() <= static_cast<unsigned long long>(max))
    return static_cast<long long>(it->get<unsigned long long>());
  if (it->is_number_integer() && !it->is_number_unsigned() && it->get<long long>() >= 0)
    return it->get<long long>();
  throw json::type_error::create(302, fmt::format("'{}' is not a whole number from 0 to {}", key, max), &*it);
}

/// What a listing whose entries are not what the API documents is: the cloud did not answer
/// like that API.
UnreachableError listing_error(const CloudConfig& cloud, std::string_view what,
                               const json::exception& error) {
  return UnreachableError(fmt::format("the {} of cloud '{}' hold an entry of the wrong shape: {}", what,
                                      cloud.name, error.what()));
}

Flavor parse_flavor(const json& item) {
  Flavor flavor;
  flavor.id = item.value("id", "");
  flavor.name = item.value("name", "");
  flavor.vcpus = static_cast<int>(whole_number(item, "vcpus", 0, std::numeric_limits<int>::max()));
  flavor.ram_mib = whole_number(item, "ram", 0, std::numeric_limits<long long>::max());
  // Nova says "disk": 0 for a flavor without a root disk; some clouds send null.
  if (const auto it = item.find("disk"); it != item.end() && it->is_number())
    flavor.disk_gb = whole_number(item, "disk", 0, std::numeric_limits<long long>::max());
  flavor.is_public = item.value("os-flavor-access:is_public", true);
  flavor.disabled = item.value("OS-FLV-DISABLED:disabled", false);
  return flavor;
}

void put_extra_specs(Flavor& flavor, const json& specs) {
  if (!specs.is_object()) return;
  for (const auto& [key, value] : specs.items()) {
    flavor.extra_specs[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
}

}  // namespace

struct OpenStack::State {
  CloudConfig cloud;
  Transport& transport;
  Scrubber scrubber;
  std::string token_value;  // X-Subject-Token: in memory only, never logged or stored
  Memo<TokenInfo> token;
  Memo<std::vector<Flavor>> flavors;
  Memo<std::vector<json>> images;
  Memo<std::vector<VolumeType>> volume_types;

  State(CloudConfig config, Transport& t)
      : cloud(std::move(config)), transport(t), scrubber(cloud.secrets()) {}

  TokenInfo authenticate() {
    const std::string url = keystone::token_url(cloud.auth_url);
    HttpRequest request{
        "POST", url, {{"Content-Type", "application/json"}, {"Accept", "application/json"}}, {}};
    request.body = keystone::auth_request_body(cloud);
    const HttpResponse response = transport.send(request);
    if (response.status == 200 || response.status == 201) {
      const auto subject_token = response.header("X-Subject-Token");
      if (subject_token.empty())
        throw UnreachableError(fmt::format("POST {} answered without an X-Subject-Token", url));
      token_value = std::string(subject_token);
      scrubber.add_secret(token_value);
      return keystone::parse_token(parse_json_answer(response, "POST", url, scrubber));
    }
    if (response.status == 401) {
      const char* what = cloud.auth_type == "token" || cloud.auth_type == "v3token"
                             ? "the token"
                             : "the password or application credential";
      throw ConfigError(fmt::format("authentication failed for cloud '{}' at {}: {} was rejected (HTTP 401)",
                                    cloud.name, url, what));
    }
    if (response.status == 404) {
      throw ConfigError(
          fmt::format("authentication failed for cloud '{}': {} answered HTTP 404; is auth_url "
                      "the Keystone endpoint?",
                      cloud.name, url));
    }
    if (response.status >= 400 && response.status < 500) {
      throw ConfigError(fmt::format("authentication failed for cloud '{}' at {} (HTTP {}): {}", cloud.name,
                                    url, response.status, body_excerpt(response.body, scrubber)));
    }
    throw HttpError("POST", url, response.status, body_excerpt(response.body, scrubber));
  }
};

OpenStack::OpenStack(CloudConfig cloud, Transport& transport)
    : state_(std::make_unique<State>(std::move(cloud), transport)) {}

OpenStack::~OpenStack() = default;

const CloudConfig& OpenStack::cloud() const { return state_->cloud; }

const TokenInfo& OpenStack::token() {
  return state_->token.get([this] { return state_->authenticate(); });
}

const std::vector<CatalogEntry>& OpenStack::catalog() { return token().catalog; }

std::string OpenStack::endpoint_url(std::string_view service_type) {
  const auto& cloud = state_->cloud;
  const auto types = type_and_aliases(service_type);
  for (const auto& type : types) {
    if (const auto it = cloud.endpoint_overrides.find(type); it != cloud.endpoint_overrides.end()) {
      return strip_trailing_slash(substitute_templates(it->second, token()));
    }
  }
  const TokenInfo& info = token();
  std::vector<std::string> seen;
  for (const auto& type : types) {
    for (const auto& entry : info.catalog) {
      if (entry.type != type) continue;
      for (const auto& endpoint : entry.endpoints) {
        if (endpoint.interface == cloud.interface &&
            (cloud.region_name.empty() || endpoint.region == cloud.region_name)) {
          return strip_trailing_slash(substitute_templates(endpoint.url, info));
        }
        seen.push_back(fmt::format("{} in {}", endpoint.interface,
                                   endpoint.region.empty() ? "no region" : endpoint.region));
      }
    }
  }
  const std::string region =
      cloud.region_name.empty() ? std::string() : fmt::format(" in region '{}'", cloud.region_name);
  if (seen.empty()) {
    throw Error(fmt::format("the catalog of cloud '{}' has no '{}' service", cloud.name, service_type));
  }
  throw Error(fmt::format("the catalog of cloud '{}' has no {} endpoint for '{}'{} (it has: {})", cloud.name,
                          cloud.interface, service_type, region, fmt::join(seen, ", ")));
}

namespace {

HttpRequest api_request(std::string method, std::string url, const std::string& token,
                        std::string_view service_type, std::string_view microversion) {
  HttpRequest request{
      std::move(method), std::move(url), {{"Accept", "application/json"}, {"X-Auth-Token", token}}, {}};
  if (!microversion.empty()) {
    const std::string value = microversion_header(service_type, microversion);
    request.headers.emplace_back("OpenStack-API-Version", value);
    // Nova before 2.27 only knows its own header.
    if (value.starts_with("compute "))
      request.headers.emplace_back("X-OpenStack-Nova-API-Version", value.substr(8));
  }
  return request;
}

}  // namespace

json OpenStack::get_json(std::string_view service_type, std::string_view path,
                         std::string_view microversion) {
  const std::string url = is_absolute(path) ? std::string(path) : join_url(endpoint_url(service_type), path);
  token();  // the token value is set once token() has returned
  const HttpResponse response =
      state_->transport.send(api_request("GET", url, state_->token_value, service_type, microversion));
  const std::string shown = state_->scrubber.url(url);
  if (response.status < 200 || response.status >= 300) {
    throw HttpError("GET", shown, response.status, body_excerpt(response.body, state_->scrubber));
  }
  return parse_json_answer(response, "GET", shown, state_->scrubber);
}

json OpenStack::send_json(std::string_view method, std::string_view service_type, std::string_view path,
                          const json& body, std::string_view microversion) {
  const std::string url = is_absolute(path) ? std::string(path) : join_url(endpoint_url(service_type), path);
  token();
  auto request = api_request(std::string(method), url, state_->token_value, service_type, microversion);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  const HttpResponse response = state_->transport.send(request);
  const std::string shown = state_->scrubber.url(url);
  if (response.status < 200 || response.status >= 300) {
    throw HttpError(std::string(method), shown, response.status,
                    body_excerpt(response.body, state_->scrubber));
  }
  if (response.body.empty()) return nullptr;
  return parse_json_answer(response, method, shown, state_->scrubber);
}

bool OpenStack::delete_path(std::string_view service_type, std::string_view path,
                            std::string_view microversion, std::string* not_found) {
  const std::string url = is_absolute(path) ? std::string(path) : join_url(endpoint_url(service_type), path);
  token();
  const HttpResponse response =
      state_->transport.send(api_request("DELETE", url, state_->token_value, service_type, microversion));
  if (response.status == 404) {
    if (not_found != nullptr) *not_found = body_excerpt(response.body, state_->scrubber);
    return false;
  }
  if (response.status < 200 || response.status >= 300) {
    throw HttpError("DELETE", state_->scrubber.url(url), response.status,
                    body_excerpt(response.body, state_->scrubber));
  }
  return true;
}

std::vector<json> OpenStack::get_all(std::string_view service_type, std::string_view path,
                                     std::string_view key, std::string_view microversion) {
  std::vector<json> items;
  std::string url = is_absolute(path) ? std::string(path) : join_url(endpoint_url(service_type), path);
  std::set<std::string> visited;
  while (!url.empty() && visited.insert(url).second) {  // a link back to a page seen ends the walk
    const json page = get_json(service_type, url, microversion);
    const auto it = page.find(std::string(key));
    if (it == page.end() || !it->is_array()) {
      throw UnreachableError(
          fmt::format("GET {} answered without a '{}' list", state_->scrubber.url(url), key));
    }
    if (it->empty()) break;
    items.insert(items.end(), it->begin(), it->end());
    const std::string next = next_link(page);
    url = next.empty() || is_absolute(next) ? next : join_url(endpoint_url(service_type), next);
  }
  return items;
}

const std::vector<Flavor>& OpenStack::flavors() {
  return state_->flavors.get([this] {
    try {
      return fetch_flavors();
    } catch (const json::exception& error) {
      throw listing_error(state_->cloud, "flavors", error);
    }
  });
}

std::vector<Flavor> OpenStack::fetch_flavors() {
  {
    // What openstacksdk's list_flavors() asks: is_public=None means every flavor the project
    // may use, public and private. Microversion 2.61 embeds the extra specs.
    constexpr std::string_view path = "/flavors/detail?is_public=None";
    std::vector<json> listed;
    try {
      listed = get_all("compute", path, "flavors", flavor_microversion);
    } catch (const HttpError& error) {
      if (error.status() != 406) throw;  // 406: this Nova is older than 2.61
      listed = get_all("compute", path, "flavors");
    }
    std::vector<Flavor> flavors;
    std::vector<std::size_t> missing;  // listed without extra_specs: ask per flavor
    for (const auto& item : listed) {
      flavors.push_back(parse_flavor(item));
      if (const auto it = item.find("extra_specs"); it != item.end()) {
        put_extra_specs(flavors.back(), *it);
      } else {
        missing.push_back(flavors.size() - 1);
      }
    }
    if (missing.empty()) return flavors;

    // One request per flavor, in parallel. Calls are counted in the workers' own scopes and
    // handed to the caller's, so the testcase that asked is charged for them.
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::exception_ptr failure;
    CallStats counted;
    const auto work = [&] {
      CallStats mine;
      {
        const MeterScope scope(mine);
        for (std::size_t i = next++; i < missing.size(); i = next++) {
          Flavor& flavor = flavors[missing[i]];
          try {
            const json specs = get_json("compute", fmt::format("/flavors/{}/os-extra_specs", flavor.id));
            put_extra_specs(flavor, specs.value("extra_specs", json::object()));
          } catch (...) {
            const std::lock_guard lock(mutex);
            if (!failure) failure = std::current_exception();
            next = missing.size();
          }
        }
      }
      const std::lock_guard lock(mutex);
      counted += mine;
    };
    std::vector<std::thread> workers;
    const auto count = std::min<std::size_t>(max_parallel_requests, missing.size());
    for (std::size_t i = 1; i < count; ++i) workers.emplace_back(work);
    work();
    for (auto& worker : workers) worker.join();
    count_call(counted);
    if (failure) std::rethrow_exception(failure);
    return flavors;
  }
}

const std::vector<json>& OpenStack::images() {
  return state_->images.get([this] {
    // What openstacksdk's list_images(show_all=True) asks: member_status=all adds the shared
    // images of every membership status; callers filter by visibility themselves.
    return get_all("image", "/v2/images?member_status=all", "images");
  });
}

const std::vector<VolumeType>& OpenStack::volume_types() {
  return state_->volume_types.get([this] {
    std::vector<VolumeType> types;
    for (const auto& item : get_all("block-storage", "/types", "volume_types")) {
      VolumeType type;
      try {
        type.id = item.value("id", "");
        type.name = item.value("name", "");
      } catch (const json::exception& error) {
        throw listing_error(state_->cloud, "volume types", error);
      }
      if (const auto it = item.find("description"); it != item.end() && it->is_string())
        type.description = it->get<std::string>();
      types.push_back(std::move(type));
    }
    return types;
  });
}

}  // namespace scs
