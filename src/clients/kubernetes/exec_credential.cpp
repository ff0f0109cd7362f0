#include "clients/kubernetes/exec_credential.hpp"

#include <openssl/evp.h>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/http/scrub.hpp"
#include "clients/process/subprocess.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

using nlohmann::json;

namespace {

/// KUBERNETES_EXEC_INFO: what client-go hands the plugin. We never have a terminal to offer.
std::string exec_info(const ExecCredentialPlugin& plugin, const KubeConfig& cluster) {
  json spec{{"interactive", false}};
  if (plugin.provide_cluster_info) {
    const std::string ca = cluster.ca_data.empty() && !cluster.transport.ca_file.empty()
                               ? read_file(cluster.transport.ca_file, "the certificate authority file")
                               : cluster.ca_data;
    json info{{"server", cluster.server}, {"insecure-skip-tls-verify", !cluster.transport.verify_tls}};
    if (!cluster.tls_server_name.empty()) info["tls-server-name"] = cluster.tls_server_name;
    if (!ca.empty()) info["certificate-authority-data"] = base64_encode(ca);
    spec["cluster"] = std::move(info);
  }
  return json{{"apiVersion", plugin.api_version}, {"kind", "ExecCredential"}, {"spec", spec}}.dump();
}

std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto newline = text.rfind('\n');
  std::string line(newline == std::string_view::npos ? text : text.substr(newline + 1));
  if (line.size() > 300) line = line.substr(0, 300) + "…";
  return line;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
  std::tm parts{};
  int consumed = 0;
  const std::string value(text);
  if (std::sscanf(value.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                  &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  std::string_view rest = std::string_view(value).substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  long offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(rest[1])) != 0 &&
             std::isdigit(static_cast<unsigned char>(rest[2])) != 0 &&
             std::isdigit(static_cast<unsigned char>(rest[4])) != 0 &&
             std::isdigit(static_cast<unsigned char>(rest[5])) != 0) {
    const long hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    const long minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
    offset = (rest[0] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  } else {
    return std::nullopt;
  }
  const time_t utc = timegm(&parts);
  if (utc == -1) return std::nullopt;
  // system_clock counts nanoseconds: about the years 1678 to 2261.
  constexpr auto limit =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()).count() -
      86400;
  const auto seconds = static_cast<long long>(utc) - offset;
  if (seconds < -limit || seconds > limit) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

ExecCredentialAnswer parse_exec_credential(std::string_view output, std::string_view api_version) {
  ExecCredentialAnswer out;
  ExecCredential& credential = out.credential;
  std::string& problem = out.problem;
  try {
    const json answer = json::parse(output);
    if (answer.value("kind", std::string()) != "ExecCredential") {
      problem = "its answer is not an ExecCredential";
    } else if (answer.value("apiVersion", std::string()) != api_version) {
      problem = fmt::format("its answer has apiVersion '{}', not '{}'",
                            escape_line_breaks(answer.value("apiVersion", std::string())), api_version);
    } else {
      const json status = answer.value("status", json::object());
      credential.token = status.value("token", std::string());
      credential.client_cert_pem = status.value("clientCertificateData", std::string());
      credential.client_key_pem = status.value("clientKeyData", std::string());
      if (const auto expiry = status.value("expirationTimestamp", std::string()); !expiry.empty()) {
        credential.expires = parse_rfc3339(expiry);
        if (!credential.expires) problem = "its expirationTimestamp is not an RFC 3339 time";
      }
      if (credential.client_cert_pem.empty() != credential.client_key_pem.empty()) {
        problem = "its answer has only one of clientCertificateData and clientKeyData";
      } else if (credential.token.empty() && credential.client_cert_pem.empty()) {
        problem = "its answer has neither status.token nor a client certificate";
      }
    }
  } catch (const json::exception&) {
    problem = "its output is not JSON";  // the output itself is never shown
  }
  return out;
}

ExecCredentialSource::ExecCredentialSource(ExecCredentialPlugin plugin, const KubeConfig& cluster,
                                           Clock clock, StderrSink stderr_sink)
    : plugin_(std::move(plugin)),
      exec_info_(exec_info(plugin_, cluster)),
      clock_(clock ? std::move(clock) : Clock(std::chrono::system_clock::now)),
      stderr_sink_(stderr_sink ? std::move(stderr_sink)
                               : StderrSink([](std::string_view text) { std::cerr << text; })) {}

ExecCredential ExecCredentialSource::get() {
  const std::lock_guard lock(mutex_);
  if (cached_ && (!cached_->expires || clock_() < *cached_->expires)) return *cached_;
  cached_ = run_plugin();
  return *cached_;
}

ExecCredential ExecCredentialSource::refresh() {
  const std::lock_guard lock(mutex_);
  cached_ = run_plugin();
  return *cached_;
}

int ExecCredentialSource::runs() const {
  const std::lock_guard lock(mutex_);
  return runs_;
}

ExecCredential ExecCredentialSource::run_plugin() {
  const std::string name = std::filesystem::path(plugin_.command).filename().string();
  if (plugin_.interactive_mode == "Always") {
    throw ConfigError(
        fmt::format("exec plugin '{}' wants an interactive terminal (interactiveMode: Always), which a "
                    "conformance run cannot offer",
                    name));
  }
  ProcessOptions options;
  options.argv.push_back(plugin_.command);
  options.argv.insert(options.argv.end(), plugin_.args.begin(), plugin_.args.end());
  options.extra_env = plugin_.env;
  options.extra_env.emplace_back("KUBERNETES_EXEC_INFO", exec_info_);
  if (!find_program(plugin_.command)) {
    const std::string hint =
        plugin_.install_hint.empty() ? std::string() : ": " + last_line(plugin_.install_hint);
    throw ConfigError(fmt::format("exec plugin '{}' cannot be started: not found or not executable{}",
                                  plugin_.command, hint));
  }
  ++runs_;
  // Errors of run_process itself (time budget, Ctrl-C) pass through unchanged. Called directly,
  // not through the run's ProcessRunner: the plugin prints a token, which no cassette may
  // hold, and a replay needs no credential (its cluster answers from the HTTP cassette).
  const ProcessResult result = run_process(options);

  // Parse first, so that the secrets it holds can be removed from stderr.
  auto [credential, problem] = parse_exec_credential(result.out, plugin_.api_version);
  Scrubber scrubber({credential.token, credential.client_key_pem});
  if (!result.err.empty()) stderr_sink_(scrubber.text(result.err));
  if (result.timed_out) throw ConfigError(fmt::format("exec plugin '{}' did not finish in time", name));
  if (result.exit_code != 0) {
    const std::string reason =
        result.err.empty() ? std::string() : ": " + last_line(scrubber.text(result.err));
    throw ConfigError(
        fmt::format("exec plugin '{}' failed with exit code {}{}", name, result.exit_code, reason));
  }
  if (!problem.empty()) throw ConfigError(fmt::format("exec plugin '{}': {}", name, problem));
  return credential;
}

}  // namespace scs
