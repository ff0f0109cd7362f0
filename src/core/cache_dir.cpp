#include "core/cache_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace scs {

namespace fs = std::filesystem;

std::optional<fs::path> cache_directory() {
  // The XDG base directory spec: a relative $XDG_CACHE_HOME is invalid and must be ignored.
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
    return fs::path(xdg) / "scs-conformance";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/')
    return fs::path(home) / ".cache" / "scs-conformance";
  return std::nullopt;
}

bool ensure_private_directory(const fs::path& directory) {
  if (directory.empty()) return false;
  // mkdir each missing component with 0700 (fs::create_directories would use 0777 & ~umask).
  fs::path partial;
  for (const auto& component : directory) {
    partial /= component;
    if (::mkdir(partial.c_str(), 0700) == 0 || errno == EEXIST) continue;
    std::error_code ignored;  // e.g. EACCES or EROFS for a parent that exists all the same
    if (!fs::is_directory(partial, ignored)) return false;
  }
  struct stat status {};
  if (::lstat(directory.c_str(), &status) != 0) return false;
  return S_ISDIR(status.st_mode) && status.st_uid == ::geteuid() &&
         (status.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

}  // namespace scs
