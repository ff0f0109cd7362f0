#include "checks/tls_profile.hpp"

#include <algorithm>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "core/errors.hpp"

namespace scs::checks {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string date_of(long long epoch) {
  return fmt::format("{:%Y-%m-%d}", fmt::gmtime(static_cast<std::time_t>(epoch)));
}

void certificate_violations(const TlsCertificate& cert, const TlsProfile& profile, const std::string& host,
                            std::chrono::system_clock::time_point now, std::vector<std::string>& out) {
  if (!cert.chain_verified) out.push_back(fmt::format("chain does not verify: {}", cert.verify_error));
  if (!cert.hostname_matches) out.push_back(fmt::format("certificate does not match the host name {}", host));
  if (!contains(profile.certificate_types, cert.key_type)) {
    out.push_back(fmt::format("certificate key type {} is not one of {}", cert.key_type,
                              fmt::join(profile.certificate_types, ", ")));
  }
  if (cert.key_type == "rsa" && cert.key_bits < profile.rsa_key_size)
    out.push_back(fmt::format("RSA key of {} bits < {}", cert.key_bits, profile.rsa_key_size));
  if (cert.key_type == "ecdsa" && !contains(profile.certificate_curves, cert.key_curve)) {
    out.push_back(fmt::format("certificate curve {} is not one of {}", cert.key_curve,
                              fmt::join(profile.certificate_curves, ", ")));
  }
  if (!contains(profile.certificate_signatures, cert.signature_algorithm)) {
    out.push_back(fmt::format("certificate signature {} is not one of {}", cert.signature_algorithm,
                              fmt::join(profile.certificate_signatures, ", ")));
  }
  const long long lifetime_days = (cert.not_after - cert.not_before) / 86'400;
  if (lifetime_days > profile.maximum_certificate_lifespan) {
    out.push_back(fmt::format("certificate lifetime {} days > {}", lifetime_days,
                              profile.maximum_certificate_lifespan));
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (seconds > cert.not_after)
    out.push_back(fmt::format("certificate expired on {}", date_of(cert.not_after)));
  if (seconds < cert.not_before)
    out.push_back(fmt::format("certificate not valid before {}", date_of(cert.not_before)));
}

}  // namespace

TlsProfile parse_tls_profile(const std::string& text, const std::string& origin) {
  const auto fail = [&](const std::string& what) {
    return ConfigError(fmt::format("TLS profile {}: {}", origin, what));
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw fail(error.what());
  }
  const auto list = [&](const char* key) {
    const auto node = root[key];
    if (!node || !node.IsSequence() || node.size() == 0)
      throw fail(fmt::format("'{}' must be a non-empty list", key));
    return node.as<std::vector<std::string>>();
  };
  const auto number = [&](const char* key) {
    const auto node = root[key];
    if (!node || !node.IsScalar()) throw fail(fmt::format("'{}' must be a number", key));
    try {
      return node.as<int>();
    } catch (const YAML::Exception&) {
      throw fail(fmt::format("'{}' must be a number", key));
    }
  };
  TlsProfile profile;
  profile.name =
      root["name"] ? root["name"].as<std::string>() : std::filesystem::path(origin).stem().string();
  profile.source = root["source"] ? root["source"].as<std::string>() : std::string();
  profile.tls_versions = list("tls_versions");
  profile.ciphers = list("ciphers");
  profile.tls13_suites = list("tls13_suites");
  profile.groups = list("groups");
  profile.certificate_types = list("certificate_types");
  profile.certificate_curves = list("certificate_curves");
  profile.certificate_signatures = list("certificate_signatures");
  profile.rsa_key_size = number("rsa_key_size");
  profile.dh_param_size = number("dh_param_size");
  profile.maximum_certificate_lifespan = number("maximum_certificate_lifespan");
  return profile;
}

std::vector<std::string> tls_violations(const TlsProbeResult& probe, const TlsProfile& profile,
                                        const std::string& host, std::chrono::system_clock::time_point now) {
  std::vector<std::string> out;
  const bool any_allowed =
      std::any_of(probe.protocols.begin(), probe.protocols.end(),
                  [&](const auto& version) { return contains(profile.tls_versions, version); });
  if (!any_allowed) out.push_back(fmt::format("accepts none of {}", fmt::join(profile.tls_versions, ", ")));
  for (const auto& version : probe.protocols) {
    if (!contains(profile.tls_versions, version)) out.push_back(fmt::format("accepts {}", version));
  }
  for (const auto& cipher : probe.ciphers) {
    if (!contains(profile.ciphers, cipher)) out.push_back(fmt::format("accepts cipher {}", cipher));
  }
  for (const auto& suite : probe.tls13_suites) {
    if (!contains(profile.tls13_suites, suite)) out.push_back(fmt::format("accepts TLS 1.3 suite {}", suite));
  }
  for (const auto& group : probe.groups) {
    if (!contains(profile.groups, group)) out.push_back(fmt::format("accepts key-exchange group {}", group));
  }
  if (probe.dh_bits && *probe.dh_bits < profile.dh_param_size)
    out.push_back(fmt::format("DH parameters of {} bits < {}", *probe.dh_bits, profile.dh_param_size));
  if (probe.certificate) {
    certificate_violations(*probe.certificate, profile, host, now, out);
  } else if (!probe.protocols.empty()) {
    out.push_back("sent no certificate");
  }
  return out;
}

}  // namespace scs::checks
