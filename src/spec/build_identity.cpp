// Compiled on its own (no unity batch, no precompiled header): SCS_GIT_DESCRIBE changes with
// every commit, and only this file should be compiled again for it.
#include "spec/build_identity.hpp"

#include <sys/stat.h>

#ifndef SCS_GIT_DESCRIBE
#define SCS_GIT_DESCRIBE ""
#endif

namespace scs {

std::string build_identity() {
  std::string identity = "version " SCS_VERSION ", git " SCS_GIT_DESCRIBE;
  struct stat executable {};
  if (::stat("/proc/self/exe", &executable) == 0) {
    identity += ", executable " + std::to_string(executable.st_dev) + ":" +
                std::to_string(executable.st_ino) + ":" + std::to_string(executable.st_size) + ":" +
                std::to_string(executable.st_mtim.tv_sec) + "." + std::to_string(executable.st_mtim.tv_nsec);
  }
  return identity;
}

}  // namespace scs
