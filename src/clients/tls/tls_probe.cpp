#include "clients/tls/tls_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <nlohmann/json.hpp>

#include "core/call_meter.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

// Everything OpenSSL can speak below TLS 1.3, weak and anonymous ciphers included: the probe
// must see what the server accepts, not what OpenSSL would recommend.
constexpr const char* all_ciphers = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
constexpr const char* ecdhe_ciphers = "ECDHE:@SECLEVEL=0";
constexpr const char* dhe_ciphers = "kDHE:@SECLEVEL=0";

const std::vector<std::string>& all_tls13_suites() {
  static const std::vector<std::string> suites{"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                                               "TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_SHA256",
                                               "TLS_AES_128_CCM_8_SHA256"};
  return suites;
}

// Elliptic-curve groups (TLS 1.2 and 1.3) and finite-field groups (TLS 1.3 only, in OpenSSL 3).
const std::vector<std::string>& ec_groups() {
  static const std::vector<std::string> groups{"X25519", "X448", "prime256v1", "secp384r1", "secp521r1"};
  return groups;
}
const std::vector<std::string>& ffdhe_groups() {
  static const std::vector<std::string> groups{"ffdhe2048", "ffdhe3072", "ffdhe4096"};
  return groups;
}

struct Version {
  int code;
  const char* name;
};
constexpr Version versions[] = {{TLS1_3_VERSION, "TLSv1.3"},
                                {TLS1_2_VERSION, "TLSv1.2"},
                                {TLS1_1_VERSION, "TLSv1.1"},
                                {TLS1_VERSION, "TLSv1"}};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};
struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};

bool is_ip_literal(const std::string& host) {
  in6_addr buffer{};
  return inet_pton(AF_INET, host.c_str(), &buffer) == 1 || inet_pton(AF_INET6, host.c_str(), &buffer) == 1;
}

std::string origin(const TlsProbeTarget& target) {
  return fmt::format("tls://{}:{}", target.host, target.port);
}

