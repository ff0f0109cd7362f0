#pragma once

// Fixture paths and scratch files for the spec tests.

#include <sstream>
#include <string>

#include "tests/support/temp_env.hpp"

namespace scs::test {

inline std::string spec_fixture(const std::string& name) {
  return std::string(SCS_SOURCE_DIR) + "/tests/spec/fixtures/" + name;
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

/// Writes `text` to a file in a temporary directory of this process (removed when it exits);
/// returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  static const TempDir dir("scs-spec-tests");
  return dir.write(name, text).string();
}

}  // namespace scs::test
