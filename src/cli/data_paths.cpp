#include "cli/data_paths.hpp"

#include "core/data_dir.hpp"

namespace scs {

std::string standards_dir() { return locate_standards_dir().string(); }

std::string default_scope_file() { return standards_dir() + "/scopes/scs-compatible-iaas.yaml"; }

}  // namespace scs