// A TCP connection with a connect timeout (non-blocking connect + poll) and socket timeouts
// for the handshake. Refused or timed out: UnreachableError.
int connect_tcp(const TlsProbeTarget& target) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto port = std::to_string(target.port);
  if (const int rc = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw UnreachableError(fmt::format("cannot reach {}: {}", origin(target), gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  std::string reason = "no address";
  const int timeout_ms = static_cast<int>(target.timeout.count());
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    Fd socket_fd{::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol)};
    if (socket_fd.fd < 0) continue;
    ::fcntl(socket_fd.fd, F_SETFL, ::fcntl(socket_fd.fd, F_GETFL) | O_NONBLOCK);
    int rc = ::connect(socket_fd.fd, address->ai_addr, address->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd waiting{socket_fd.fd, POLLOUT, 0};
      rc = ::poll(&waiting, 1, timeout_ms);
      if (rc == 0) {
        reason = fmt::format("connect timed out after {} ms", timeout_ms);
        continue;
      }
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(socket_fd.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
        reason = std::strerror(error);
        continue;
      }
    } else if (rc != 0) {
      reason = std::strerror(errno);
      continue;
    }
    ::fcntl(socket_fd.fd, F_SETFL, ::fcntl(socket_fd.fd, F_GETFL) & ~O_NONBLOCK);
    timeval limit{static_cast<time_t>(timeout_ms / 1000),
                  static_cast<suseconds_t>((timeout_ms % 1000) * 1000)};
    ::setsockopt(socket_fd.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(socket_fd.fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    return std::exchange(socket_fd.fd, -1);
  }
  throw UnreachableError(fmt::format("cannot reach {}: {}", origin(target), reason));
}

// What one client hello offers.
struct Offer {
  explicit Offer(int offered_version) : version(offered_version) {}
  int version;
  std::string ciphers = all_ciphers;  // TLS ≤ 1.2
  std::string tls13_suites;           // empty = OpenSSL's default
  std::string groups;                 // empty = OpenSSL's default
};

// The outcome of one handshake; `accepted` false when the server refused the offer.
struct Handshake {
  bool accepted = false;
  std::string cipher;
  std::optional<int> tmp_key_bits;
  std::optional<TlsCertificate> certificate;
};

std::string name_of(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

long long epoch_of(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return 0;
  return static_cast<long long>(timegm(&parts));
}

std::string key_type_of(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return "rsa";
    case EVP_PKEY_EC:
      return "ecdsa";
    case EVP_PKEY_ED25519:
      return "ed25519";
    case EVP_PKEY_ED448:
      return "ed448";
    case EVP_PKEY_DSA:
      return "dsa";
    default:
      return "unknown";
  }
}

TlsCertificate describe_certificate(SSL* ssl, X509* leaf, const TlsProbeTarget& target) {
  TlsCertificate certificate;
  certificate.subject = name_of(X509_get_subject_name(leaf));
  certificate.issuer = name_of(X509_get_issuer_name(leaf));
  const long verify = SSL_get_verify_result(ssl);
  certificate.chain_verified = verify == X509_V_OK;
  if (!certificate.chain_verified) certificate.verify_error = X509_verify_cert_error_string(verify);
  const std::string name = target.sni.empty() ? target.host : target.sni;
  certificate.hostname_matches = is_ip_literal(name)
                                     ? X509_check_ip_asc(leaf, name.c_str(), 0) == 1
                                     : X509_check_host(leaf, name.c_str(), name.size(), 0, nullptr) == 1;
  if (const EVP_PKEY* key = X509_get0_pubkey(leaf)) {
    certificate.key_type = key_type_of(key);
    certificate.key_bits = EVP_PKEY_get_bits(key);
    char curve[80] = {};
    std::size_t length = 0;
    if (certificate.key_type == "ecdsa" && EVP_PKEY_get_group_name(key, curve, sizeof curve, &length) == 1)
      certificate.key_curve.assign(curve, length);
  }
  certificate.signature_algorithm = OBJ_nid2ln(X509_get_signature_nid(leaf));
  certificate.not_before = epoch_of(X509_get0_notBefore(leaf));
  certificate.not_after = epoch_of(X509_get0_notAfter(leaf));
  return certificate;
}

class Prober {
 public:
  explicit Prober(const TlsProbeTarget& target) : target_(target) {}

  Handshake attempt(const Offer& offer, bool want_certificate = false) {
    throw_if_cancelled();
    ++handshakes_;
    std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx) throw Error("OpenSSL cannot create a TLS context");
    SSL_CTX_set_min_proto_version(ctx.get(), offer.version);
    SSL_CTX_set_max_proto_version(ctx.get(), offer.version);
    SSL_CTX_set_security_level(ctx.get(), 0);
    // An offer that OpenSSL cannot even build (no cipher left) is a refusal by definition.
    if (SSL_CTX_set_cipher_list(ctx.get(), offer.ciphers.c_str()) != 1) return clear_errors();
    if (!offer.tls13_suites.empty() && SSL_CTX_set_ciphersuites(ctx.get(), offer.tls13_suites.c_str()) != 1)
      return clear_errors();
    if (!offer.groups.empty() && SSL_CTX_set1_groups_list(ctx.get(), offer.groups.c_str()) != 1)
      return clear_errors();
    if (want_certificate) {
      const bool loaded = target_.ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx.get()) == 1
                                                  : SSL_CTX_load_verify_locations(
                                                        ctx.get(), target_.ca_file.c_str(), nullptr) == 1;
      if (!loaded) {
        ERR_clear_error();
        throw ConfigError(fmt::format("cannot load the CA file {}", target_.ca_file));
      }
    }
    // Verification runs but does not stop the handshake: its result is evidence, not a gate.
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);

    Fd socket_fd{connect_tcp(target_)};
    std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
    SSL_set_fd(ssl.get(), socket_fd.fd);
    const std::string name = target_.sni.empty() ? target_.host : target_.sni;
    if (!is_ip_literal(name)) SSL_set_tlsext_host_name(ssl.get(), name.c_str());

    Handshake result;
    result.accepted = SSL_connect(ssl.get()) == 1;
    count_call({1, 0, BIO_number_read(SSL_get_rbio(ssl.get())), BIO_number_written(SSL_get_wbio(ssl.get()))});
    if (!result.accepted) return clear_errors();
    result.cipher = SSL_get_cipher_name(ssl.get());
    EVP_PKEY* tmp_key = nullptr;
    if (SSL_get_peer_tmp_key(ssl.get(), &tmp_key) == 1) {
      result.tmp_key_bits = EVP_PKEY_get_bits(tmp_key);
      EVP_PKEY_free(tmp_key);
    }
    if (want_certificate) {
      std::unique_ptr<X509, X509Free> leaf(SSL_get1_peer_certificate(ssl.get()));
      if (leaf) result.certificate = describe_certificate(ssl.get(), leaf.get(), target_);
    }
    SSL_shutdown(ssl.get());
    return result;
  }

  [[nodiscard]] int handshakes() const { return handshakes_; }

 private:
  static Handshake clear_errors() {
    ERR_clear_error();
    return {};
  }

  const TlsProbeTarget& target_;
  int handshakes_ = 0;
};

// Offers everything left, records the server's choice and removes it, until the server refuses.
template <typename Remove>
std::vector<std::string> enumerate(Prober& prober, Offer offer, Remove remove) {
  std::vector<std::string> accepted;
  for (int round = 0; round < 64; ++round) {
    const auto handshake = prober.attempt(offer);
    if (!handshake.accepted || handshake.cipher.empty()) break;
    if (std::find(accepted.begin(), accepted.end(), handshake.cipher) != accepted.end()) break;
    accepted.push_back(handshake.cipher);
    if (!remove(offer, handshake.cipher)) break;
  }
  return accepted;
}

}  // namespace

