#include "certify/sshsig.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <memory>

#include <fmt/format.h>

#include "certify/openssl_handles.hpp"
#include "certify/ssh_wire.hpp"
#include "core/base64.hpp"

namespace scs::ssh {
namespace {

constexpr std::string_view magic = "SSHSIG";
constexpr std::uint32_t sig_version = 1;
constexpr std::string_view armor_begin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view armor_end = "-----END SSH SIGNATURE-----";
constexpr std::size_t armor_line_length = 70;  // ssh-keygen's wrap

std::string digest(std::string_view hash_algorithm, std::string_view message) {
  if (hash_algorithm == "sha512") {
    std::array<unsigned char, SHA512_DIGEST_LENGTH> out{};
    SHA512(reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data());
    return {reinterpret_cast<const char*>(out.data()), out.size()};
  }
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data());
  return {reinterpret_cast<const char*>(out.data()), out.size()};
}

// What is actually signed: the preamble, namespace, reserved, hash algorithm and H(message).
std::string signed_data(std::string_view sig_namespace, std::string_view hash_algorithm,
                        std::string_view message) {
  WireWriter data;
  data.raw(magic)
      .string(sig_namespace)
      .string("")
      .string(hash_algorithm)
      .string(digest(hash_algorithm, message));
  return data.bytes();
}

}  // namespace

std::string sign_armored(const Ed25519PrivateKey& key, std::string_view message,
                         std::string_view sig_namespace) {
  constexpr std::string_view hash = "sha512";  // ssh-keygen's default
  WireWriter signature;
  signature.string(ed25519_type).string(key.sign(signed_data(sig_namespace, hash, message)));
  WireWriter blob;
  blob.raw(magic)
      .u32(sig_version)
      .string(key.public_key().blob)
      .string(sig_namespace)
      .string("")
      .string(hash);
  blob.string(signature.bytes());

  const auto encoded = base64_encode(blob.bytes());
  std::string armored = fmt::format("{}\n", armor_begin);
  for (std::size_t at = 0; at < encoded.size(); at += armor_line_length)
    armored += fmt::format("{}\n", encoded.substr(at, armor_line_length));
  armored += fmt::format("{}\n", armor_end);
  return armored;
}

SshSignature parse_armored(std::string_view armored) {
  const auto begin = armored.find(armor_begin);
  const auto end = armored.find(armor_end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin)
    throw FormatError("not an SSH signature (no BEGIN/END SSH SIGNATURE lines)");
  const auto blob =
      decode_base64(armored.substr(begin + armor_begin.size(), end - begin - armor_begin.size()));
  WireReader reader(blob);
  if (reader.raw(magic.size()) != magic) throw FormatError("not an SSH signature (no SSHSIG preamble)");
  if (const auto version = reader.u32(); version != sig_version)
    throw FormatError(fmt::format("unsupported SSH signature version {}", version));
  SshSignature parsed;
  parsed.signer = public_key_from_blob(reader.string());
  parsed.sig_namespace = std::string(reader.string());
  reader.string();  // reserved
  parsed.hash_algorithm = std::string(reader.string());
  if (parsed.hash_algorithm != "sha512" && parsed.hash_algorithm != "sha256")
    throw FormatError(fmt::format("unsupported hash algorithm '{}'", parsed.hash_algorithm));
  WireReader signature(reader.string());
  if (!reader.at_end()) throw FormatError("trailing data after the signature");
  parsed.signature_type = std::string(signature.string());
  parsed.signature = std::string(signature.string());
  return parsed;
}

bool supports_native(const SshSignature& signature) {
  return signature.signer.type == ed25519_type && signature.signature_type == ed25519_type;
}

bool verify_ed25519(const SshSignature& signature, std::string_view message, std::string_view sig_namespace,
                    std::string& reason) {
  if (signature.sig_namespace != sig_namespace) {
    // The namespace is the signature's bytes: one line in the reason, whatever it holds.
    reason = escape_line_breaks(
        fmt::format("signed for namespace '{}', not '{}'", signature.sig_namespace, sig_namespace));
    return false;
  }
  const auto public_bytes = signature.signer.ed25519_bytes();
  if (!supports_native(signature) || signature.signature.size() != 64) {
    reason = "not an Ed25519 signature";
    return false;
  }
  const PkeyHandle key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_bytes.data()),
      public_bytes.size()));
  const MdCtxHandle context(EVP_MD_CTX_new());
  const auto data = signed_data(signature.sig_namespace, signature.hash_algorithm, message);
  const bool valid =
      key && context && EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.signature.data()),
                       signature.signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  if (!valid) reason = "the signature does not match the report's bytes";
  return valid;
}

}  // namespace scs::ssh
