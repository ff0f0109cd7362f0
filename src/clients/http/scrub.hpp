#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "clients/http/http.hpp"

namespace scs {

/// What a removed secret is replaced with, everywhere.
inline constexpr std::string_view redacted_marker = "<redacted>";

/// Headers whose value is a credential: X-Auth-Token, X-Subject-Token, Authorization, Cookie,
/// Swift temp-URL keys, … (case-insensitive).
bool is_secret_header(std::string_view name);

/// JSON keys and query parameters whose string value is a credential: password, secret,
/// application_credential_secret, passphrase, payload, private_key, *_password, *_secret,
/// *_token, … (case-insensitive; `password_expires_at` is not one).
bool is_secret_key(std::string_view key);

/// Removes secrets from text, URLs, headers and JSON before anything is written or shown.
/// Two kinds of knowledge: values it was told (CloudConfig::secrets(), tokens seen on the wire),
/// removed wherever they appear, also URL-encoded or JSON-escaped; and names (headers, JSON
/// keys, query parameters) whose values are always secret, whatever they are.
/// Thread-safe: add_secret() may run while other threads scrub.
class Scrubber {
 public:
  explicit Scrubber(const std::vector<std::string>& secrets = {});
  Scrubber(const Scrubber&) = delete;
  Scrubber& operator=(const Scrubber&) = delete;

  void add_secret(std::string_view secret);

  [[nodiscard]] std::string text(std::string_view text) const;
  [[nodiscard]] std::string url(std::string_view url) const;
  [[nodiscard]] Headers headers(const Headers& headers) const;
  [[nodiscard]] nlohmann::json json(const nlohmann::json& value) const;
  /// A body of unknown type: JSON is scrubbed by key and re-serialised, anything else as text.
  [[nodiscard]] std::string body(std::string_view body) const;

 private:
  [[nodiscard]] std::vector<std::string> snapshot() const;
  void scrub_json(nlohmann::json& value, const std::vector<std::string>& secrets, bool in_token) const;

  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;  // every spelling of every secret, longest first
};

}  // namespace scs
