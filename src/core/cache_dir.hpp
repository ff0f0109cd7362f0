#pragma once

// Where this tool keeps caches (parsed specs; later tokens), and the checks that make a cache
// directory safe to trust: a cache another user can write to could change a run's result.

#include <filesystem>
#include <optional>

namespace scs {

/// $XDG_CACHE_HOME/scs-conformance when that is set and absolute, else
/// $HOME/.cache/scs-conformance; nullopt when neither gives an absolute path.
std::optional<std::filesystem::path> cache_directory();

/// Creates `directory` (and missing parents) with mode 0700 when it does not exist. True when
/// it is then a directory, not a symlink, owned by the effective uid and not writable by group
/// or others; false otherwise (nothing thrown: a caller falls back to not caching).
bool ensure_private_directory(const std::filesystem::path& directory);

}  // namespace scs
