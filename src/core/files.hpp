#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace scs {

/// The whole content of a file, bytes as they are (no newline or encoding changes).
/// ConfigError "cannot read <what> <path>: <reason>" when it is missing or unreadable.
std::string read_file(const std::filesystem::path& path, std::string_view what = "file");

/// Replaces the file's content with `bytes`, creating its parent directories.
/// Error "cannot write <path>: <reason>" on failure.
void write_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace scs
