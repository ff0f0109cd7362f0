#include "clients/openstack/token_cache.hpp"

#include "core/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace scs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view entry_format = "scs-conformance-token/1";
constexpr std::size_t key_bytes = 32;

std::string hex(const unsigned char* data, std::size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) out += fmt::format("{:02x}", data[i]);
  return out;
}

/// Each field as name, length and value, so that no two different clouds give the same text.
void add_field(std::string& text, std::string_view name, std::string_view value) {
  text += fmt::format("{}:{}:{};", name, value.size(), value);
}

std::string trimmed_url(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

/// What decides which token Keystone issues, besides the secret.
std::string identity_text(const CloudConfig& cloud) {
  std::string text;
  add_field(text, "auth_url", trimmed_url(cloud.auth_url));
  add_field(text, "auth_type", cloud.auth_type);
  add_field(text, "username", cloud.username);
  add_field(text, "user_id", cloud.user_id);
  add_field(text, "user_domain_name", cloud.user_domain_name);
  add_field(text, "user_domain_id", cloud.user_domain_id);
  add_field(text, "project_name", cloud.project_name);
  add_field(text, "project_id", cloud.project_id);
  add_field(text, "project_domain_name", cloud.project_domain_name);
  add_field(text, "project_domain_id", cloud.project_domain_id);
  add_field(text, "domain_name", cloud.domain_name);
  add_field(text, "domain_id", cloud.domain_id);
  add_field(text, "application_credential_id", cloud.application_credential_id);
  add_field(text, "application_credential_name", cloud.application_credential_name);
  add_field(text, "region_name", cloud.region_name);
  add_field(text, "interface", cloud.interface);
  return text;
}

std::string secret_text(const CloudConfig& cloud) {
  std::string text;
  add_field(text, "password", cloud.password);
  add_field(text, "application_credential_secret", cloud.application_credential_secret);
  add_field(text, "token", cloud.token);
  return text;
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return hex(digest.data(), size);
}

std::string hmac_hex(const std::string& key, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data(), &size);
  return hex(digest.data(), size);
}

std::string mode_text(mode_t mode) { return fmt::format("{:04o}", mode & 07777); }

/// Why a file or directory that `st` describes may not hold tokens, or "" when it may.
std::string refusal(const struct stat& st) {
  if (st.st_uid != geteuid()) return fmt::format("it belongs to uid {}, not to this user", st.st_uid);
  if ((st.st_mode & 077) != 0)
    return fmt::format("its mode is {}, not {}", mode_text(st.st_mode),
                       S_ISDIR(st.st_mode) ? "0700" : "0600");
  return {};
}

