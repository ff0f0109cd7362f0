#include "certify/key_signer.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "certify/ssh_keygen.hpp"
#include "certify/ssh_keys.hpp"
#include "certify/ssh_wire.hpp"
#include "core/errors.hpp"

namespace scs::ssh {
namespace {

PrivateKeyFile checked_key_file(const std::filesystem::path& key) {
  struct stat info {};
  if (::stat(key.c_str(), &info) != 0)
    throw ConfigError(fmt::format("cannot read key {}: no such file", key.string()));
  auto file = read_private_key_file(key);
  if (file.kind != PrivateKeyFile::Kind::public_key && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    throw ConfigError(fmt::format("private key {} is readable by others (mode {:o}); chmod 600 it",
                                  key.string(), info.st_mode & 0777));
  return file;
}

}  // namespace

void check_key_file(const std::filesystem::path& key) { (void)checked_key_file(key); }

MadeSignature sign_with_key_file(const std::filesystem::path& key, std::string_view message,
                                 std::string_view sig_namespace) {
  const auto file = checked_key_file(key);
  MadeSignature made;
  if (file.kind == PrivateKeyFile::Kind::ed25519) {
    made.armored = sign_armored(*file.key, message, sig_namespace);
    made.signer = file.key->public_key();
    made.native = true;
    return made;
  }
  made.armored = ssh_keygen_sign(key, message, sig_namespace);
  try {
    made.signer = parse_armored(made.armored).signer;
  } catch (const FormatError& error) {
    throw ConfigError(fmt::format("ssh-keygen wrote an unreadable signature: {}", error.what()));
  }
  return made;
}

}  // namespace scs::ssh
