#include "spec/spec_cache.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cache_dir.hpp"
#include "core/private_file.hpp"
#include "spec/spec_cache_key.hpp"
#include "spec/spec_json.hpp"

namespace scs {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Entries of one kind kept in the cache directory: a few scopes and versions side by side.
constexpr std::size_t kept_entries = 8;

// The cached value, when `file` holds what store() wrote for `key`; nullopt for anything else
// (missing, not private, corrupt, another shape), which the caller treats as a miss.
template <class T>
std::optional<T> read_entry(const fs::path& file, const std::string& key) {
  const auto bytes = read_private_file(file);
  if (!bytes) return std::nullopt;
  try {
    const auto document = json::parse(*bytes);
    if (!document.is_object() || document.value("key", std::string()) != key) return std::nullopt;
    return document.at("value").get<T>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Beyond the newest `kept_entries` of the kind, older entries go; so do temporary files a
// writer killed midway left (an hour is far beyond any write).
void prune(const fs::path& directory, std::string_view prefix, const fs::path& written) {
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  std::error_code error;
  const auto stale_before = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const auto name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    std::error_code ignored;
    const auto modified = it->last_write_time(ignored);
    if (ignored) continue;
    if (name.ends_with(".json") && it->path() != written) {
      entries.emplace_back(modified, it->path());
    } else if (name.ends_with(".tmp") && modified < stale_before) {
      fs::remove(it->path(), ignored);
    }
  }
  if (entries.size() < kept_entries) return;  // with the one written: at most kept_entries
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto it = entries.begin() + (kept_entries - 1); it != entries.end(); ++it) {
    std::error_code ignored;
    fs::remove(it->second, ignored);
  }
}

template <class T>
void store(const fs::path& directory, std::string_view prefix, const fs::path& file, const std::string& key,
           const T& value) {
  try {
    const json document{{"key", key}, {"value", value}};
    // dump() throws on text that is not UTF-8: such specs are not cached.
    if (write_private_file(file, document.dump())) prune(directory, prefix, file);
  } catch (const std::exception&) {
    // Not cached this time: the loaded value is returned all the same.
  }
}

// load() through the cache entry `<cache_dir>/<prefix><key>.json`. `key_of()` is computed
// again after a miss's load: an entry is written only when no file changed meanwhile, so it
// never holds a parse of other bytes than its key's.
template <class T, class Load, class Key>
T load_cached(const std::optional<fs::path>& cache_dir, std::string_view prefix, Load load, Key key_of) {
  if (!cache_dir) return load();
  const auto key = key_of();
  if (!key || !ensure_private_directory(*cache_dir)) return load();
  const auto file = *cache_dir / fmt::format("{}{}.json", prefix, *key);
  if (auto cached = read_entry<T>(file, *key)) return std::move(*cached);
  auto loaded = load();  // its errors are the caller's; nothing failed is ever cached
  if (key_of() == key) store(*cache_dir, prefix, file, *key, loaded);
  return loaded;
}

}  // namespace

std::vector<Standard> load_standards_cached(const std::string& directory,
                                            const std::optional<fs::path>& cache_dir) {
  return load_cached<std::vector<Standard>>(
      cache_dir, "specs-", [&] { return load_standards(directory); },
      [&] { return standards_cache_key(directory); });
}

Scope load_scope_cached(const std::string& path, const std::optional<fs::path>& cache_dir) {
  return load_cached<Scope>(
      cache_dir, "scope-", [&] { return load_scope(path); }, [&] { return scope_cache_key(path); });
}

std::optional<fs::path> spec_cache_directory() {
  const char* disabled = std::getenv("SCS_NO_SPEC_CACHE");
  if (disabled != nullptr && *disabled != '\0' && std::string_view(disabled) != "0") return std::nullopt;
  return cache_directory();
}

}  // namespace scs
