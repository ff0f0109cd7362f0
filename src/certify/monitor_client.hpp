#pragma once

// Uploading signed reports to the SCS compliance monitor, as the official tooling does it:
// POST {monitor}/reports, HTTP Basic auth with the account's name and password, the body the
// armored signature immediately followed by '&' and the report's bytes, content type
// application/x-signed-yaml (or -json).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "clients/http/http.hpp"

namespace scs {

/// The official monitor (SovereignCloudStack/standards, compliance-monitor).
inline constexpr std::string_view default_monitor_url = "https://compliance.sovereignit.cloud";

struct MonitorCredentials {
  std::string user;
  std::string password;
};

/// From `file` when given, else from $SCS_MONITOR_USER and $SCS_MONITOR_PASSWORD. The file holds
/// "ACCOUNT:PASSWORD" on its first line, or the official runner's tokenfile (the base64 of
/// that); it must not be readable by group or others. Throws ConfigError (never quoting the
/// password).
MonitorCredentials read_monitor_credentials(const std::optional<std::filesystem::path>& file);

struct UploadPolicy {
  int attempts = 4;                                // 5xx and connection errors are tried again
  std::chrono::milliseconds first_backoff{1'000};  // doubled after each attempt
};

enum class UploadOutcome {
  stored,           // 200
  already_present,  // 409: the same run uuid is on file (an upload again is harmless)
  refused,          // 401, 415, any other 4xx: credentials, key, subject or content type
  unreachable,      // no answer, or 5xx on every attempt
};

struct UploadResult {
  UploadOutcome outcome = UploadOutcome::unreachable;
  long status = 0;     // the last HTTP status, 0 without one
  std::string reason;  // one line, for refused and unreachable
  int attempts = 0;
  std::chrono::milliseconds elapsed{0};
};

struct UploadRequest {
  std::string monitor_url;  // without /reports
  std::string armored_signature;
  std::string report;
  std::string content_type;
  std::string subject;  // for messages only
};

/// One upload, retried by `policy`. Never throws for what the monitor answers; the reason
/// never contains the password.
UploadResult upload_report(Transport& transport, const MonitorCredentials& credentials,
                           const UploadRequest& request, const UploadPolicy& policy = {});

}  // namespace scs
