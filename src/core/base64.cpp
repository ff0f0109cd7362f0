#include "core/base64.hpp"

namespace scs {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

bool is_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve(4 * ((bytes.size() + 2) / 3));
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, bool skip_whitespace) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  unsigned buffer = 0;
  std::size_t symbols = 0;  // data characters
  std::size_t padding = 0;
  for (const char c : text) {
    if (skip_whitespace && is_whitespace(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    const int value = sextet(c);
    if (value < 0 || padding > 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    if (++symbols % 4 == 0) {
      out += static_cast<char>((buffer >> 16) & 0xff);
      out += static_cast<char>((buffer >> 8) & 0xff);
      out += static_cast<char>(buffer & 0xff);
      buffer = 0;
    }
  }
  const std::size_t tail = symbols % 4;  // 2 or 3 symbols carry 1 or 2 bytes; 1 carries none
  if (tail == 1 || padding > 2 || (padding > 0 && (tail + padding) % 4 != 0)) return std::nullopt;
  if (tail == 2) out += static_cast<char>((buffer >> 4) & 0xff);
  if (tail == 3) {
    out += static_cast<char>((buffer >> 10) & 0xff);
    out += static_cast<char>((buffer >> 2) & 0xff);
  }
  return out;
}

}  // namespace scs
