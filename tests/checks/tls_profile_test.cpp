// The comparison of a TLS probe with Mozilla's "intermediate" profile, as a pure function.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "checks/tls_profile.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

using scs::checks::tls_violations;
using Strings = std::vector<std::string>;

namespace {

scs::checks::TlsProfile load_tls_profile(const std::filesystem::path& file) {
  return scs::checks::parse_tls_profile(scs::read_file(file), file.string());
}

const scs::checks::TlsProfile& intermediate() {
  static const auto profile =
      load_tls_profile(std::string(SCS_SOURCE_DIR) + "/standards/data/mozilla-tls-intermediate.yaml");
  return profile;
}

constexpr long long day = 86'400;
constexpr long long issued = 1'790'000'000;  // 2026-09-21
const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(issued + 30 * day));

// What nginx with Mozilla's intermediate configuration accepts.
scs::TlsProbeResult compliant() {
  scs::TlsProbeResult probe;
  probe.protocols = {"TLSv1.2", "TLSv1.3"};
  probe.ciphers = {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                   "ECDHE-RSA-CHACHA20-POLY1305", "DHE-RSA-AES128-GCM-SHA256"};
  probe.tls13_suites = {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"};
  probe.groups = {"X25519", "prime256v1", "secp384r1"};
  probe.dh_bits = 2048;
  scs::TlsCertificate cert;
  cert.chain_verified = true;
  cert.hostname_matches = true;
  cert.key_type = "rsa";
  cert.key_bits = 2048;
  cert.signature_algorithm = "sha256WithRSAEncryption";
  cert.not_before = issued;
  cert.not_after = issued + 365 * day;
  probe.certificate = cert;
  return probe;
}

Strings violations(const scs::TlsProbeResult& probe) {
  return tls_violations(probe, intermediate(), "127.0.0.1", now);
}

}  // namespace

TEST_CASE("the bundled intermediate profile is Mozilla's guideline 5.7", "[checks][scs-0125]") {
  const auto& profile = intermediate();
  CHECK(profile.name == "intermediate");
  CHECK(profile.source == "https://ssl-config.mozilla.org/guidelines/5.7.json");
  CHECK(profile.tls_versions == Strings{"TLSv1.2", "TLSv1.3"});
  CHECK(profile.ciphers.size() == 9);
  CHECK(profile.groups == Strings{"X25519", "prime256v1", "secp384r1"});
  CHECK(profile.rsa_key_size == 2048);
  CHECK(profile.dh_param_size == 2048);
  CHECK(profile.maximum_certificate_lifespan == 366);
}

TEST_CASE("a compliant server has no violation", "[checks][scs-0125]") {
  CHECK(violations(compliant()).empty());
  auto ecdsa = compliant();
  ecdsa.certificate->key_type = "ecdsa";
  ecdsa.certificate->key_bits = 256;
  ecdsa.certificate->key_curve = "prime256v1";
  ecdsa.certificate->signature_algorithm = "ecdsa-with-SHA256";
  ecdsa.certificate->not_after = issued + 366 * day;  // exactly the maximum
  CHECK(violations(ecdsa).empty());
}

TEST_CASE("each kind of violation is named", "[checks][scs-0125]") {
  auto probe = compliant();
  probe.protocols = {"TLSv1", "TLSv1.1", "TLSv1.2"};
  CHECK(violations(probe) == Strings{"accepts TLSv1", "accepts TLSv1.1"});

  probe = compliant();
  probe.protocols = {"TLSv1.1"};
  CHECK(violations(probe) == Strings{"accepts none of TLSv1.2, TLSv1.3", "accepts TLSv1.1"});

  probe = compliant();
  probe.ciphers.push_back("ECDHE-RSA-AES128-SHA");
  probe.tls13_suites.push_back("TLS_AES_128_CCM_SHA256");
  probe.groups.push_back("ffdhe2048");
  probe.dh_bits = 1024;
  CHECK(violations(probe) ==
        Strings{"accepts cipher ECDHE-RSA-AES128-SHA", "accepts TLS 1.3 suite TLS_AES_128_CCM_SHA256",
                "accepts key-exchange group ffdhe2048", "DH parameters of 1024 bits < 2048"});

  probe = compliant();
  probe.certificate->chain_verified = false;
  probe.certificate->verify_error = "self-signed certificate";
  probe.certificate->hostname_matches = false;
  CHECK(violations(probe) == Strings{"chain does not verify: self-signed certificate",
                                     "certificate does not match the host name 127.0.0.1"});

  probe = compliant();
  probe.certificate->key_bits = 1024;
  probe.certificate->signature_algorithm = "sha1WithRSAEncryption";
  probe.certificate->not_after = issued + 825 * day;
  CHECK(violations(probe) ==
        Strings{"RSA key of 1024 bits < 2048",
                "certificate signature sha1WithRSAEncryption is not one of sha256WithRSAEncryption, "
                "ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512",
                "certificate lifetime 825 days > 366"});

  probe = compliant();
  probe.certificate->key_type = "ecdsa";
  probe.certificate->key_curve = "secp521r1";
  probe.certificate->signature_algorithm = "ecdsa-with-SHA256";
  CHECK(violations(probe) == Strings{"certificate curve secp521r1 is not one of prime256v1, secp384r1"});

  probe = compliant();
  probe.certificate->key_type = "dsa";
  CHECK(violations(probe) == Strings{"certificate key type dsa is not one of ecdsa, rsa"});

  probe = compliant();
  probe.certificate->not_before = issued + 60 * day;
  probe.certificate->not_after = issued + 90 * day;
  CHECK(violations(probe) == Strings{"certificate not valid before 2026-11-20"});
  probe.certificate->not_before = issued - 90 * day;
  probe.certificate->not_after = issued;
  CHECK(violations(probe) == Strings{"certificate expired on 2026-09-21"});

  probe = compliant();
  probe.certificate.reset();
  CHECK(violations(probe) == Strings{"sent no certificate"});
}

TEST_CASE("a broken profile file is a ConfigError naming file and key", "[checks][scs-0125]") {
  const auto file = std::filesystem::temp_directory_path() / "scs-tls-profile-test.yaml";
  {
    std::ofstream out(file);
    out << "name: broken\ntls_versions: []\n";
  }
  CHECK_THROWS_AS(load_tls_profile(file), scs::ConfigError);
  CHECK_THROWS_WITH(load_tls_profile(file),
                    Catch::Matchers::Contains("tls_versions") && Catch::Matchers::Contains(file.string()));
  std::filesystem::remove(file);
  CHECK_THROWS_AS(load_tls_profile(file), scs::ConfigError);
}
