#include "cli/data_paths.hpp"

#include <cstdlib>
#include <filesystem>

namespace scs {

std::string standards_dir() {
  if (const char* dir = std::getenv("SCS_STANDARDS_DIR"); dir != nullptr && *dir != '\0') return dir;
  const std::filesystem::path built_from = SCS_DATA_DIR;
  if (std::filesystem::is_directory(built_from / "standards")) return (built_from / "standards").string();
  return "standards";
}

std::string default_scope_file() { return standards_dir() + "/scopes/scs-compatible-iaas.yaml"; }

}  // namespace scs
