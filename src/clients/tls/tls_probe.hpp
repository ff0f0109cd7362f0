#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace scs {

/// One TLS endpoint to probe. `sni` is sent as server name unless it is an IP literal.
struct TlsProbeTarget {
  std::string host;
  int port = 443;
  std::string sni;                            // empty = host
  std::string ca_file;                        // PEM bundle to verify the chain against; empty = system store
  std::chrono::milliseconds timeout{10'000};  // per connect and per handshake
};

/// The server's leaf certificate, as seen in the highest-version handshake.
struct TlsCertificate {
  std::string subject;
  std::string issuer;
  bool chain_verified = false;
  std::string verify_error;  // OpenSSL's reason when the chain does not verify
  bool hostname_matches = false;
  std::string key_type;  // "rsa", "ecdsa", "ed25519", "ed448", "dsa", …
  int key_bits = 0;
  std::string key_curve;            // for ECDSA keys: "prime256v1", "secp384r1", …
  std::string signature_algorithm;  // "sha256WithRSAEncryption", "ecdsa-with-SHA256", …
  long long not_before = 0;         // seconds since the epoch
  long long not_after = 0;
};

/// What a server accepts. Names are OpenSSL's: protocols "TLSv1", "TLSv1.1", "TLSv1.2",
/// "TLSv1.3"; TLS 1.2 (and older) ciphers like "ECDHE-RSA-AES128-GCM-SHA256"; TLS 1.3 suites
/// like "TLS_AES_128_GCM_SHA256"; groups like "X25519", "prime256v1", "ffdhe2048".
struct TlsProbeResult {
  std::vector<std::string> protocols;
  std::vector<std::string> ciphers;  // accepted with TLS 1.2 (or the highest version below 1.3)
  std::vector<std::string> tls13_suites;
  std::vector<std::string> groups;  // key-exchange groups, offered one at a time
  std::optional<int> dh_bits;       // size of the server's DHE parameters, when DHE is accepted
  std::optional<TlsCertificate> certificate;
  int handshakes = 0;
};

/// Probes host:port with OpenSSL: one handshake per protocol version (min = max, security
/// level 0 so that OpenSSL 3 still offers what it deems weak), TLS 1.2 ciphers and TLS 1.3
/// suites by removing the server's choice until it refuses, each group alone, a DHE-only
/// handshake for the DH size. Every handshake is counted through count_call(); cancellation is
/// checked between handshakes. A refused or timed-out TCP connection throws UnreachableError
/// ("cannot reach tls://host:port: …"); a refused handshake just means "not accepted".
TlsProbeResult probe_tls(const TlsProbeTarget& target);

nlohmann::json to_json(const TlsProbeResult& result);
/// Throws Error naming the missing key when `json` is not a probe result.
TlsProbeResult tls_probe_result_from_json(const nlohmann::json& json);

}  // namespace scs
