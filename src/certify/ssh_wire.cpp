#include "certify/ssh_wire.hpp"

#include <openssl/sha.h>

#include <array>

#include "core/base64.hpp"

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

std::string decode_base64(std::string_view text) {
  auto decoded = base64_decode(text, true);
  if (!decoded) throw FormatError("invalid base64");
  return std::move(*decoded);
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
