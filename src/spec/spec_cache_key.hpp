#pragma once

// The key of a spec cache entry: what a cached parse depends on, hashed.

#include <optional>
#include <string>

namespace scs {

/// Hex SHA-256 over the cache format, the build (build_identity) and every file
/// load_standards(directory) reads, path and bytes, in its order; nullopt when the directory
/// cannot be listed or a file cannot be read (the plain load then says why).
std::optional<std::string> standards_cache_key(const std::string& directory);

/// The same for load_scope(path): the one file.
std::optional<std::string> scope_cache_key(const std::string& path);

}  // namespace scs
