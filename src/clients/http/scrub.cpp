#include "clients/http/scrub.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace scs {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string json_escape(std::string_view text) {
  const std::string quoted = nlohmann::json(std::string(text)).dump();
  return quoted.substr(1, quoted.size() - 2);
}

void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty()) return;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos)) {
    text.replace(pos, needle.size(), redacted_marker);
    pos += redacted_marker.size();
  }
}

std::string replace_secrets(std::string_view input, const std::vector<std::string>& secrets) {
  std::string out(input);
  for (const auto& secret : secrets) replace_all(out, secret);
  return out;
}

}  // namespace

bool is_secret_header(std::string_view name) {
  const std::string key = lower(name);
  static constexpr std::array exact = {"authorization", "proxy-authorization", "cookie", "set-cookie",
                                       "x-auth-key"};
  if (std::find(exact.begin(), exact.end(), key) != exact.end()) return true;
  // X-Auth-Token, X-Subject-Token, X-Service-Token, X-Storage-Token, X-Amz-Security-Token, …
  return ends_with(key, "-token") || key.find("temp-url-key") != std::string::npos;
}

bool is_secret_key(std::string_view key) {
  std::string name = lower(key);
  std::replace(name.begin(), name.end(), '-', '_');
  static constexpr std::array exact = {"password",     "secret",        "passphrase", "payload",
                                       "private_key",  "adminpass",     "token",      "psk",
                                       "temp_url_sig", "client_secret", "secret_key"};
  if (std::find(exact.begin(), exact.end(), name) != exact.end()) return true;
  // Suffixes, not substrings: `password_expires_at` or `secret_ref` are not secrets.
  return ends_with(name, "_password") || ends_with(name, "_secret") || ends_with(name, "_passphrase") ||
         ends_with(name, "_token") || ends_with(name, "_key_data");
}

Scrubber::Scrubber(const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) add_secret(secret);
}

void Scrubber::add_secret(std::string_view secret) {
  if (secret.empty()) return;
  const std::lock_guard lock(mutex_);
  for (std::string spelling : {std::string(secret), percent_encode(secret), json_escape(secret)}) {
    if (std::find(secrets_.begin(), secrets_.end(), spelling) == secrets_.end()) {
      secrets_.push_back(std::move(spelling));
    }
  }
  // Longest first, so a secret that contains another one is removed whole.
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::vector<std::string> Scrubber::snapshot() const {
  const std::lock_guard lock(mutex_);
  return secrets_;
}

std::string Scrubber::text(std::string_view text) const { return replace_secrets(text, snapshot()); }

std::string Scrubber::url(std::string_view url) const {
  std::string out(url);
  // user:password@host
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto authority_end = out.find_first_of("/?#", scheme + 3);
    const auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
    if (at != std::string::npos && at > scheme) {
      const auto colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, redacted_marker);
    }
  }
  // ?password=…&temp_url_sig=…
  if (const auto query = out.find('?'); query != std::string::npos) {
    std::string rebuilt = out.substr(0, query + 1);
    std::string_view rest = std::string_view(out).substr(query + 1);
    bool first = true;
    while (!rest.empty() || first) {
      const auto amp = rest.find('&');
      const std::string_view param = rest.substr(0, amp);
      if (!first) rebuilt += '&';
      first = false;
      const auto eq = param.find('=');
      if (eq != std::string_view::npos && is_secret_key(param.substr(0, eq))) {
        rebuilt += param.substr(0, eq + 1);
        rebuilt += redacted_marker;
      } else {
        rebuilt += param;
      }
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
    out = std::move(rebuilt);
  }
  return replace_secrets(out, snapshot());
}

Headers Scrubber::headers(const Headers& headers) const {
  const auto secrets = snapshot();
  Headers out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    out.emplace_back(name,
                     is_secret_header(name) ? std::string(redacted_marker) : replace_secrets(value, secrets));
  }
  return out;
}

void Scrubber::scrub_json(nlohmann::json& value, const std::vector<std::string>& secrets,
                          bool in_token) const {
  if (value.is_string()) {
    auto& text = value.get_ref<std::string&>();
    // Keystone credential blobs are JSON documents inside a string ({"access": …, "secret": …}).
    if (text.size() > 1 && text.front() == '{') {
      auto inner = nlohmann::json::parse(text, nullptr, false);
      if (!inner.is_discarded() && inner.is_object()) {
        scrub_json(inner, secrets, false);
        text = inner.dump();
        return;
      }
    }
    text = replace_secrets(text, secrets);
  } else if (value.is_object()) {
    for (auto& [key, member] : value.items()) {
      // {"token": {"id": "…"}} is how a token is presented in an auth request.
      if (member.is_string() && (is_secret_key(key) || (in_token && key == "id"))) {
        member = redacted_marker;
      } else {
        scrub_json(member, secrets, key == "token");
      }
    }
  } else if (value.is_array()) {
    for (auto& element : value) scrub_json(element, secrets, false);
  }
}

nlohmann::json Scrubber::json(const nlohmann::json& value) const {
  nlohmann::json copy = value;
  scrub_json(copy, snapshot(), false);
  return copy;
}

std::string Scrubber::body(std::string_view body) const {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return text(body);
  return json(parsed).dump();
}

}  // namespace scs
