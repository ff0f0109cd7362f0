#include "certify/monitor_client.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "certify/ssh_wire.hpp"
#include "clients/http/scrub.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {
namespace {

std::string first_line(std::string_view text) {
  const auto end = text.find_first_of("\r\n");
  return std::string(text.substr(0, end));
}

MonitorCredentials split_credentials(const std::string& text, const std::string& source) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw ConfigError(fmt::format("{} does not hold ACCOUNT:PASSWORD", source));
  return {text.substr(0, colon), text.substr(colon + 1)};
}

// The monitor's FastAPI errors are {"detail": "..."}; anything else is shown as one short line.
std::string detail_of(const HttpResponse& response) {
  try {
    const auto body = nlohmann::json::parse(response.body);
    if (body.is_object() && body.contains("detail") && body["detail"].is_string())
      return escape_line_breaks(body["detail"].get<std::string>());  // the reason is one line
  } catch (const nlohmann::json::exception&) {
  }
  auto line = first_line(response.body);
  if (line.size() > 120) line = line.substr(0, 120) + "…";
  return line;
}

std::string refusal_reason(long status, const std::string& detail, const MonitorCredentials& credentials,
                           const UploadRequest& request) {
  if (status == 401 && detail == "Incorrect username or password")
    return fmt::format("the monitor refused the password of account '{}' (HTTP 401)", credentials.user);
  if (status == 401 && detail == "verification failed")
    return fmt::format(
        "the monitor could not verify the signature with the keys of account '{}' (HTTP 401: signed with "
        "another key, or the report changed after signing)",
        credentials.user);
  if (status == 401 && detail == "missing signature")
    return "the monitor found no signature in the upload (HTTP 401)";
  if (status == 401 && (detail == "Permission denied" || detail == "delegation problem?"))
    return fmt::format("account '{}' may not upload reports for subject '{}' (HTTP 401: {})",
                       credentials.user, request.subject, detail);
  if (status == 415)
    return fmt::format("the monitor does not accept content type '{}' (HTTP 415)", request.content_type);
  return fmt::format("the monitor refused the report (HTTP {}: {})", status, detail);
}

}  // namespace

MonitorCredentials read_monitor_credentials(const std::optional<std::filesystem::path>& file) {
  if (!file) {
    const char* user = std::getenv("SCS_MONITOR_USER");
    const char* password = std::getenv("SCS_MONITOR_PASSWORD");
    if (user == nullptr || *user == '\0' || password == nullptr || *password == '\0')
      throw ConfigError(
          "no compliance-monitor credentials: set SCS_MONITOR_USER and SCS_MONITOR_PASSWORD, or give "
          "--credentials FILE");
    return {user, password};
  }
  struct stat info {};
  if (::stat(file->c_str(), &info) != 0)
    throw ConfigError(fmt::format("cannot read credentials file {}", file->string()));
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    throw ConfigError(fmt::format("credentials file {} is readable by others (mode {:o}); chmod 600 it",
                                  file->string(), info.st_mode & 0777));
  const auto line = first_line(read_file(*file, "credentials file"));
  if (line.find(':') != std::string::npos) return split_credentials(line, file->string());
  // The official runner's tokenfile: base64 of ACCOUNT:PASSWORD.
  if (const auto decoded = base64_decode(line, true)) return split_credentials(*decoded, file->string());
  throw ConfigError(fmt::format("{} does not hold ACCOUNT:PASSWORD (or its base64)", file->string()));
}

UploadResult upload_report(Transport& transport, const MonitorCredentials& credentials,
                           const UploadRequest& request, const UploadPolicy& policy) {
  HttpRequest http;
  http.method = "POST";
  auto base = request.monitor_url;
  while (base.ends_with('/')) base.pop_back();
  http.url = base + "/reports";
  http.headers = {{"Content-Type", request.content_type},
                  {"Accept", "application/json"},
                  {"Authorization", "Basic " + base64_encode(credentials.user + ":" + credentials.password)}};
  http.body = request.armored_signature + "&" + request.report;

  const Scrubber scrubber({credentials.password});
  const auto started = std::chrono::steady_clock::now();
  UploadResult result;
  auto backoff = policy.first_backoff;
  for (result.attempts = 1;; ++result.attempts) {
    std::string failure;
    try {
      const auto response = transport.send(http);
      result.status = response.status;
      if (response.status == 200 || response.status == 201) {
        result.outcome = UploadOutcome::stored;
        break;
      }
      if (response.status == 409) {
        result.outcome = UploadOutcome::already_present;
        break;
      }
      const auto detail = scrubber.text(detail_of(response));
      if (response.status < 500) {
        result.outcome = UploadOutcome::refused;
        result.reason = refusal_reason(response.status, detail, credentials, request);
        break;
      }
      failure = fmt::format("the monitor answered HTTP {} ({})", response.status, detail);
    } catch (const UnreachableError& error) {
      failure = scrubber.text(error.what());
    }
    if (result.attempts >= policy.attempts) {
      result.outcome = UploadOutcome::unreachable;
      result.reason = fmt::format("{} (after {} attempts)", failure, result.attempts);
      break;
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace scs
