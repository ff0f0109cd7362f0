#include "core/errors.hpp"

#include <fmt/format.h>

namespace scs {

std::string escape_line_breaks(const std::string& text) {
  if (text.find_first_of("\r\n") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

Error::Error(const std::string& message) : std::runtime_error(escape_line_breaks(message)) {}

SpecError::SpecError(const std::string& file, int line, const std::string& message)
    : ConfigError(line > 0 ? fmt::format("{}:{}: {}", file, line, message)
                           : fmt::format("{}: {}", file, message)) {}

HttpError::HttpError(std::string method, std::string url, long status, std::string body_excerpt)
    : Error(body_excerpt.empty()
                ? fmt::format("{} {} answered HTTP {}", method, url, status)
                : fmt::format("{} {} answered HTTP {}: {}", method, url, status, body_excerpt)),
      status_(status) {}

}  // namespace scs
