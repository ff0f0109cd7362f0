#pragma once

// Files only this user may read or write, for caches: read only when nobody else could have
// written them, written so that a reader never sees half a file.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace scs {

/// The file's bytes when it is a regular file (not a symlink) owned by the effective uid with
/// no permission for group or others (0600, as write_private_file makes it); nullopt when it is
/// missing, unreadable or anyone else's.
std::optional<std::string> read_private_file(const std::filesystem::path& path);

/// read_private_file(), and why a file that exists was not read: "its mode is 0644, not 0600",
/// "it belongs to uid 1000, not to this user", "it is a symbolic link", … ("" when missing or read).
struct PrivateFileRead {
  std::optional<std::string> bytes;
  std::string refusal;
};
PrivateFileRead read_private_file_explained(const std::filesystem::path& path);

/// Replaces `path` atomically with `bytes`, mode 0600: a new temporary file beside it
/// (O_CREAT|O_EXCL), then rename. False (and no temporary file left) when anything fails.
bool write_private_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace scs
