#pragma once

// The parsed standards and scopes, cached as JSON, so that a run does not parse YAML every
// time (parsing standards/*.yaml is most of a run's start). A cache entry is keyed by a SHA-256
// over the files' paths and bytes and the build (spec_cache.cpp), so an edited file or another
// build never reads a stale entry. The cache never changes a result and never fails a run: an
// unusable cache (another owner, writable by others, corrupt, I/O error) is ignored, and errors
// in the files are those of load_standards / load_scope, never cached.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spec/spec.hpp"

namespace scs {

/// load_standards(directory), through `<cache_dir>/specs-<key>.json` when a cache_dir is given.
std::vector<Standard> load_standards_cached(const std::string& directory,
                                            const std::optional<std::filesystem::path>& cache_dir);

/// load_scope(path), through `<cache_dir>/scope-<key>.json` when a cache_dir is given.
Scope load_scope_cached(const std::string& path, const std::optional<std::filesystem::path>& cache_dir);

/// cache_directory(), or nullopt when $SCS_NO_SPEC_CACHE is set (to anything but "" or "0").
std::optional<std::filesystem::path> spec_cache_directory();

}  // namespace scs
