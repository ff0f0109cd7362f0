#include "core/cache_dir.hpp"

#include <cstdlib>

#include "core/errors.hpp"

namespace scs {

std::filesystem::path cache_directory() {
  // The XDG base directory rules: a relative XDG_CACHE_HOME is invalid and ignored.
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/')
    return std::filesystem::path(xdg) / "scs-conformance";
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0')
    return std::filesystem::path(home) / ".cache" / "scs-conformance";
  throw ConfigError("no cache directory: set XDG_CACHE_HOME or HOME");
}

}  // namespace scs