TlsProbeResult probe_tls(const TlsProbeTarget& target) {
  Prober prober(target);
  TlsProbeResult result;
  int highest = 0;
  int highest_below_13 = 0;
  for (const auto& version : versions) {
    auto handshake = prober.attempt(Offer(version.code), result.certificate == std::nullopt);
    if (!handshake.accepted) continue;
    result.protocols.insert(result.protocols.begin(), version.name);  // ascending order
    if (!result.certificate) result.certificate = std::move(handshake.certificate);
    highest = std::max(highest, version.code);
    if (version.code != TLS1_3_VERSION) highest_below_13 = std::max(highest_below_13, version.code);
  }

  if (highest_below_13 != 0) {
    result.ciphers = enumerate(prober, Offer(highest_below_13), [](Offer& offer, const std::string& cipher) {
      offer.ciphers = fmt::format("{}:-{}", offer.ciphers, cipher);
      return true;
    });
    const bool dhe = std::any_of(result.ciphers.begin(), result.ciphers.end(),
                                 [](const std::string& cipher) { return cipher.starts_with("DHE-"); });
    if (dhe) {
      Offer offer(highest_below_13);
      offer.ciphers = dhe_ciphers;
      if (const auto handshake = prober.attempt(offer); handshake.accepted)
        result.dh_bits = handshake.tmp_key_bits;
    }
  }
  if (highest == TLS1_3_VERSION) {
    Offer offer(TLS1_3_VERSION);
    offer.tls13_suites = fmt::format("{}", fmt::join(all_tls13_suites(), ":"));
    result.tls13_suites = enumerate(prober, offer, [](Offer& next, const std::string& suite) {
      std::vector<std::string> left;
      for (const auto& candidate : all_tls13_suites()) {
        if (candidate != suite && next.tls13_suites.find(candidate) != std::string::npos)
          left.push_back(candidate);
      }
      next.tls13_suites = fmt::format("{}", fmt::join(left, ":"));
      return !left.empty();
    });
  }
  // Groups one at a time, with the highest version (TLS 1.2 offers only ECDHE ciphers, so
  // that a success really used the group).
  if (highest != 0) {
    auto candidates = ec_groups();
    if (highest == TLS1_3_VERSION)
      candidates.insert(candidates.end(), ffdhe_groups().begin(), ffdhe_groups().end());
    for (const auto& group : candidates) {
      Offer offer(highest == TLS1_3_VERSION ? TLS1_3_VERSION : highest_below_13);
      if (highest != TLS1_3_VERSION) offer.ciphers = ecdhe_ciphers;
      offer.groups = group;
      if (prober.attempt(offer).accepted) result.groups.push_back(group);
    }
  }
  result.handshakes = prober.handshakes();
  return result;
}

nlohmann::json to_json(const TlsProbeResult& result) {
  nlohmann::json json{{"protocols", result.protocols},
                      {"ciphers", result.ciphers},
                      {"tls13_suites", result.tls13_suites},
                      {"groups", result.groups},
                      {"handshakes", result.handshakes},
                      {"dh_bits", nullptr},
                      {"certificate", nullptr}};
  if (result.dh_bits) json["dh_bits"] = *result.dh_bits;
  if (const auto& cert = result.certificate) {
    json["certificate"] = {{"subject", cert->subject},
                           {"issuer", cert->issuer},
                           {"chain_verified", cert->chain_verified},
                           {"verify_error", cert->verify_error},
                           {"hostname_matches", cert->hostname_matches},
                           {"key_type", cert->key_type},
                           {"key_bits", cert->key_bits},
                           {"key_curve", cert->key_curve},
                           {"signature_algorithm", cert->signature_algorithm},
                           {"not_before", cert->not_before},
                           {"not_after", cert->not_after}};
  }
  return json;
}

TlsProbeResult tls_probe_result_from_json(const nlohmann::json& json) {
  try {
    TlsProbeResult result;
    json.at("protocols").get_to(result.protocols);
    json.at("ciphers").get_to(result.ciphers);
    json.at("tls13_suites").get_to(result.tls13_suites);
    json.at("groups").get_to(result.groups);
    result.handshakes = json.value("handshakes", 0);
    if (const auto& bits = json.at("dh_bits"); !bits.is_null()) result.dh_bits = bits.get<int>();
    if (const auto& cert = json.at("certificate"); !cert.is_null()) {
      TlsCertificate certificate;
      cert.at("subject").get_to(certificate.subject);
      cert.at("issuer").get_to(certificate.issuer);
      cert.at("chain_verified").get_to(certificate.chain_verified);
      cert.at("verify_error").get_to(certificate.verify_error);
      cert.at("hostname_matches").get_to(certificate.hostname_matches);
      cert.at("key_type").get_to(certificate.key_type);
      cert.at("key_bits").get_to(certificate.key_bits);
      cert.at("key_curve").get_to(certificate.key_curve);
      cert.at("signature_algorithm").get_to(certificate.signature_algorithm);
      cert.at("not_before").get_to(certificate.not_before);
      cert.at("not_after").get_to(certificate.not_after);
      result.certificate = std::move(certificate);
    }
    return result;
  } catch (const nlohmann::json::exception& error) {
    throw Error(fmt::format("not a TLS probe result: {}", error.what()));
  }
}

}  // namespace scs
