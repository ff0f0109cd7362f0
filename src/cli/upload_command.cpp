// scs-conformance upload REPORT... [--monitor URL] [--credentials FILE] [--sign-key KEY]
#include <filesystem>
#include <optional>
#include <ostream>

#include <fmt/format.h>

#include "certify/file_bytes.hpp"
#include "certify/key_signer.hpp"
#include "certify/report_identity.hpp"
#include "certify/ssh_wire.hpp"
#include "certify/sshsig.hpp"
#include "cli/certify_commands.hpp"
#include "clients/http/curl_transport.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {
namespace {

struct Prepared {
  std::string report, signature, content_type, subject, run_uuid;
};

// Reads the report and its signature (signing first with --sign-key) and checks that the
// signature is over these very bytes: a report changed after signing is refused here, with
// the same exit code the monitor's refusal would give, before anything is sent.
Prepared prepare(const UploadCommandOptions& options, const std::string& path) {
  Prepared prepared;
  prepared.report = read_file(path, "report");
  const auto documents = read_report_identity(prepared.report, path);
  prepared.subject = documents.documents.front().subject;
  prepared.run_uuid = documents.documents.front().run_uuid;
  prepared.content_type = options.content_type.value_or(std::string(monitor_content_type(documents.format)));
  const auto signature_file = path + ".sig";
  if (options.sign_key) {
    prepared.signature = ssh::sign_with_key_file(*options.sign_key, prepared.report).armored;
    write_file_atomically(signature_file, prepared.signature, 0644);
    return prepared;
  }
  if (!std::filesystem::exists(signature_file))
    throw ConfigError(fmt::format("{} has no signature {}: sign it first (scs-conformance sign {} --key KEY)",
                                  path, signature_file, path));
  prepared.signature = read_file(signature_file, "signature");
  try {
    const auto signature = ssh::parse_armored(prepared.signature);
    std::string reason;
    if (ssh::supports_native(signature) &&
        !ssh::verify_ed25519(signature, prepared.report, ssh::report_namespace, reason))
      throw ConfigError(fmt::format("{} does not hold for {}: {} (changed after signing? sign it again)",
                                    signature_file, path, reason));
  } catch (const ssh::FormatError& error) {
    throw ConfigError(fmt::format("{} is not a valid SSH signature ({})", signature_file, error.what()));
  }
  return prepared;
}

int exit_code_of(UploadOutcome outcome) {
  switch (outcome) {
    case UploadOutcome::stored:
    case UploadOutcome::already_present:
      return 0;
    case UploadOutcome::refused:
      return static_cast<int>(ExitCode::configuration_error);
    case UploadOutcome::unreachable:
      return static_cast<int>(ExitCode::unavailable);
  }
  return static_cast<int>(ExitCode::internal_error);
}

// A refusal needs a person (credentials, key, subject); unreachable may pass by itself.
int worse(int a, int b) {
  const auto rank = [](int code) {
    return code == static_cast<int>(ExitCode::configuration_error) ? 2 : code == 0 ? 0 : 1;
  };
  return rank(b) > rank(a) ? b : a;
}

}  // namespace

int upload_reports(const UploadCommandOptions& options, const MonitorCredentials& credentials,
                   Transport& transport, std::ostream& out, std::ostream& err) {
  int worst = 0;
  for (const auto& path : options.reports) {
    std::optional<Prepared> prepared;
    try {
      prepared = prepare(options, path);
    } catch (const ConfigError& error) {
      err << fmt::format("scs-conformance: not uploaded: {}\n", error.what());
      worst = worse(worst, static_cast<int>(ExitCode::configuration_error));
      continue;
    }
    UploadRequest request{options.monitor_url, prepared->signature, prepared->report, prepared->content_type,
                          prepared->subject};
    const auto result = upload_report(transport, credentials, request, options.policy);
    const auto seconds = static_cast<double>(result.elapsed.count()) / 1000.0;
    switch (result.outcome) {
      case UploadOutcome::stored:
        out << fmt::format("uploaded {} (subject {}, run {}) to {}: stored, {:.2f} s\n", path,
                           prepared->subject, prepared->run_uuid, options.monitor_url, seconds);
        break;
      case UploadOutcome::already_present:
        out << fmt::format("uploaded {} (subject {}, run {}) to {}: already present, nothing to do\n", path,
                           prepared->subject, prepared->run_uuid, options.monitor_url);
        break;
      case UploadOutcome::refused:
      case UploadOutcome::unreachable:
        err << fmt::format("scs-conformance: not uploaded: {}: {}\n", path, result.reason);
        break;
    }
    worst = worse(worst, exit_code_of(result.outcome));
  }
  return worst;
}

int upload_command(const UploadCommandOptions& options, std::ostream& out, std::ostream& err) {
  const auto credentials = read_monitor_credentials(
      options.credentials_file ? std::optional<std::filesystem::path>(*options.credentials_file)
                               : std::nullopt);
  TransportOptions transport_options;
  transport_options.max_retries = 0;  // upload_report retries, 5xx included
  transport_options.request_timeout = std::chrono::seconds(60);
  CurlTransport transport(transport_options);
  return upload_reports(options, credentials, transport, out, err);
}

void check_certify_inputs(const std::optional<std::string>& sign_key,
                          const std::optional<std::string>& credentials_file, bool upload) {
  if (sign_key) ssh::check_key_file(*sign_key);
  if (upload)
    (void)read_monitor_credentials(credentials_file ? std::optional<std::filesystem::path>(*credentials_file)
                                                    : std::nullopt);
}

}  // namespace scs