std::string keystone_time(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000000Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_keystone_time(std::string_view text) {
  // 2026-12-07T19:46:26Z or with fractional seconds; Keystone always answers in UTC.
  if (text.size() < 20 || !text.ends_with('Z')) return std::nullopt;
  std::tm utc{};
  char separator = 0;
  int consumed = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                  &separator, &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &consumed) != 7 ||
      separator != 'T' || consumed != 19) {
    return std::nullopt;
  }
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty() && (rest[0] != '.' || rest.find_first_not_of("0123456789", 1) != std::string_view::npos))
    return std::nullopt;
  // system_clock counts nanoseconds: beyond 2262 it overflows, and no token lives that long.
  if (utc.tm_year < 1970 || utc.tm_year > 2200 || utc.tm_mon < 1 || utc.tm_mon > 12 || utc.tm_mday < 1 ||
      utc.tm_mday > 31 || utc.tm_hour > 23 || utc.tm_min > 59 || utc.tm_sec > 60) {
    return std::nullopt;
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

TokenCache::TokenCache(fs::path directory, std::chrono::seconds margin, Clock now)
    : directory_(std::move(directory)), margin_(margin), now_(std::move(now)) {}

void TokenCache::warn(std::string message) { warnings_.push_back(std::move(message)); }

std::vector<std::string> TokenCache::take_warnings() {
  const std::lock_guard lock(mutex_);
  return std::exchange(warnings_, {});
}

bool TokenCache::usable_directory(bool create) {
  if (usable_) return *usable_;
  struct stat st {};
  if (::stat(directory_.c_str(), &st) != 0) {
    if (!create) return false;  // nothing kept yet; decided when something is stored
    std::error_code ignored;
    fs::create_directories(directory_.parent_path(), ignored);
    if (::mkdir(directory_.c_str(), 0700) != 0 && errno != EEXIST) {
      warn(fmt::format("token cache not used: cannot create {}: {}", directory_.string(),
                       std::strerror(errno)));
      return *(usable_ = false);
    }
    if (::stat(directory_.c_str(), &st) != 0) return *(usable_ = false);
  }
  if (!S_ISDIR(st.st_mode)) {
    warn(fmt::format("token cache not used: {} is not a directory", directory_.string()));
    return *(usable_ = false);
  }
  if (const auto why = refusal(st); !why.empty()) {
    warn(
        fmt::format("token cache not used: {} may not hold tokens, {} (chmod 700 it, or run with "
                    "--no-token-cache)",
                    directory_.string(), why));
    return *(usable_ = false);
  }
  return *(usable_ = true);
}

std::optional<std::string> TokenCache::secret_key() {
  const fs::path path = directory_ / "token-key";
  // Two runs may start at once: the first key written stays (O_EXCL), the other run reads it.
  const int created = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (created >= 0) {
    std::array<unsigned char, key_bytes> key{};
    const bool made = RAND_bytes(key.data(), key.size()) == 1;
    const std::string text(reinterpret_cast<const char*>(key.data()), key.size());
    const bool complete =
        made && ::write(created, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(created);
    if (complete) return text;
    ::unlink(path.c_str());
    return std::nullopt;
  }
  auto key = read_private_file_explained(path);
  if (!key.refusal.empty())
    warn(fmt::format("token cache not used: {} is refused, {}", path.string(), key.refusal));
  if (!key.bytes || key.bytes->size() != key_bytes) return std::nullopt;
  return std::move(key.bytes);
}

fs::path TokenCache::entry_path(const CloudConfig& cloud) const {
  return directory_ / fmt::format("token-{}.json", sha256_hex(identity_text(cloud)).substr(0, 32));
}

std::optional<CachedToken> TokenCache::load(const CloudConfig& cloud) {
  const std::lock_guard lock(mutex_);
  if (!usable_directory(false)) return std::nullopt;
  const fs::path path = entry_path(cloud);
  const auto read = read_private_file_explained(path);
  if (!read.refusal.empty()) {
    warn(fmt::format("token cache: {} is refused and not read, {}", path.string(), read.refusal));
    return std::nullopt;
  }
  const auto& content = read.bytes;
  const auto key = secret_key();
  if (!content || !key) return std::nullopt;
  try {
    const json entry = json::parse(*content);
    const auto expires_at = parse_keystone_time(entry.at("expires_at").get<std::string>());
    const bool current =
        entry.at("format") == entry_format && entry.at("identity") == sha256_hex(identity_text(cloud)) &&
        entry.at("secret_hmac") == hmac_hex(*key, identity_text(cloud) + secret_text(cloud)) && expires_at &&
        now_() + margin_ < *expires_at;
    if (!current) {
      ::unlink(path.c_str());  // other credentials, or about to expire: never usable again
      return std::nullopt;
    }
    CachedToken token{entry.at("token").get<std::string>(), entry.at("answer"), *expires_at};
    if (token.value.empty() || !token.answer.is_object()) throw std::runtime_error("empty entry");
    return token;
  } catch (const std::exception&) {
    ::unlink(path.c_str());  // corrupt: the next store writes a good one
    return std::nullopt;
  }
}

void TokenCache::store(const CloudConfig& cloud, const CachedToken& token) {
  const std::lock_guard lock(mutex_);
  if (!usable_directory(true)) return;
  const auto key = secret_key();
  if (!key) return;
  const json entry{{"format", entry_format},
                   {"cloud", cloud.name},
                   {"auth_url", trimmed_url(cloud.auth_url)},
                   {"identity", sha256_hex(identity_text(cloud))},
                   {"secret_hmac", hmac_hex(*key, identity_text(cloud) + secret_text(cloud))},
                   {"cached_at", keystone_time(now_())},
                   {"expires_at", keystone_time(token.expires_at)},
                   {"token", token.value},
                   {"answer", token.answer}};
  if (!write_private_file(entry_path(cloud), entry.dump())) {
    warn(fmt::format("token cache: cannot write {}: {}", entry_path(cloud).string(), std::strerror(errno)));
  }
}

bool TokenCache::forget(const CloudConfig& cloud) {
  const std::lock_guard lock(mutex_);
  return ::unlink(entry_path(cloud).c_str()) == 0;
}

std::size_t TokenCache::forget_expired() {
  const std::lock_guard lock(mutex_);
  std::size_t removed = 0;
  std::error_code error;
  for (const auto& file : fs::directory_iterator(directory_, error)) {
    const auto name = file.path().filename().string();
    if (!name.starts_with("token-") || !name.ends_with(".json")) continue;
    const auto content = read_private_file(file.path());  // not ours to read: left alone
    if (!content) continue;
    std::optional<std::chrono::system_clock::time_point> expires_at;
    try {
      expires_at = parse_keystone_time(json::parse(*content).at("expires_at").get<std::string>());
    } catch (const std::exception&) {
    }
    if ((!expires_at || *expires_at <= now_()) && ::unlink(file.path().c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace scs
