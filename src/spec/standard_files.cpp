#include "spec/standard_files.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

namespace scs {

std::optional<StandardFiles> standard_files(std::string_view spec_path) {
  static const std::regex name(R"(scs-(\d{4})((?:-[a-z0-9]+)+)\.yaml)");
  const auto file = std::filesystem::path(spec_path).filename().string();
  std::smatch match;
  if (!std::regex_match(file, match, name)) return std::nullopt;
  auto words = match[2].str();
  std::replace(words.begin(), words.end(), '-', '_');
  const auto stem = fmt::format("scs_{}{}", match[1].str(), words);
  return StandardFiles{match[1].str(), "standards/" + file, fmt::format("checks/{}.cpp", stem),
                       fmt::format("tests/checks/{}_test.cpp", stem),
                       fmt::format("register_scs_{}", match[1].str())};
}

}  // namespace scs
