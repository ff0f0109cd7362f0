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
#include "clients/openstack/token_cache.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

using nlohmann::json;

/// The microversion that embeds extra_specs in flavor listings.
constexpr std::string_view flavor_microversion = "compute 2.61";
constexpr unsigned max_parallel_requests = 8;
/// Far more pages than any listing of a real cloud has (Glance pages hold 25 images or more).
constexpr std::size_t max_pages = 10'000;

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

/// The transport's answer; a request that got none names itself in the error, so a reader
/// sees which API was unreachable, not only which host.
HttpResponse send_request(Transport& transport, const HttpRequest& request, std::string_view shown_url) {
  try {
    return transport.send(request);
  } catch (const UnreachableError& error) {
    throw UnreachableError(fmt::format("{} ({} {})", error.what(), request.method, shown_url));
  }
}

/// Reads the fields of one listed object, each of the JSON type its API documents. Another
/// type means the endpoint misbehaves: the error names the listing and the field, and every
/// testcase that needs the collection ABORTs with it instead of judging a guess.
class ListedObject {
 public:
  ListedObject(const json& item, std::string_view listing_url, std::string_view kind)
      : item_(item), url_(listing_url), kind_(kind) {}

  [[nodiscard]] std::string text(const char* key) const {
    const auto* value = find(key);
    if (value == nullptr) return {};
    if (!value->is_string()) wrong_type(key, *value, "a string");
    return value->get<std::string>();
  }

  /// A whole number from 0 to `max` (a count or a size); a fraction, a negative number or one
  /// too large for what it counts is the wrong type too.
  [[nodiscard]] long long number(const char* key,
                                 long long max = std::numeric_limits<long long>::max()) const {
    const auto* value = find(key);
    if (value == nullptr) return 0;
    if (value->is_number_unsigned() &&
        value->get<unsigned long long>() <= static_cast<unsigned long long>(max))
      return static_cast<long long>(value->get<unsigned long long>());
    if (value->is_number_integer() && !value->is_number_unsigned() && value->get<long long>() >= 0 &&
        value->get<long long>() <= max)
      return value->get<long long>();
    wrong_type(key, *value, fmt::format("a whole number from 0 to {}", max));
  }

  [[nodiscard]] bool flag(const char* key, bool fallback) const {
    const auto* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_boolean()) wrong_type(key, *value, "a boolean");
    return value->get<bool>();
  }

  /// Every member of the object whose key is not in `typed` must be a string or null.
  void strings_besides(std::initializer_list<std::string_view> typed) const {
    for (const auto& [key, value] : item_.items()) {
      if (value.is_string() || value.is_null()) continue;
      if (std::find(typed.begin(), typed.end(), key) != typed.end()) continue;
      wrong_type(key.c_str(), value, "a string");
    }
  }

 private:
  /// The member, or null when it is absent or JSON null.
  [[nodiscard]] const json* find(const char* key) const {
    const auto it = item_.find(key);
    return it == item_.end() || it->is_null() ? nullptr : &*it;
  }

  [[noreturn]] void wrong_type(const char* key, const json& value, std::string_view expected) const {
    const auto id = item_.find("id");
    throw UnreachableError(
        fmt::format("GET {} answered a {}{} whose '{}' is a {}, not {}", url_, kind_,
                    id != item_.end() && id->is_string() ? " " + id->get<std::string>() : "", key,
                    value.type_name(), expected));
  }

  const json& item_;
  std::string_view url_;
  std::string_view kind_;
};

Flavor parse_flavor(const json& item, std::string_view url) {
  const ListedObject listed(item, url, "flavor");
  Flavor flavor;
  flavor.id = listed.text("id");
  flavor.name = listed.text("name");
  flavor.vcpus = static_cast<int>(listed.number("vcpus", std::numeric_limits<int>::max()));
  flavor.ram_mib = listed.number("ram");
  // Nova says "disk": 0 for a flavor without a root disk; some clouds send null.
  flavor.disk_gb = listed.number("disk");
  flavor.is_public = listed.flag("os-flavor-access:is_public", true);
  flavor.disabled = listed.flag("OS-FLV-DISABLED:disabled", false);
  return flavor;
}

/// What a listing whose entries are not what the API documents is, where no field check above
/// caught it first: the cloud did not answer like that API.
UnreachableError listing_error(const CloudConfig& cloud, std::string_view what,
                               const json::exception& error) {
  return UnreachableError(fmt::format("the {} of cloud '{}' hold an entry of the wrong shape: {}", what,
                                      cloud.name, error.what()));
}

