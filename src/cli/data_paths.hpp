#pragma once

#include <string>

namespace scs {

/// locate_standards_dir() (core/data_dir.hpp) as a string, for the commands' defaults.
std::string standards_dir();

/// The default scope: <standards>/scopes/scs-compatible-iaas.yaml.
std::string default_scope_file();

}  // namespace scs
