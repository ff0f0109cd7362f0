#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace scs {

/// The exact bytes of a file (signatures are over bytes, so no newline or encoding changes).
/// Throws ConfigError "cannot read <what> <file>: <reason>".
std::string read_file_bytes(const std::filesystem::path& file, std::string_view what);

/// Writes `bytes` to a temporary file beside `file` and renames it into place, so a reader
/// never sees half a file. `mode` applies to the new file. Throws ConfigError.
void write_file_atomically(const std::filesystem::path& file, std::string_view bytes, unsigned mode = 0644);

}  // namespace scs
