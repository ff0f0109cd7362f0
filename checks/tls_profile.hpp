#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "clients/tls/tls_probe.hpp"

namespace scs::checks {

/// A server-side TLS profile (standards/data/mozilla-tls-*.yaml): what a server may accept and
/// what its certificate must look like.
struct TlsProfile {
  std::string name;
  std::string source;
  std::vector<std::string> tls_versions;
  std::vector<std::string> ciphers;
  std::vector<std::string> tls13_suites;
  std::vector<std::string> groups;
  std::vector<std::string> certificate_types;
  std::vector<std::string> certificate_curves;
  std::vector<std::string> certificate_signatures;
  int rsa_key_size = 0;
  int dh_param_size = 0;
  int maximum_certificate_lifespan = 0;  // days
};

/// Parses a profile (the text of a file of standards/data); ConfigError naming `origin` (the
/// file) and the key on any problem.
TlsProfile parse_tls_profile(const std::string& text, const std::string& origin);

/// Every way `probe` departs from `profile`, one short phrase each ("accepts TLSv1.1",
/// "certificate lifetime 825 days > 366"); empty when it complies. `host` is the name the
/// certificate must match; `now` decides expiry.
std::vector<std::string> tls_violations(const TlsProbeResult& probe, const TlsProfile& profile,
                                        const std::string& host, std::chrono::system_clock::time_point now);

}  // namespace scs::checks
