#pragma once

// Fixture paths and scratch files for the spec tests.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace scs::test {

inline std::string spec_fixture(const std::string& name) {
  return std::string(SCS_SOURCE_DIR) + "/tests/spec/fixtures/" + name;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `text` with lines `first`..`last` (1-based, inclusive) replaced by `replacement` ("" deletes
/// them; a replacement may hold several lines).
inline std::string replace_lines(const std::string& text, int first, int last,
                                 const std::string& replacement) {
  std::istringstream in(text);
  std::string out, line;
  for (int current = 1; std::getline(in, line); ++current) {
    if (current < first || current > last) {
      out += line + "\n";
    } else if (current == first && !replacement.empty()) {
      out += replacement + "\n";
    }
  }
  return out;
}

inline std::string replace_line(const std::string& text, int number, const std::string& replacement) {
  return replace_lines(text, number, number, replacement);
}

/// Writes `text` to a fresh file under the system temp directory; returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  // Per process, so parallel test runs do not trample each other's files.
  const auto dir = std::filesystem::temp_directory_path() / ("scs-spec-tests-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace scs::test
