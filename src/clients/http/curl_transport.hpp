#pragma once

#include <memory>
#include <string>

#include "clients/http/http.hpp"

namespace scs {

/// The real network: libcurl with keep-alive (connections, DNS and TLS sessions shared between
/// threads), HTTP/2 where the server offers it, TLS verification on unless the cloud says
/// `verify: false`, connect and request timeouts, and retries with exponential backoff.
///
/// Retried: 429 (waiting as long as Retry-After asks, up to a minute), 502/503/504, and
/// connection errors. Requests that may change state (POST, PATCH) are retried only when the
/// server cannot have acted on them: the connection was never made, or it answered 429/503.
/// Every attempt is reported through count_call(); attempts after the first also count as
/// retries. When no HTTP answer came after the last retry, send() throws UnreachableError
/// ("cannot reach https://host:443: Connection refused"). Any HTTP status is returned as is.
/// An answer longer than `max_body_bytes` is cut off and reported the same way, not retried.
/// The runner's cancellation scope (deadline, Ctrl-C) ends a transfer or a backoff early.
/// TLS settings a kubeconfig adds to TransportOptions: PEM held in memory (the *-data fields,
/// an exec plugin's certificate) and a TLS server name that differs from the URL's host.
struct TlsMaterial {
  std::string ca_pem;  // trusted instead of the system store and ca_file
  std::string client_cert_pem, client_key_pem;
  // Requests go to https://<server_name>:<port>/… while the connection goes to the URL's real
  // host (CURLOPT_CONNECT_TO), so SNI and certificate checks use this name, as client-go does.
  std::string server_name;
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options = {});
  CurlTransport(TransportOptions options, TlsMaterial tls);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse send(const HttpRequest& request) override;

 private:
  HttpResponse send_with_retries(const HttpRequest& request);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scs
