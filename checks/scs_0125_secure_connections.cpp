// scs-0125: secure connections. Public API endpoints use https, and their TLS setup follows
// Mozilla's "intermediate" recommendations.
// https://docs.scs.community/standards/scs-0125-v1-secure-connections
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "checks/tls_profile.hpp"
#include "clients/http/http.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/tls/tls_probe.hpp"
#include "clients/tls/tls_probe_transport.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

struct PublicEndpoint {
  std::string service;  // "compute (nova)"
  std::string url;
};

// The public endpoints of the run's region (all regions when the cloud names none): the ones
// a member's clients are sent to.
std::vector<PublicEndpoint> public_endpoints(OpenStack& openstack) {
  const auto& region = openstack.cloud().region_name;
  std::vector<PublicEndpoint> endpoints;
  for (const auto& entry : openstack.catalog()) {
    for (const auto& endpoint : entry.endpoints) {
      if (endpoint.interface != "public" || (!region.empty() && endpoint.region != region)) continue;
      const auto service = entry.name.empty() ? entry.type : fmt::format("{} ({})", entry.type, entry.name);
      endpoints.push_back({service, endpoint.url});
    }
  }
  return endpoints;
}

struct HostPort {
  std::string host;
  int port = 0;
  [[nodiscard]] std::string text() const {
    return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                               : fmt::format("{}:{}", host, port);
  }
  auto operator<=>(const HostPort&) const = default;
};

// host and port of an https URL; the port defaults to 443 (only for https: an http:// URL is
// never probed, unlike the official tls-checker, which probes port 443 for it).
HostPort host_port_of(const std::string& url) {
  constexpr std::string_view scheme = "https://";
  auto authority = url.substr(scheme.size());
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  HostPort result{authority, 443};
  std::string port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string::npos) throw Error(fmt::format("catalog URL with a malformed host: {}", url));
    result.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port_text = authority.substr(close + 2);
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    result.host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }
  if (!port_text.empty()) {
    char* end = nullptr;
    const long port = std::strtol(port_text.c_str(), &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535)
      throw Error(fmt::format("catalog URL with a bad port: {}", url));
    result.port = static_cast<int>(port);
  }
  if (result.host.empty()) throw Error(fmt::format("catalog URL without a host: {}", url));
  return result;
}

bool is_https(const std::string& url) { return url.size() > 8 && url.compare(0, 8, "https://") == 0; }

// `ignore`: substrings of host:port (or of an http URL), like the official --ignore.
bool ignored(const Params& params, const std::string& text) {
  if (!params.contains("ignore")) return false;
  for (const auto& pattern : params.at("ignore").get<std::vector<std::string>>()) {
    if (!pattern.empty() && text.find(pattern) != std::string::npos) return true;
  }
  return false;
}

// One probe per host:port, through the run's transport so that it is recorded and replayed.
TlsProbeResult probe(Context& context, const HostPort& target) {
  HttpRequest request;
  request.method = std::string(tls_probe_method);
  request.url = tls_probe_url(target.host, target.port);
  const auto response = context.transport().send(request);
  if (response.status != 200)
    throw Error(fmt::format("{} {} answered {}", request.method, request.url, response.status));
  try {
    return tls_probe_result_from_json(nlohmann::json::parse(response.body));
  } catch (const nlohmann::json::exception&) {
    throw Error(fmt::format("{} {} answered no JSON", request.method, request.url));
  }
}

// Every https public endpoint complies with the profile named by params.profile.
Result tls_profile_compliance(Context& context, const Params& params) {
  const auto profile_file = params.at("profile").get<std::string>() + ".yaml";
  const auto profile =
      parse_tls_profile(context.data_file(profile_file), context.data_path(profile_file).string());
  std::map<HostPort, std::vector<PublicEndpoint>> targets;
  std::vector<std::string> skipped;
  for (const auto& endpoint : public_endpoints(context.openstack())) {
    if (!is_https(endpoint.url)) continue;  // scs-0125-https-endpoints reports those
    const auto target = host_port_of(endpoint.url);
    if (ignored(params, target.text())) {
      skipped.push_back(target.text());
      continue;
    }
    targets[target].push_back(endpoint);
  }
  std::sort(skipped.begin(), skipped.end());
  skipped.erase(std::unique(skipped.begin(), skipped.end()), skipped.end());
  std::vector<std::string> notes;
  if (!skipped.empty()) notes.push_back(fmt::format("ignored as asked: {}", fmt::join(skipped, ", ")));
  if (targets.empty()) {
    return Result::not_applicable(
        "no public https endpoint to probe (scs-0125-https-endpoints judges http ones)");
  }
  std::vector<Finding> evidence;
  int handshakes = 0;
  for (const auto& [target, endpoints] : targets) {
    const auto result = probe(context, target);
    handshakes += result.handshakes;
    const auto violations = tls_violations(result, profile, target.host, context.now());
    if (violations.empty()) continue;
    std::vector<std::string> services;
    for (const auto& endpoint : endpoints)
      services.push_back(fmt::format("{} {}", endpoint.service, endpoint.url));
    evidence.push_back(
        {fmt::format("{}", fmt::join(services, ", ")), fmt::format("{}", fmt::join(violations, "; "))});
  }
  if (!evidence.empty()) {
    auto summary = fmt::format("{} of {} TLS endpoints do not follow Mozilla {} ({})", evidence.size(),
                               targets.size(), profile.name, profile.source);
    return Result::fail(std::move(summary), std::move(evidence), std::move(notes));
  }
  return Result::pass(fmt::format("{} TLS endpoints follow Mozilla {} ({} handshakes)", targets.size(),
                                  profile.name, handshakes),
                      std::move(notes));
}

// Every public endpoint of the catalog uses https.
Result https_endpoints(Context& context, const Params& params) {
  const auto endpoints = public_endpoints(context.openstack());
  std::vector<Finding> evidence;
  for (const auto& endpoint : endpoints) {
    if (is_https(endpoint.url) || ignored(params, endpoint.url)) continue;
    evidence.push_back({fmt::format("service {}", endpoint.service),
                        fmt::format("public endpoint {} does not use https", endpoint.url)});
  }
  if (endpoints.empty()) return Result::abort("the catalog has no public endpoint in the run's region");
  if (!evidence.empty()) {
    auto summary =
        fmt::format("{} of {} public endpoints do not use https", evidence.size(), endpoints.size());
    return Result::fail(std::move(summary), std::move(evidence));
  }
  return Result::pass(fmt::format("all {} public endpoints use https", endpoints.size()));
}

}  // namespace

void register_scs_0125(Registry& registry) {
  registry.add("tls-profile-compliance", tls_profile_compliance);
  registry.add("https-endpoints", https_endpoints);
}

}  // namespace scs::checks
