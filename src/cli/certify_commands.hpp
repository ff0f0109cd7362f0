#pragma once

// The certification sub-commands: `sign`, `verify` and `upload` (see the README, "Certifying:
// sign and upload"), also used by `run --sign-key KEY --upload [URL]`.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "certify/monitor_client.hpp"

namespace scs {

class Transport;

struct SignCommandOptions {
  std::string report;
  std::string key;
  std::optional<std::string> output;  // default: REPORT.sig
};

/// Signs the report's exact bytes (sshsig, namespace "report") into REPORT.sig and prints one
/// line naming the key's fingerprint. Errors are thrown (ConfigError: key, report, ssh-keygen).
int sign_command(const SignCommandOptions& options, std::ostream& out);

struct VerifyCommandOptions {
  std::string report;
  std::optional<std::string> signature;  // default: REPORT.sig
  std::optional<std::string> allowed_signers;
  std::optional<std::string> public_key;
};

/// 0 and the signer's fingerprint when the signature holds for a key of the allowed signers
/// (or the public key) and the report is one the monitor can read; 1 with the reason when not.
/// Unreadable inputs are thrown (ConfigError, 78).
int verify_command(const VerifyCommandOptions& options, std::ostream& out, std::ostream& err);

struct UploadCommandOptions {
  std::vector<std::string> reports;
  std::string monitor_url{default_monitor_url};
  std::optional<std::string> credentials_file;  // else $SCS_MONITOR_USER / $SCS_MONITOR_PASSWORD
  std::optional<std::string> sign_key;          // sign each report first (else REPORT.sig must exist)
  std::optional<std::string> content_type;      // default: from the report's format
  UploadPolicy policy;
};

/// Uploads each report with its signature and prints a line per report. 0 when every report
/// is stored (or already was), 78 when the monitor refused one (credentials, key, subject,
/// content type) or a report/signature is unusable, 69 when the monitor could not be reached.
int upload_command(const UploadCommandOptions& options, std::ostream& out, std::ostream& err);

/// The same over a given transport and credentials (tests; run --upload).
int upload_reports(const UploadCommandOptions& options, const MonitorCredentials& credentials,
                   Transport& transport, std::ostream& out, std::ostream& err);

/// Checks before a long run that signing and uploading can work: the key is readable (and not
/// open to others), the credentials are there. Throws ConfigError.
void check_certify_inputs(const std::optional<std::string>& sign_key,
                          const std::optional<std::string>& credentials_file, bool upload);

}  // namespace scs
