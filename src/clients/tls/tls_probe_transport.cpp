#include "clients/tls/tls_probe_transport.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/tls/tls_probe.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

// tls://host:port[?sni=name]; IPv6 hosts in brackets.
TlsProbeTarget parse_probe_url(const std::string& url) {
  constexpr std::string_view scheme = "tls://";
  if (!url.starts_with(scheme)) throw Error(fmt::format("not a TLS probe URL: {}", url));
  std::string rest = url.substr(scheme.size());
  TlsProbeTarget target;
  if (const auto query = rest.find("?sni="); query != std::string::npos) {
    target.sni = rest.substr(query + 5);
    rest.resize(query);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon + 1 == rest.size())
    throw Error(fmt::format("TLS probe URL without a port: {}", url));
  const auto port_text = rest.substr(colon + 1);
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), target.port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || target.port <= 0 ||
      target.port > 65535)
    throw Error(fmt::format("TLS probe URL with a bad port: {}", url));
  target.host = rest.substr(0, colon);
  if (target.host.starts_with('[') && target.host.ends_with(']'))
    target.host = target.host.substr(1, target.host.size() - 2);
  return target;
}

}  // namespace

TlsProbeTransport::TlsProbeTransport(std::unique_ptr<Transport> inner, TransportOptions options)
    : inner_(std::move(inner)), options_(std::move(options)) {}

HttpResponse TlsProbeTransport::send(const HttpRequest& request) {
  if (request.method != tls_probe_method) return inner_->send(request);
  auto target = parse_probe_url(request.url);
  target.ca_file = options_.ca_file;
  target.timeout = options_.connect_timeout;
  const auto result = probe_tls(target);
  return {200, {{"Content-Type", "application/json"}}, to_json(result).dump()};
}

std::string tls_probe_url(const std::string& host, int port, const std::string& sni) {
  const bool ipv6 = host.find(':') != std::string::npos;
  auto url = ipv6 ? fmt::format("tls://[{}]:{}", host, port) : fmt::format("tls://{}:{}", host, port);
  if (!sni.empty() && sni != host) url += "?sni=" + sni;
  return url;
}

}  // namespace scs
