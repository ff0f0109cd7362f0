#include "core/errors.hpp"

#include <fmt/format.h>

namespace scs {

SpecError::SpecError(const std::string& file, int line, const std::string& message)
    : ConfigError(line > 0 ? fmt::format("{}:{}: {}", file, line, message)
                           : fmt::format("{}: {}", file, message)) {}

HttpError::HttpError(std::string method, std::string url, long status, std::string body_excerpt)
    : Error(body_excerpt.empty()
                ? fmt::format("{} {} answered HTTP {}", method, url, status)
                : fmt::format("{} {} answered HTTP {}: {}", method, url, status, body_excerpt)),
      status_(status) {}

}  // namespace scs
