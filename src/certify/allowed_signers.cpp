#include "certify/allowed_signers.hpp"

#include <fmt/format.h>

#include "certify/ssh_wire.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs::ssh {
namespace {

// Splits at blanks outside double quotes, as OpenSSH reads option lists.
std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ' ' || c == '\t')) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  if (quoted) throw FormatError("unterminated quote");
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

std::string unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    return std::string(value.substr(1, value.size() - 2));
  return std::string(value);
}

bool looks_like_key_type(std::string_view field) {
  return field.starts_with("ssh-") || field.starts_with("ecdsa-") || field.starts_with("sk-") ||
         field.starts_with("rsa-");
}

void apply_options(AllowedSigner& signer, std::string_view options) {
  // Options are comma-separated, values may be quoted and hold commas: split by hand.
  std::string current;
  bool quoted = false;
  std::vector<std::string> list;
  for (const char c : options) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      list.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  list.push_back(std::move(current));
  for (const auto& option : list) {
    const auto equals = option.find('=');
    const auto name = option.substr(0, equals);
    const auto value = equals == std::string::npos ? std::string() : unquote(option.substr(equals + 1));
    if (name == "cert-authority") {
      signer.cert_authority = true;
    } else if (name == "namespaces") {
      signer.namespaces = split_commas(value);
    } else if (name == "valid-after") {
      signer.valid_after = value;
    } else if (name == "valid-before") {
      signer.valid_before = value;
    } else {
      throw FormatError(fmt::format("unknown option '{}'", name));
    }
  }
}

// OpenSSH's wildcards: `*` any run of characters, `?` one character. Greedy with one
// remembered `*` to fall back to: linear in practice and O(value × pattern) at worst, where
// trying every split at every `*` took exponential time on patterns like "*?*?*?…x"
// (found by fuzzing).
bool match_one(std::string_view value, std::string_view pattern) {
  std::size_t v = 0, p = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (v < value.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == value[v])) {
      ++v;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = v;
    } else if (star != std::string_view::npos) {
      p = star + 1;  // let the last `*` take one more character
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Normalises YYYYMMDD[HHMM[SS]][Z] to YYYYMMDDHHMMSS for comparison (a trailing Z, UTC, is
// the only time zone the comparison knows; OpenSSH reads times without Z as local time).
std::string normalised_time(std::string value) {
  if (!value.empty() && (value.back() == 'Z' || value.back() == 'z')) value.pop_back();
  while (value.size() < 14) value += '0';
  return value;
}

}  // namespace

std::vector<AllowedSigner> parse_allowed_signers(std::string_view text) {
  std::vector<AllowedSigner> signers;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#' || line == "\r") continue;
    try {
      const auto parts = fields(line);
      if (parts.size() < 3) throw FormatError("expected PRINCIPALS [OPTIONS] KEYTYPE BASE64");
      AllowedSigner signer;
      signer.line = number;
      signer.principals = split_commas(parts[0]);
      std::size_t key_at = 1;
      if (!looks_like_key_type(parts[1])) {
        apply_options(signer, parts[1]);
        key_at = 2;
      }
      if (parts.size() < key_at + 2) throw FormatError("no key after the options");
      signer.key = parse_public_key_line(fmt::format("{} {}", parts[key_at], parts[key_at + 1]));
      signers.push_back(std::move(signer));
    } catch (const FormatError& error) {
      throw FormatError(fmt::format("line {}: {}", number, error.what()));
    }
  }
  return signers;
}

std::vector<AllowedSigner> read_allowed_signers(const std::filesystem::path& file) {
  const auto text = read_file(file, "allowed-signers file");
  try {
    return parse_allowed_signers(text);
  } catch (const FormatError& error) {
    throw ConfigError(fmt::format("{}: {}", file.string(), error.what()));
  }
}

bool matches_pattern_list(std::string_view value, const std::vector<std::string>& patterns) {
  bool matched = false;
  for (const auto& pattern : patterns) {
    const bool negated = pattern.starts_with('!');
    if (match_one(value, negated ? std::string_view(pattern).substr(1) : std::string_view(pattern))) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

const AllowedSigner* find_signer(const std::vector<AllowedSigner>& signers, const PublicKey& key,
                                 std::string_view sig_namespace, std::string_view now) {
  for (const auto& signer : signers) {
    if (signer.cert_authority || !(signer.key == key)) continue;
    if (signer.namespaces && !matches_pattern_list(sig_namespace, *signer.namespaces)) continue;
    if (!signer.valid_after.empty() && normalised_time(signer.valid_after) > now) continue;
    if (!signer.valid_before.empty() && normalised_time(signer.valid_before) <= now) continue;
    return &signer;
  }
  return nullptr;
}

}  // namespace scs::ssh
