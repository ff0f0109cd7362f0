#pragma once

// Signing bytes with a key file the way `ssh-keygen -Y sign` would: natively for an
// unencrypted OpenSSH Ed25519 key, through ssh-keygen for everything else.

#include <filesystem>
#include <string>
#include <string_view>

#include "certify/sshsig.hpp"

namespace scs::ssh {

struct MadeSignature {
  std::string armored;
  PublicKey signer;
  bool native = false;  // false: ssh-keygen made it
};

/// Throws ConfigError when the key cannot be used: unreadable, readable by group or others
/// (ssh-keygen ignores such keys too), malformed, or refused by ssh-keygen.
MadeSignature sign_with_key_file(const std::filesystem::path& key, std::string_view message,
                                 std::string_view sig_namespace = report_namespace);

/// The checks sign_with_key_file makes before signing, without signing (for a run that signs
/// at its end: fail before the run, not after it).
void check_key_file(const std::filesystem::path& key);

}  // namespace scs::ssh
