#include "core/data_dir.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/errors.hpp"

namespace scs {

namespace {

namespace fs = std::filesystem;

bool is_dir(const fs::path& path) {
  std::error_code ignored;
  return !path.empty() && fs::is_directory(path, ignored);
}

// Whether `path` lies below `dir` (both absolute, lexically normal).
bool below(const fs::path& path, const fs::path& dir) {
  if (dir.empty() || path.empty()) return false;
  const auto relative = path.lexically_normal().lexically_relative(dir.lexically_normal());
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

fs::path find_standards_dir(const StandardsLookup& lookup) {
  if (lookup.override_dir) {
    if (is_dir(*lookup.override_dir)) return *lookup.override_dir;
    throw ConfigError(fmt::format("SCS_STANDARDS_DIR={} is no directory", lookup.override_dir->string()));
  }
  std::vector<fs::path> candidates;
  // <prefix>/bin/scs-conformance → <prefix>/share/scs-conformance/standards
  if (lookup.binary.has_parent_path() && lookup.binary.parent_path().filename() == "bin")
    candidates.push_back(lookup.binary.parent_path().parent_path() / "share" / "scs-conformance" /
                         "standards");
  if (below(lookup.binary, lookup.build_dir)) candidates.push_back(lookup.source_dir / "standards");
  candidates.push_back(lookup.working_dir / "standards");
  for (const auto& candidate : candidates) {
    if (is_dir(candidate)) return candidate;
  }
  std::vector<std::string> tried;
  for (const auto& candidate : candidates) tried.push_back(candidate.string());
  throw ConfigError(
      fmt::format("no standards directory (tried {}; set SCS_STANDARDS_DIR)", fmt::join(tried, ", ")));
}

StandardsLookup this_process_lookup() {
  StandardsLookup lookup;
  if (const char* dir = std::getenv("SCS_STANDARDS_DIR"); dir != nullptr && *dir != '\0')
    lookup.override_dir = fs::path(dir);
  std::error_code error;
  lookup.binary = fs::read_symlink("/proc/self/exe", error);  // stays empty where there is no /proc
  lookup.build_dir = SCS_BUILD_DIR;
  lookup.source_dir = SCS_SOURCE_TREE;
  lookup.working_dir = fs::current_path(error);
  return lookup;
}

fs::path locate_standards_dir() { return find_standards_dir(this_process_lookup()); }

}  // namespace scs
