#pragma once

// The SSH wire encoding (RFC 4251 §5) that keys and signatures are made of, base64 as OpenSSH
// writes it, and key fingerprints.

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "core/errors.hpp"

namespace scs::ssh {

/// Reads uint32 and length-prefixed strings from a byte buffer. Running past the end throws
/// FormatError, so a truncated key or signature is an error, never undefined behaviour.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : rest_(bytes) {}
  std::uint32_t u32();
  std::string_view string();
  std::string_view raw(std::size_t size);
  [[nodiscard]] bool at_end() const { return rest_.empty(); }
  [[nodiscard]] std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

class WireWriter {
 public:
  WireWriter& u32(std::uint32_t value);
  WireWriter& string(std::string_view bytes);
  WireWriter& raw(std::string_view bytes);
  [[nodiscard]] const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

/// A key, signature or file that is not what it should be; the message names what is wrong,
/// never the bytes.
class FormatError : public std::exception {
 public:
  explicit FormatError(const std::string& message) : message_(escape_line_breaks(message)) {}
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// Base64 in SSH armor and key files (core/base64.hpp, whitespace skipped); throws
/// FormatError when the text is not base64.
std::string decode_base64(std::string_view text);

/// "SHA256:<base64 without padding>" of a public key blob, as ssh-keygen -l prints it.
std::string fingerprint(std::string_view public_key_blob);

}  // namespace scs::ssh
