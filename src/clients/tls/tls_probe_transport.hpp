#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "clients/http/http.hpp"

namespace scs {

/// TLS probes travel through the Transport seam as pseudo requests, so that recording and
/// replay work for them exactly as for API calls: a check sends
///   { method: "TLS-PROBE", url: "tls://host:port" (+ "?sni=name" when the name differs) }
/// and gets back status 200 with the probe result (tls_probe.hpp) as a JSON body. A
/// RecordingTransport in front of this decorator writes that answer to the cassette; a
/// ReplayTransport answers it later without any network. Everything else goes to `inner`.
/// The CA file comes from the cloud's TransportOptions (clouds.yaml `cacert`), so no local
/// path ends up in a cassette.
class TlsProbeTransport final : public Transport {
 public:
  TlsProbeTransport(std::unique_ptr<Transport> inner, TransportOptions options);
  HttpResponse send(const HttpRequest& request) override;

 private:
  std::unique_ptr<Transport> inner_;
  TransportOptions options_;
};

inline constexpr std::string_view tls_probe_method = "TLS-PROBE";

/// "tls://host:port", with "?sni=name" when `sni` is set and differs from `host`.
std::string tls_probe_url(const std::string& host, int port, const std::string& sni = {});

}  // namespace scs
