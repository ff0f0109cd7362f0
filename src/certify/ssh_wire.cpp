#include "certify/ssh_wire.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>

namespace scs::ssh {

std::uint32_t WireReader::u32() {
  const auto bytes = raw(4);
  std::uint32_t value = 0;
  for (const char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

std::string_view WireReader::string() { return raw(u32()); }

std::string_view WireReader::raw(std::size_t size) {
  if (size > rest_.size()) throw FormatError("truncated data");
  const auto bytes = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return bytes;
}

WireWriter& WireWriter::u32(std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out_ += static_cast<char>((value >> shift) & 0xff);
  return *this;
}

WireWriter& WireWriter::string(std::string_view bytes) {
  u32(static_cast<std::uint32_t>(bytes.size()));
  return raw(bytes);
}

WireWriter& WireWriter::raw(std::string_view bytes) {
  out_ += bytes;
  return *this;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string base64_decode(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=')
      throw FormatError("invalid base64");
    compact += c;
  }
  if (compact.size() % 4 != 0) throw FormatError("invalid base64 length");
  std::string out(compact.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(compact.data()),
                                      static_cast<int>(compact.size()));
  if (written < 0) throw FormatError("invalid base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t padding = 0;
  for (auto it = compact.rbegin(); it != compact.rend() && *it == '='; ++it) ++padding;
  if (padding > 2) throw FormatError("invalid base64 padding");
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

std::string fingerprint(std::string_view public_key_blob) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(public_key_blob.data()), public_key_blob.size(),
         digest.data());
  auto text = base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  while (!text.empty() && text.back() == '=') text.pop_back();
  return "SHA256:" + text;
}

}  // namespace scs::ssh
