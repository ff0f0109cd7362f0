#include "cli/data_paths.hpp"

#include "core/data_dir.hpp"

namespace scs {

std::string default_scope_file() {
  return (locate_standards_dir() / "scopes" / "scs-compatible-iaas.yaml").string();
}

}  // namespace scs
