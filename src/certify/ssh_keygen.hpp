#pragma once

// Signing and verifying through OpenSSH's ssh-keygen, for what is not done natively: keys
// with a passphrase (ssh-keygen asks on the terminal), keys held by ssh-agent, RSA and
// ECDSA keys, and signatures of those types.

#include <filesystem>
#include <string>
#include <string_view>

namespace scs::ssh {

/// `ssh-keygen -Y sign -f KEY -n NAMESPACE` over `message`; returns the armored signature.
/// Throws ConfigError when ssh-keygen is missing (naming the package) or refuses the key
/// (its own one-line reason: wrong passphrase, no agent, …); never quotes the key.
std::string ssh_keygen_sign(const std::filesystem::path& key, std::string_view message,
                            std::string_view sig_namespace);

/// `ssh-keygen -Y verify` of `armored` over `message` against an allowed-signers text; the
/// principal is found with `-Y find-principals`. Returns the principal on success, empty
/// when the signature does not hold (`reason` says what ssh-keygen said).
std::string ssh_keygen_verify(std::string_view allowed_signers, std::string_view armored,
                              std::string_view message, std::string_view sig_namespace, std::string& reason);

}  // namespace scs::ssh
