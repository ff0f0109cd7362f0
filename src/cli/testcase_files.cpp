#include "cli/testcase_files.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "spec/standard_files.hpp"

namespace scs {

namespace {

namespace fs = std::filesystem;

// "register_scs_0101" of "void scs::checks::register_scs_0101(scs::Registry&)".
std::string short_function_name(std::string_view full) {
  auto name = full.substr(0, full.find('('));
  if (const auto scope = name.rfind("::"); scope != std::string_view::npos) name.remove_prefix(scope + 2);
  if (const auto space = name.rfind(' '); space != std::string_view::npos) name.remove_prefix(space + 1);
  return std::string(name);
}

// The folder that holds the standards folder: the repository, when the sources are there.
fs::path parent_of(const std::string& standards_dir) {
  auto dir = fs::absolute(standards_dir).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // "…/standards/" names the folder itself
  return dir.parent_path();
}

}  // namespace

void print_testcase_files(const TestcaseBinding& binding, const Registry& registry,
                          const std::string& standards_dir, std::ostream& out) {
  const auto* registered = registry.registered_at(binding.check);
  const auto root = parent_of(standards_dir);
  const bool in_repository = registered != nullptr && fs::is_regular_file(root / registered->file_name());

  // (file:line, what it is), printed as two aligned columns.
  std::vector<std::pair<std::string, std::string>> rows;
  const auto spec =
      in_repository ? fs::absolute(binding.source.file).lexically_normal().lexically_relative(root).string()
                    : binding.source.file;
  rows.emplace_back(fmt::format("{}:{}", spec, binding.source.line), "the testcase");
  if (registered != nullptr) {
    rows.emplace_back(
        fmt::format("{}:{}", registered->file_name(), registered->line()),
        fmt::format("{}() registers its check '{}'{}", short_function_name(registered->function_name()),
                    binding.check, in_repository ? "" : " (in the source repository)"));
  }
  if (const auto files = standard_files(binding.source.file); files && in_repository) {
    if (fs::is_regular_file(root / files->tests))
      rows.emplace_back(files->tests, fmt::format("the tests of {}", binding.standard));
  }

  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  fmt::print(out, "Files{}:\n", in_repository ? fmt::format(" (in {})", root.string()) : std::string());
  for (const auto& [where, what] : rows) fmt::print(out, "  {:<{}}  {}\n", where, width, what);
}

}  // namespace scs