/// An empty listing of a collection every usable cloud has: judging it would pass the
/// testcases that look for offenders and fail those that look for offers, both by accident.
[[noreturn]] void nothing_listed(std::string_view url, std::string_view what) {
  throw Error(
      fmt::format("GET {} listed no {}; a project that can use the cloud sees some, so there is "
                  "nothing to judge",
                  url, what));
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
  Memo<TokenInfo> token;
  Memo<std::vector<Flavor>> flavors;
  Memo<std::vector<json>> images;
  Memo<std::vector<VolumeType>> volume_types;
  Memo<std::vector<AvailabilityZone>> compute_zones;
  Memo<std::vector<AvailabilityZone>> volume_zones;
  TokenCache* cache = nullptr;
  std::function<void(const TokenInfo&)> token_check;

  // The token value (X-Subject-Token): in memory and in the token cache only, never logged.
  // It changes at most once, when a cached token is refused: `renewal` serialises that.
  mutable std::mutex value_mutex;
  std::string token_value;
  TokenSource source = TokenSource::none;
  std::mutex renewal;
  std::exception_ptr renewal_error;               // a renewal that cannot go on, for every caller
  std::string cached_project_id, cached_user_id;  // of the cached token, set before any renewal

  State(CloudConfig config, Transport& t)
      : cloud(std::move(config)), transport(t), scrubber(cloud.secrets()) {}

  std::string current_token() const {
    const std::lock_guard lock(value_mutex);
    return token_value;
  }

  void use(std::string value, TokenSource from) {
    scrubber.add_secret(value);
    const std::lock_guard lock(value_mutex);
    token_value = std::move(value);
    source = from;
  }

  /// The cached token, when the cache holds one Keystone's answer format still reads.
  std::optional<TokenInfo> cached_token() {
    if (cache == nullptr) return std::nullopt;
    auto cached = cache->load(cloud);
    if (!cached) return std::nullopt;
    try {
      auto info = keystone::parse_token(cached->answer);
      if (token_check) token_check(info);
      cached_project_id = info.project_id;
      cached_user_id = info.user_id;
      use(std::move(cached->value), TokenSource::cached);
      return info;
    } catch (const UnreachableError&) {
      cache->forget(cloud);  // an answer this version cannot read: ask Keystone
      return std::nullopt;
    }
  }

  TokenInfo first_token() {
    if (auto cached = cached_token()) return std::move(*cached);
    return authenticate(TokenSource::new_token);
  }

  TokenInfo authenticate(TokenSource from) {
    const std::string url = keystone::token_url(cloud.auth_url);
    HttpRequest request{
        "POST", url, {{"Content-Type", "application/json"}, {"Accept", "application/json"}}, {}};
    request.body = keystone::auth_request_body(cloud);
    const HttpResponse response = send_request(transport, request, url);
    if (response.status == 200 || response.status == 201) {
      const auto subject_token = response.header("X-Subject-Token");
      if (subject_token.empty())
        throw UnreachableError(fmt::format("POST {} answered without an X-Subject-Token", url));
      std::string value(subject_token);
      scrubber.add_secret(value);
      const auto body = parse_json_answer(response, "POST", url, scrubber);
      TokenInfo info;
      try {
        info = keystone::parse_token(body);
      } catch (const UnreachableError& error) {
        throw UnreachableError(fmt::format("POST {}: {}", url, error.what()));
      }
      if (token_check) token_check(info);
      if (cache != nullptr) {
        if (const auto expires_at = parse_keystone_time(info.expires_at))
          cache->store(cloud, CachedToken{value, body, *expires_at});
      }
      use(std::move(value), from);
      return info;
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
    // 429: too many requests is the cloud's state, not the configuration's.
    if (response.status >= 400 && response.status < 500 && response.status != 429) {
      throw ConfigError(fmt::format("authentication failed for cloud '{}' at {} (HTTP {}): {}", cloud.name,
                                    url, response.status, body_excerpt(response.body, scrubber)));
    }
    throw HttpError("POST", url, response.status, body_excerpt(response.body, scrubber));
  }

  /// Keystone refused the cached token `refused` (revoked, or expired early): a new one
  /// replaces it, once per run. True when a request refused with `refused` may be sent again.
  bool renew(const std::string& refused) {
    const std::lock_guard lock(renewal);
    if (renewal_error) std::rethrow_exception(renewal_error);
    {
      const std::lock_guard value_lock(value_mutex);
      if (token_value != refused) return true;  // another thread renewed it already
      if (source != TokenSource::cached) return false;
    }
    if (cache != nullptr) cache->forget(cloud);
    const auto renewed = authenticate(TokenSource::renewed);
    // The run already uses the cached token's project (in endpoint URLs, in the journal): a new
    // token for another project or user (replaced since) would mix the two. The new token is
    // cached, so the next run starts right; this one stops, for every caller.
    if (renewed.project_id != cached_project_id || renewed.user_id != cached_user_id) {
      renewal_error = std::make_exception_ptr(
          ConfigError(fmt::format("cloud '{}': the project or user of the cached token was replaced since it "
                                  "was cached (project id {} "
                                  "is now {}); the cache now holds a token for the new one, run again",
                                  cloud.name, cached_project_id, renewed.project_id)));
      std::rethrow_exception(renewal_error);
    }
    return true;
  }
};

std::string_view to_string(TokenSource source) {
  switch (source) {
    case TokenSource::new_token:
      return "new";
    case TokenSource::cached:
      return "cached";
    case TokenSource::renewed:
      return "renewed";
    case TokenSource::none:
      break;
  }
  return "none";
}

OpenStack::OpenStack(CloudConfig cloud, Transport& transport)
    : state_(std::make_unique<State>(std::move(cloud), transport)) {}

OpenStack::~OpenStack() = default;

const CloudConfig& OpenStack::cloud() const { return state_->cloud; }

const TokenInfo& OpenStack::token() {
  return state_->token.get([this] { return state_->first_token(); });
}

void OpenStack::use_token_cache(TokenCache& cache) { state_->cache = &cache; }

void OpenStack::set_token_check(std::function<void(const TokenInfo&)> check) {
  state_->token_check = std::move(check);
}

TokenSource OpenStack::token_source() const {
  const std::lock_guard lock(state_->value_mutex);
  return state_->source;
}

void OpenStack::confirm_cached_token() {
  token();
  {
    const std::lock_guard lock(state_->renewal);
    if (state_->renewal_error) std::rethrow_exception(state_->renewal_error);
  }
  const std::string value = state_->current_token();
  if (token_source() != TokenSource::cached) return;
  // GET /v3/auth/tokens validates a token without the password hash that issuing one costs,
  // and answers with the roles it carries now (Keystone computes them at validation).
  const std::string url = keystone::token_url(state_->cloud.auth_url);
  const HttpRequest request{
      "GET", url, {{"Accept", "application/json"}, {"X-Auth-Token", value}, {"X-Subject-Token", value}}, {}};
  const HttpResponse response = send_request(state_->transport, request, url);
  if (response.status == 401 || response.status == 404) {
    state_->renew(value);  // the new token passes the token check in authenticate()
    return;
  }
  if (response.status != 200) {
    throw HttpError("GET", url, response.status, body_excerpt(response.body, state_->scrubber));
  }
  const auto body = parse_json_answer(response, "GET", url, state_->scrubber);
  TokenInfo now;
  try {
    now = keystone::parse_token(body);
  } catch (const UnreachableError& error) {
    throw UnreachableError(fmt::format("GET {}: {}", url, error.what()));
  }
  if (state_->token_check) state_->token_check(now);
}

HttpResponse OpenStack::send_with_token(HttpRequest request, const std::string& shown) {
  token();
  std::string value = state_->current_token();
  request.headers.emplace_back("X-Auth-Token", value);
  auto response = send_request(state_->transport, request, shown);
  // A cached token Keystone no longer accepts is replaced once, and the request sent again.
  if (response.status == 401 && state_->renew(value)) {
    request.headers.back().second = state_->current_token();
    response = send_request(state_->transport, request, shown);
  }
  return response;
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

HttpRequest api_request(std::string method, std::string url, std::string_view service_type,
                        std::string_view microversion) {
  HttpRequest request{std::move(method), std::move(url), {{"Accept", "application/json"}}, {}};
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
  const std::string shown = state_->scrubber.url(url);
  const HttpResponse response = send_with_token(api_request("GET", url, service_type, microversion), shown);
  if (response.status < 200 || response.status >= 300) {
    throw HttpError("GET", shown, response.status, body_excerpt(response.body, state_->scrubber));
  }
  return parse_json_answer(response, "GET", shown, state_->scrubber);
}

json OpenStack::send_json(std::string_view method, std::string_view service_type, std::string_view path,
                          const json& body, std::string_view microversion) {
  const std::string url = is_absolute(path) ? std::string(path) : join_url(endpoint_url(service_type), path);
  auto request = api_request(std::string(method), url, service_type, microversion);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  const std::string shown = state_->scrubber.url(url);
  const HttpResponse response = send_with_token(std::move(request), shown);
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
  const HttpResponse response =
      send_with_token(api_request("DELETE", url, service_type, microversion), state_->scrubber.url(url));
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
  while (!url.empty()) {
    const std::string shown = state_->scrubber.url(url);
    // A next link back to a page already read, or a walk without end, leaves the listing
    // incomplete: judging it would judge an unknown part of the collection.
    if (!visited.insert(url).second) {
      throw UnreachableError(
          fmt::format("GET {}: the listing's next link points back to a page already read", shown));
    }
    if (visited.size() > max_pages) {
      throw UnreachableError(
          fmt::format("GET {}: the listing goes on for more than {} pages", shown, max_pages));
    }
    const json page = get_json(service_type, url, microversion);
    const auto it = page.is_object() ? page.find(std::string(key)) : page.end();
    if (it == page.end() || !it->is_array()) {
      throw UnreachableError(fmt::format("GET {} answered without a '{}' list", shown, key));
    }
    if (it->empty()) break;
    for (const auto& item : *it) {
      if (!item.is_object()) {
        throw UnreachableError(fmt::format("GET {} answered a '{}' list with a {} among its objects", shown,
                                           key, item.type_name()));
      }
    }
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
    const std::string shown = state_->scrubber.url(join_url(endpoint_url("compute"), path));
    if (listed.empty()) nothing_listed(shown, "flavors");
    std::vector<Flavor> flavors;
    std::vector<std::size_t> missing;  // listed without extra_specs: ask per flavor
    for (const auto& item : listed) {
      flavors.push_back(parse_flavor(item, shown));
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
    constexpr std::string_view path = "/v2/images?member_status=all";
    auto images = get_all("image", path, "images");
    const std::string shown = state_->scrubber.url(join_url(endpoint_url("image"), path));
    if (images.empty()) nothing_listed(shown, "images");
    for (const auto& image : images) {
      // Glance's image schema: these members have types of their own; every other one (the
      // properties the checks read) is a string.
      const ListedObject listed(image, shown, "image");
      for (const auto* key : {"size", "virtual_size", "min_ram", "min_disk"}) (void)listed.number(key);
      for (const auto* key : {"protected", "os_hidden"}) (void)listed.flag(key, false);
      listed.strings_besides(
          {"size", "virtual_size", "min_ram", "min_disk", "protected", "os_hidden", "tags", "locations"});
    }
    return images;
  });
}

const std::vector<VolumeType>& OpenStack::volume_types() {
  return state_->volume_types.get([this] {
    const auto listed = get_all("block-storage", "/types", "volume_types");
    const std::string shown = state_->scrubber.url(join_url(endpoint_url("block-storage"), "/types"));
    if (listed.empty()) nothing_listed(shown, "volume types");
    std::vector<VolumeType> types;
    for (const auto& item : listed) {
      const ListedObject object(item, shown, "volume type");
      types.push_back({object.text("id"), object.text("name"), object.text("description")});
    }
    return types;
  });
}

const std::vector<AvailabilityZone>& OpenStack::compute_availability_zones() {
  return state_->compute_zones.get([this] { return fetch_availability_zones("compute"); });
}

const std::vector<AvailabilityZone>& OpenStack::volume_availability_zones() {
  return state_->volume_zones.get([this] { return fetch_availability_zones("block-storage"); });
}

// Nova and Cinder answer alike: {"availabilityZoneInfo": [{"zoneName": "nova", "zoneState":
// {"available": true}, ...}]}. Both list a zone for every service host they have, so an empty
// list is no state a cloud that can run servers or volumes is in.
std::vector<AvailabilityZone> OpenStack::fetch_availability_zones(std::string_view service_type) {
  constexpr std::string_view path = "/os-availability-zone";
  const auto listed = get_all(service_type, path, "availabilityZoneInfo");
  const std::string shown = state_->scrubber.url(join_url(endpoint_url(service_type), path));
  if (listed.empty()) nothing_listed(shown, "availability zones");
  std::vector<AvailabilityZone> zones;
  for (const auto& item : listed) {
    const ListedObject object(item, shown, "zone");
    AvailabilityZone zone{object.text("zoneName"), false};
    const json* available = nullptr;
    if (const auto state = item.find("zoneState"); state != item.end() && state->is_object()) {
      if (const auto flag = state->find("available"); flag != state->end()) available = &*flag;
    }
    if (zone.name.empty() || available == nullptr || !available->is_boolean()) {
      throw UnreachableError(
          fmt::format("GET {} answered an availability zone without a name and a boolean "
                      "'zoneState.available': {}",
                      shown, body_excerpt(item.dump(), state_->scrubber)));
    }
    zone.available = available->get<bool>();
    zones.push_back(std::move(zone));
  }
  return zones;
}

}  // namespace scs
