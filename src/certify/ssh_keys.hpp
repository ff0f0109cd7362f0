#pragma once

// OpenSSH public keys ("ssh-ed25519 AAAA… comment") and private key files
// ("-----BEGIN OPENSSH PRIVATE KEY-----", the openssh-key-v1 format of PROTOCOL.key).
// Only unencrypted Ed25519 private keys are read natively; for every other private key the
// caller learns what kind it is and signs through ssh-keygen instead.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace scs::ssh {

inline constexpr std::string_view ed25519_type = "ssh-ed25519";

struct PublicKey {
  std::string type;     // "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", …
  std::string blob;     // the wire encoding: string type, then the key's own fields
  std::string comment;  // free text after the key, if any

  /// "SHA256:…", as ssh-keygen -l prints it.
  [[nodiscard]] std::string fingerprint() const;
  /// The base64 of blob, the middle field of a .pub line (and the monitor's `public_key`).
  [[nodiscard]] std::string base64() const;
  /// The 32 raw key bytes of an Ed25519 key; empty for other types.
  [[nodiscard]] std::string ed25519_bytes() const;
  bool operator==(const PublicKey& other) const { return blob == other.blob; }
};

/// Reads a public key blob (wire encoding); throws FormatError.
PublicKey public_key_from_blob(std::string_view blob);

/// Parses "TYPE BASE64 [COMMENT]"; throws FormatError when it is not one, or when the type
/// inside the blob differs from the one in front of it.
PublicKey parse_public_key_line(std::string_view line);

/// Reads the first public key line of a file (.pub, or authorized_keys style without options).
/// Throws ConfigError naming the file.
PublicKey read_public_key_file(const std::filesystem::path& file);

/// An Ed25519 private key in memory; the seed is wiped when the object goes.
class Ed25519PrivateKey {
 public:
  Ed25519PrivateKey(const std::array<unsigned char, 32>& seed, PublicKey public_key);
  ~Ed25519PrivateKey();
  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey(Ed25519PrivateKey&& other) noexcept;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) = delete;

  /// The 64-byte Ed25519 signature of `message`.
  [[nodiscard]] std::string sign(std::string_view message) const;
  [[nodiscard]] const PublicKey& public_key() const { return public_key_; }

 private:
  std::array<unsigned char, 32> seed_;
  PublicKey public_key_;
};

/// What a private key file holds, as far as signing natively goes.
struct PrivateKeyFile {
  enum class Kind {
    ed25519,       // unencrypted OpenSSH Ed25519: `key` is set
    encrypted,     // an OpenSSH key with a passphrase
    other_type,    // an OpenSSH key of another type (RSA, ECDSA, security keys)
    other_format,  // PEM/PKCS#8 or anything else that is not openssh-key-v1
    public_key,    // a .pub file: the private half is in an agent, if anywhere
  };
  Kind kind = Kind::other_format;
  std::string key_type;                 // when known
  std::optional<PublicKey> public_key;  // when readable without the passphrase
  std::optional<Ed25519PrivateKey> key;
};

/// Reads a key file; throws ConfigError (naming the file, never its contents) when it cannot
/// be read or is a malformed OpenSSH key.
PrivateKeyFile read_private_key_file(const std::filesystem::path& file);

/// Parses the text of an openssh-key-v1 file; throws FormatError.
PrivateKeyFile parse_openssh_private_key(std::string_view text);

}  // namespace scs::ssh
