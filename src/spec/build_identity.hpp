#pragma once

#include <string>

namespace scs {

/// What tells this build of the program from another: SCS_VERSION, `git describe` of the
/// source tree when it was configured, and the running executable's size and modification
/// time (which change with every link, also for an edit that no version or commit shows yet).
std::string build_identity();

}  // namespace scs
