#pragma once

#include <filesystem>
#include <optional>

namespace scs {

/// Where a process may find the standards directory (specs, scopes, data/), in this order:
/// the override, the installed layout beside the binary, the source tree of the build the
/// binary sits in, the working directory.
struct StandardsLookup {
  std::optional<std::filesystem::path> override_dir;  // $SCS_STANDARDS_DIR: used as given
  std::filesystem::path binary;                       // the running program: <prefix>/bin/… →
                                                      // <prefix>/share/scs-conformance/standards
  std::filesystem::path build_dir;                    // a binary below it (a build of the tree) …
  std::filesystem::path source_dir;                   // … uses <source_dir>/standards
  std::filesystem::path working_dir;                  // last: <working_dir>/standards
};

/// The first existing directory of the lookup. ConfigError naming every place tried when none
/// exists, or when the override is no directory (an explicit choice is not second-guessed).
std::filesystem::path find_standards_dir(const StandardsLookup& lookup);

/// This process's lookup: $SCS_STANDARDS_DIR, /proc/self/exe, the build and source directories
/// recorded when this library was built, the current directory.
StandardsLookup this_process_lookup();

/// find_standards_dir(this_process_lookup()).
std::filesystem::path locate_standards_dir();

}  // namespace scs
