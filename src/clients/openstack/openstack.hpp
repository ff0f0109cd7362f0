#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "clients/http/http.hpp"
#include "clients/openstack/cloud_config.hpp"

namespace scs {

struct Endpoint {
  std::string interface;  // public | internal | admin
  std::string region;
  std::string url;
};

struct CatalogEntry {
  std::string type;
  std::string name;
  std::vector<Endpoint> endpoints;
};

/// What Keystone said about the token (never the token itself).
struct TokenInfo {
  std::string user_id, user_name;
  std::string project_id, project_name;
  std::vector<std::string> roles;
  std::vector<CatalogEntry> catalog;
  std::string expires_at;  // as Keystone wrote it, e.g. 2026-12-07T19:46:26.000000Z
};

class TokenCache;

/// Where the token in use came from: Keystone for this run, the cache, or the cache and then
/// Keystone again (the cached token was refused, so a new one replaced it).
enum class TokenSource { none, new_token, cached, renewed };
std::string_view to_string(TokenSource source);

struct Flavor {
  std::string id;
  std::string name;
  int vcpus = 0;
  long long ram_mib = 0;
  long long disk_gb = 0;
  bool is_public = true;
  bool disabled = false;
  std::map<std::string, std::string> extra_specs;
};

/// A Cinder volume type as a member sees it.
struct VolumeType {
  std::string id;
  std::string name;
  std::string description;  // empty when Cinder says null
};

/// An availability zone as a service lists it to a member (Nova's and Cinder's
/// `GET /os-availability-zone`): its name and whether it takes new resources.
struct AvailabilityZone {
  std::string name;
  bool available = false;
};

/// An authenticated OpenStack session with memoised reads. Thread-safe: the token and every
/// collection are fetched once per run, by whichever thread asks first; others wait for it.
/// A failure is memoised too, so every testcase that needs the collection ABORTs with the
/// same reason instead of asking again.
class OpenStack {
 public:
  OpenStack(CloudConfig cloud, Transport& transport);
  ~OpenStack();
  OpenStack(const OpenStack&) = delete;
  OpenStack& operator=(const OpenStack&) = delete;

  [[nodiscard]] const CloudConfig& cloud() const;

  /// Authenticates on first use (POST /v3/auth/tokens), or takes the token from the cache when
  /// one is used and holds it. Wrong credentials are a ConfigError.
  const TokenInfo& token();

  /// Keeps tokens in `cache` between runs: read on first use, written when Keystone issues
  /// one. Only for live runs: a recording must hold the authentication it replays.
  void use_token_cache(TokenCache& cache);

  /// Called with every token before the first request that carries it (new, cached, or issued
  /// again after a refusal); an exception it throws refuses the token. The role check.
  void set_token_check(std::function<void(const TokenInfo&)> check);

  /// Where the token in use came from (none before the first token()).
  [[nodiscard]] TokenSource token_source() const;

  /// For a cached token: asks Keystone what it says of it now (GET /v3/auth/tokens) and hands
  /// that, with today's roles, to the token check; a token Keystone no longer accepts is
  /// replaced by a new one (which the check sees too). Nothing to do for a new token.
  void confirm_cached_token();

  /// The catalog entries of the token, all types.
  const std::vector<CatalogEntry>& catalog();

  /// The URL of `service_type` for the cloud's region and interface; throws Error if absent.
  std::string endpoint_url(std::string_view service_type);

  /// GET `path` (relative to the service's endpoint, or absolute URL) as JSON, with the token
  /// and optional microversion header ("compute 2.61"). Non-2xx → HttpError; non-JSON or
  /// truncated body → UnreachableError naming the URL.
  nlohmann::json get_json(std::string_view service_type, std::string_view path,
                          std::string_view microversion = {});

  /// POST, PUT or PATCH `body` as JSON (same URL and header rules as get_json). Returns the
  /// answer's JSON, or null for an empty answer (204). Non-2xx → HttpError, scrubbed.
  nlohmann::json send_json(std::string_view method, std::string_view service_type, std::string_view path,
                           const nlohmann::json& body, std::string_view microversion = {});

  /// DELETE `path`; false when the answer was 404 (gone, usually: Cinder also answers 404 when
  /// its backup service is off, so `not_found`, if given, receives the answer's reason for the
  /// caller to check). Other non-2xx → HttpError.
  bool delete_path(std::string_view service_type, std::string_view path, std::string_view microversion = {},
                   std::string* not_found = nullptr);

  /// Follows `next` links (Nova/Cinder `*_links`, Glance `next`, Neutron `*_links`) and
  /// concatenates the array under `key`.
  std::vector<nlohmann::json> get_all(std::string_view service_type, std::string_view path,
                                      std::string_view key, std::string_view microversion = {});

  /// Every flavor the project can see, with extra specs (compute microversion ≥ 2.61 embeds
  /// them; older clouds are asked per flavor). Fetched once.
  const std::vector<Flavor>& flavors();

  /// Every image Glance lists for the project (GET /v2/images?member_status=all, all pages),
  /// as Glance's JSON objects: images carry arbitrary properties at the top level. Fetched once.
  const std::vector<nlohmann::json>& images();

  /// Every volume type the project can see (GET {block-storage}/types). Fetched once.
  const std::vector<VolumeType>& volume_types();

  /// The compute service's availability zones (GET {compute}/os-availability-zone). Fetched once.
  const std::vector<AvailabilityZone>& compute_availability_zones();

  /// The block-storage service's availability zones (GET {block-storage}/os-availability-zone).
  /// Fetched once.
  const std::vector<AvailabilityZone>& volume_availability_zones();

 private:
  std::vector<Flavor> fetch_flavors();
  std::vector<AvailabilityZone> fetch_availability_zones(std::string_view service_type);
  HttpResponse send_with_token(HttpRequest request, const std::string& shown);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace scs
