#pragma once

#include <filesystem>
#include <string>

namespace scs::checks::kaas {

/// standards/data of the run: $SCS_STANDARDS_DIR/data, else the source tree's.
std::filesystem::path data_dir();

/// A data file's text: an absolute path as given, a relative one inside data_dir().
/// ConfigError naming the path when it cannot be read.
std::string read_data_file(const std::string& name);

/// The path read_data_file() reads, for notes.
std::filesystem::path data_file_path(const std::string& name);

}  // namespace scs::checks::kaas
