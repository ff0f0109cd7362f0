#pragma once

#include <string>

namespace scs {

/// The default scope: <standards>/scopes/scs-compatible-iaas.yaml, the standards directory being
/// locate_standards_dir() (core/data_dir.hpp).
std::string default_scope_file();

}  // namespace scs
