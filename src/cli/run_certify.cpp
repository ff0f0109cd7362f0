#include "cli/run_certify.hpp"

#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/certify_commands.hpp"
#include "core/errors.hpp"

namespace scs {
namespace {

constexpr int not_uploaded_offset = static_cast<int>(ExitCode::passed_not_uploaded);

bool is_verdict(int code) {
  return code == static_cast<int>(ExitCode::pass) || code == static_cast<int>(ExitCode::fail) ||
         code == static_cast<int>(ExitCode::incomplete);
}

}  // namespace

void check_run_certify_options(const RunOptions& options) {
  if (!options.sign_key && !options.upload_url) {
    if (options.monitor_credentials) throw UsageError("--monitor-credentials is only for --upload");
    return;
  }
  if (!options.output_yaml)
    throw UsageError("--sign-key and --upload need -o FILE: the YAML report is what is signed and uploaded");
  if (options.upload_url && !options.sign_key)
    throw UsageError("--upload needs --sign-key KEY: the monitor takes signed reports only");
  if (options.replay_dir && options.upload_url)
    throw UsageError("--upload with --replay: a replayed run is no evidence about the cloud today");
  check_certify_inputs(options.sign_key, options.monitor_credentials, options.upload_url.has_value());
}

int certify_run_report(const RunOptions& options, const Report& report, int code, std::ostream& out,
                       std::ostream& err) {
  if (!options.sign_key || !options.output_yaml) return code;
  if (report.interrupted || report.aborted_run) {
    err << fmt::format("scs-conformance: {} not signed or uploaded: the run {}\n", *options.output_yaml,
                       report.interrupted ? "was interrupted" : "could not start");
    return code;
  }
  std::ostringstream quiet_out;
  auto& shown = options.quiet ? static_cast<std::ostream&>(quiet_out) : out;
  if (!options.upload_url) {
    try {
      sign_command({*options.output_yaml, *options.sign_key, std::nullopt}, shown);
    } catch (const ConfigError& error) {
      err << fmt::format("scs-conformance: not signed: {}\n", error.what());
    }
    return code;
  }
  UploadCommandOptions upload;
  upload.reports = {*options.output_yaml};
  upload.sign_key = options.sign_key;  // signs REPORT.sig first
  upload.credentials_file = options.monitor_credentials;
  upload.monitor_url = *options.upload_url;
  const int uploaded = upload_command(upload, shown, err);
  return uploaded == 0 || !is_verdict(code) ? code : code + not_uploaded_offset;
}

RunCodeParts split_run_code(int code) {
  if (code >= not_uploaded_offset && code <= not_uploaded_offset + 2)
    return {code - not_uploaded_offset, true};
  return {code, false};
}

int join_run_code(RunCodeParts parts) {
  return parts.not_uploaded && is_verdict(parts.code) ? parts.code + not_uploaded_offset : parts.code;
}

}  // namespace scs
