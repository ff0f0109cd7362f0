#include "checks/kaas/data_files.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace scs::checks::kaas {

std::filesystem::path data_dir() {
  if (const char* dir = std::getenv("SCS_STANDARDS_DIR"); dir != nullptr && *dir != '\0')
    return std::filesystem::path(dir) / "data";
  return std::filesystem::path(SCS_DATA_DIR) / "standards" / "data";
}

std::filesystem::path data_file_path(const std::string& name) {
  const std::filesystem::path path(name);
  return path.is_absolute() ? path : data_dir() / path;
}

std::string read_data_file(const std::string& name) {
  const auto path = data_file_path(name);
  std::ifstream in(path);
  if (!in) throw ConfigError(fmt::format("cannot read the data file {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace scs::checks::kaas
