#pragma once

#include <string>

namespace scs {

/// Where the specs live: $SCS_STANDARDS_DIR, else the standards/ folder of the source tree the
/// binary was built from (the build records it), else ./standards.
std::string standards_dir();

/// The default scope: <standards>/scopes/scs-compatible-iaas.yaml.
std::string default_scope_file();

}  // namespace scs
