#pragma once

// SSH signatures (OpenSSH's PROTOCOL.sshsig), the format of `ssh-keygen -Y sign`: the signer's
// public key, a namespace, a hash algorithm and the signature over H(message), armored
// between "-----BEGIN SSH SIGNATURE-----" lines. Ed25519 is made and checked here with
// OpenSSL, byte for byte what ssh-keygen writes (Ed25519 signatures are deterministic);
// other key types go through ssh-keygen (ssh_keygen.hpp).

#include <string>
#include <string_view>

#include "certify/ssh_keys.hpp"

namespace scs::ssh {

/// The namespace the SCS compliance monitor verifies report signatures in.
inline constexpr std::string_view report_namespace = "report";

struct SshSignature {
  PublicKey signer;
  std::string sig_namespace;
  std::string hash_algorithm;  // "sha512" or "sha256"
  std::string signature_type;  // "ssh-ed25519", "rsa-sha2-512", …
  std::string signature;       // the raw signature bytes of that type
};

/// The armored signature of `message`, as `ssh-keygen -Y sign -n NAMESPACE` writes it (sha512).
std::string sign_armored(const Ed25519PrivateKey& key, std::string_view message,
                         std::string_view sig_namespace = report_namespace);

/// Reads an armored signature; throws FormatError when it is not one.
SshSignature parse_armored(std::string_view armored);

/// Whether `signature` is a valid Ed25519 signature of `message` by its own embedded key in
/// `sig_namespace`. On false, `reason` says why (namespace, hash, signature). Signatures of
/// other key types are not judged here: check supports_native() first.
bool verify_ed25519(const SshSignature& signature, std::string_view message, std::string_view sig_namespace,
                    std::string& reason);

/// Whether verify_ed25519 can judge this signature.
bool supports_native(const SshSignature& signature);

}  // namespace scs::ssh
