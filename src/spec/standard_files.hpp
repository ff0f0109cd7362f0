#pragma once

// The naming rule that ties a standard to its code, so that a testcase id leads to its files in
// one step: standards/scs-0101-entropy.yaml is implemented by checks/scs_0101_entropy.cpp (its
// one registration point) and tested by tests/checks/scs_0101_entropy_test.cpp. The guard test
// enforces it, `explain` and scripts/new-standard rely on it.

#include <optional>
#include <string>
#include <string_view>

namespace scs {

/// A standard's files, relative to the repository root.
struct StandardFiles {
  std::string number;                 // "0101"
  std::string spec;                   // "standards/scs-0101-entropy.yaml"
  std::string check;                  // "checks/scs_0101_entropy.cpp"
  std::string tests;                  // "tests/checks/scs_0101_entropy_test.cpp"
  std::string registration_function;  // "register_scs_0101"
};

/// From a spec file's path (any directory, only the file name counts); nullopt unless the name
/// is scs-NNNN-words.yaml with lowercase words of letters and digits.
std::optional<StandardFiles> standard_files(std::string_view spec_path);

}  // namespace scs
