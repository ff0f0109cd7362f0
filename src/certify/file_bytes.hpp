#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace scs {

/// Writes `bytes` to a temporary file beside `file` and renames it into place, so a reader
/// never sees half a file. `mode` applies to the new file. Throws ConfigError.
void write_file_atomically(const std::filesystem::path& file, std::string_view bytes, unsigned mode = 0644);

}  // namespace scs
