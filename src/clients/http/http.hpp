#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scs {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive header lookup; empty when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;
  Headers headers;  // names as the server sent them
  std::string body;

  [[nodiscard]] std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

/// TLS and timing options of one endpoint family (one cloud).
struct TransportOptions {
  bool verify_tls = true;
  std::string ca_file;      // PEM bundle; empty = system store
  std::string client_cert;  // PEM file: clouds.yaml `cert`, kubeconfig `client-certificate`
  std::string client_key;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  int max_retries = 3;  // on 429, 502/503/504 and connection errors, with backoff
  std::chrono::milliseconds initial_backoff{500};
  // No API answer a check reads comes near this; a larger one is a misbehaving endpoint, and
  // reading it whole would let one answer decide the run's memory.
  std::size_t max_body_bytes = std::size_t{32} << 20;
};

/// The network seam: every request of a run goes through one. Implementations: CurlTransport
/// (libcurl), RecordingTransport (wraps another and writes a cassette without secrets),
/// ReplayTransport (answers from a cassette), TlsProbeTransport (answers scs-0125's TLS
/// probes, passes the rest on) and OfflineTransport (refuses; src/run/connection.cpp).
/// send() must be safe to call from several threads at once.
/// A transport returns every HTTP status as a response; it throws UnreachableError only when
/// no HTTP answer could be had (connection refused, timeout, TLS failure) after its retries.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace scs
