#pragma once

// ssh-keygen's allowed-signers file (ssh-keygen(1), "ALLOWED SIGNERS"): one key per line,
//   principals [options] keytype base64-key [comment]
// with the options cert-authority, namespaces="…", valid-after="…" and valid-before="…".

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certify/ssh_keys.hpp"

namespace scs::ssh {

struct AllowedSigner {
  std::vector<std::string> principals;                 // patterns, as written
  std::optional<std::vector<std::string>> namespaces;  // patterns; none given = any
  std::string valid_after, valid_before;               // as written (YYYYMMDD[HHMM[SS]][Z]); empty = open
  bool cert_authority = false;
  PublicKey key;
  int line = 0;
};

/// Parses the file's text; throws FormatError "line N: …".
std::vector<AllowedSigner> parse_allowed_signers(std::string_view text);

/// Reads and parses a file; throws ConfigError naming file and line.
std::vector<AllowedSigner> read_allowed_signers(const std::filesystem::path& file);

/// Shell-style pattern match with * and ?, as OpenSSH's match_pattern; a list is
/// comma-separated and a leading ! negates.
bool matches_pattern_list(std::string_view value, const std::vector<std::string>& patterns);

/// The first entry that lets `key` sign in `sig_namespace` at `now` (a UTC "YYYYMMDDHHMMSS");
/// nullptr if none. Certificate authorities are not matched (plain keys only).
const AllowedSigner* find_signer(const std::vector<AllowedSigner>& signers, const PublicKey& key,
                                 std::string_view sig_namespace, std::string_view now);

}  // namespace scs::ssh
