#include "cli/version_text.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/data_dir.hpp"
#include "core/errors.hpp"
#include "spec/spec.hpp"

namespace scs {

namespace {

std::string describe_scope(const Scope& scope, const std::string& today) {
  std::vector<std::string> versions;
  for (const auto& validity : versions_in_force(scope, today)) {
    if (validity.validity == "deprecated") continue;
    const auto* version = scope.version(validity.version);
    std::string text = fmt::format("{} {}", validity.version, validity.validity);
    if (version != nullptr && version->stabilized_at)
      text += fmt::format(" (stable since {})", *version->stabilized_at);
    versions.push_back(std::move(text));
  }
  std::string latest;
  for (const auto& entry : scope.timeline) latest = std::max(latest, entry.date);
  return fmt::format("  {}: {}; timeline of {}", scope.name,
                     versions.empty() ? "no version in force" : fmt::format("{}", fmt::join(versions, ", ")),
                     latest.empty() ? "none" : latest);
}

}  // namespace

std::string version_text(const std::string& today) {
  std::string text = fmt::format("scs-conformance {}\n", SCS_VERSION);
  std::filesystem::path standards;
  try {
    standards = locate_standards_dir();
  } catch (const Error& error) {
    return text + fmt::format("bundled standards: not found ({})\n", error.what());
  }
  text += fmt::format("bundled standards: {}\nscopes on {}:\n", standards.string(), today);
  std::vector<std::filesystem::path> files;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(standards / "scopes", ignored)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    try {
      text += describe_scope(load_scope(file.string()), today) + '\n';
    } catch (const Error& error) {
      text += fmt::format("  {}: unreadable ({})\n", file.filename().string(), error.what());
    }
  }
  return text;
}

}  // namespace scs
