#include "certify/ssh_keys.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include <fmt/format.h>

#include "certify/openssl_handles.hpp"
#include "certify/ssh_wire.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs::ssh {
namespace {

constexpr std::string_view private_key_begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view private_key_end = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view private_key_magic{"openssh-key-v1\0", 15};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

// Overwrites a buffer that held secret bytes, on every way out of the scope.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& bytes) : bytes_(bytes) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

 private:
  std::string& bytes_;
};

}  // namespace

std::string PublicKey::fingerprint() const { return ssh::fingerprint(blob); }

std::string PublicKey::base64() const { return base64_encode(blob); }

std::string PublicKey::ed25519_bytes() const {
  if (type != ed25519_type) return {};
  WireReader reader(blob);
  reader.string();
  return std::string(reader.string());
}

PublicKey public_key_from_blob(std::string_view blob) {
  WireReader reader(blob);
  PublicKey key;
  key.type = std::string(reader.string());
  if (key.type.empty()) throw FormatError("a public key without a type");
  if (key.type == ed25519_type) {
    if (reader.string().size() != 32) throw FormatError("an Ed25519 public key must have 32 bytes");
    if (!reader.at_end()) throw FormatError("trailing data after the Ed25519 public key");
  }
  key.blob = std::string(blob);
  return key;
}

PublicKey parse_public_key_line(std::string_view line) {
  line = trim(line);
  const auto type_end = line.find_first_of(" \t");
  if (type_end == std::string_view::npos)
    throw FormatError("not a public key line (expected TYPE BASE64 [COMMENT])");
  const auto type = line.substr(0, type_end);
  auto rest = trim(line.substr(type_end));
  const auto data_end = rest.find_first_of(" \t");
  const auto data = rest.substr(0, data_end);
  auto key = public_key_from_blob(decode_base64(data));
  if (key.type != type)
    throw FormatError(fmt::format("the key says it is {} but holds a {} key", type, key.type));
  if (data_end != std::string_view::npos) key.comment = std::string(trim(rest.substr(data_end)));
  return key;
}

PublicKey read_public_key_file(const std::filesystem::path& file) {
  const auto text = read_file(file, "public key");
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    try {
      return parse_public_key_line(line);
    } catch (const FormatError& error) {
      throw ConfigError(fmt::format("{} is not an OpenSSH public key: {}", file.string(), error.what()));
    }
  }
  throw ConfigError(fmt::format("{} holds no public key", file.string()));
}

Ed25519PrivateKey::Ed25519PrivateKey(const std::array<unsigned char, 32>& seed, PublicKey public_key)
    : seed_(seed), public_key_(std::move(public_key)) {}

Ed25519PrivateKey::~Ed25519PrivateKey() { OPENSSL_cleanse(seed_.data(), seed_.size()); }

Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&& other) noexcept
    : seed_(other.seed_), public_key_(std::move(other.public_key_)) {
  OPENSSL_cleanse(other.seed_.data(), other.seed_.size());
}

std::string Ed25519PrivateKey::sign(std::string_view message) const {
  const PkeyHandle key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed_.data(), seed_.size()));
  const MdCtxHandle context(EVP_MD_CTX_new());
  std::string signature(64, '\0');
  std::size_t size = signature.size();
  if (!key || !context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      size != 64) {
    throw Error("OpenSSL could not make an Ed25519 signature");
  }
  return signature;
}

PrivateKeyFile parse_openssh_private_key(std::string_view text) {
  const auto begin = text.find(private_key_begin);
  const auto end = text.find(private_key_end);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    PrivateKeyFile file;
    file.kind = PrivateKeyFile::Kind::other_format;
    return file;
  }
  const auto decoded =
      decode_base64(text.substr(begin + private_key_begin.size(), end - begin - private_key_begin.size()));
  WireReader reader(decoded);
  if (reader.raw(private_key_magic.size()) != private_key_magic)
    throw FormatError("not an openssh-key-v1 key");
  const auto cipher = reader.string();
  reader.string();  // kdf name
  reader.string();  // kdf options
  if (reader.u32() != 1) throw FormatError("a key file with more than one key");
  PrivateKeyFile file;
  file.public_key = public_key_from_blob(reader.string());
  file.key_type = file.public_key->type;
  const auto secret_section = reader.string();
  if (cipher != "none") {
    file.kind = PrivateKeyFile::Kind::encrypted;
    return file;
  }
  if (file.key_type != ed25519_type) {
    file.kind = PrivateKeyFile::Kind::other_type;
    return file;
  }
  WireReader secret(secret_section);
  if (secret.u32() != secret.u32()) throw FormatError("the key's check numbers differ (damaged key)");
  if (secret.string() != ed25519_type) throw FormatError("the private half is not an Ed25519 key");
  const auto public_bytes = secret.string();
  const auto private_bytes = secret.string();  // seed (32) followed by the public key (32)
  if (public_bytes.size() != 32 || private_bytes.size() != 64 || private_bytes.substr(32) != public_bytes ||
      public_bytes != file.public_key->ed25519_bytes()) {
    throw FormatError("the Ed25519 private and public halves do not belong together");
  }
  auto public_key = *file.public_key;
  public_key.comment = std::string(secret.string());
  std::array<unsigned char, 32> seed{};
  std::copy(private_bytes.begin(), private_bytes.begin() + 32, seed.begin());
  file.key.emplace(seed, public_key);
  OPENSSL_cleanse(seed.data(), seed.size());
  file.kind = PrivateKeyFile::Kind::ed25519;
  return file;
}

PrivateKeyFile read_private_key_file(const std::filesystem::path& file) {
  auto text = read_file(file, "key");
  try {
    auto parsed = parse_openssh_private_key(text);
    if (parsed.kind == PrivateKeyFile::Kind::other_format) {
      // A .pub line: the private half may be in ssh-agent.
      try {
        auto public_key = parse_public_key_line(text);
        parsed.kind = PrivateKeyFile::Kind::public_key;
        parsed.key_type = public_key.type;
        parsed.public_key = std::move(public_key);
      } catch (const FormatError&) {
        // PEM, PKCS#8 or no key at all: ssh-keygen will tell.
      }
    }
    OPENSSL_cleanse(text.data(), text.size());
    return parsed;
  } catch (const FormatError& error) {
    OPENSSL_cleanse(text.data(), text.size());
    throw ConfigError(fmt::format("{} is not a usable OpenSSH key: {}", file.string(), error.what()));
  }
}

}  // namespace scs::ssh
