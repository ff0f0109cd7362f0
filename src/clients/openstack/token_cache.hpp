#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/openstack/cloud_config.hpp"

namespace scs {

/// A token Keystone issued, as the cache keeps it.
struct CachedToken {
  std::string value;      // the X-Subject-Token
  nlohmann::json answer;  // Keystone's {"token": {…}} answer: roles, catalog, expires_at
  std::chrono::system_clock::time_point expires_at;
};

/// Keystone tokens kept between runs, so that a run does not pay for a password hash on every
/// start. One file per identity (auth URL, auth type, user, domain, project, region, interface)
/// in a directory only its owner may use (0700, files 0600): a directory or file that anyone
/// else may read or write, or that another user owns, is refused with a warning and never read.
/// Each entry holds an HMAC of the secret (password, application credential secret or token)
/// under a random key kept beside it, so a changed secret never reuses a token, and neither
/// the file names nor the files reveal the secret. An entry is used until `margin` before the
/// token expires. Any problem with the cache makes it a miss, never a failed run.
class TokenCache {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  static constexpr std::chrono::minutes default_margin{15};

  explicit TokenCache(std::filesystem::path directory, std::chrono::seconds margin = default_margin,
                      Clock now = std::chrono::system_clock::now);

  /// The cloud's token, when one is kept for exactly these credentials and is not within the
  /// margin of its expiry. An entry for other credentials of the same identity (a changed
  /// password) or an expiring one is deleted.
  std::optional<CachedToken> load(const CloudConfig& cloud);

  /// Keeps `token` for the cloud, replacing what was kept for its identity.
  void store(const CloudConfig& cloud, const CachedToken& token);

  /// Deletes the cloud's entry (whatever secret it was made with); true if there was one.
  bool forget(const CloudConfig& cloud);

  /// Deletes every entry whose token has expired; returns how many.
  std::size_t forget_expired();

  /// The file that holds (or would hold) the cloud's entry.
  [[nodiscard]] std::filesystem::path entry_path(const CloudConfig& cloud) const;

  /// What went wrong since the last call (a refused directory or file), for the run's messages.
  std::vector<std::string> take_warnings();

 private:
  bool usable_directory(bool create);
  std::optional<std::string> secret_key();
  void warn(std::string message);

  std::filesystem::path directory_;
  std::chrono::seconds margin_;
  Clock now_;
  std::mutex mutex_;
  std::optional<bool> usable_;  // decided on first use
  std::vector<std::string> warnings_;
};

/// Keystone's "2026-12-07T19:46:26.000000Z" as a time point; nullopt when it is not that form.
std::optional<std::chrono::system_clock::time_point> parse_keystone_time(std::string_view text);

}  // namespace scs
