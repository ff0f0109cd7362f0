#pragma once

// The environment for tests that run the stub sonobuoy/hydrophone scripts of
// tests/checks/fixtures/kaas/: PATH, the scenario, a call log and a fresh work directory,
// all restored or removed afterwards.

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "tests/support/temp_env.hpp"

namespace scs::testing {

class StubTools {
 public:
  /// `bin_dirs`: fixture folders put on PATH ("bin" = sonobuoy, "hydrophone-bin"); none = no tool.
  StubTools(const std::string& scenario, const std::vector<std::string>& bin_dirs);
  ~StubTools();
  StubTools(const StubTools&) = delete;
  StubTools& operator=(const StubTools&) = delete;

  /// A fresh directory for subject_root.
  [[nodiscard]] const std::filesystem::path& work_dir() const { return work_dir_.path(); }
  /// The stubs' calls, one line each ("sonobuoy delete --wait --kubeconfig …").
  [[nodiscard]] std::vector<std::string> calls() const;
  /// tests/checks/fixtures/kaas/results.
  [[nodiscard]] static std::filesystem::path results_dir();

 private:
  test::ScopedEnv env_;
  test::TempDir work_dir_{"scs-stub-tools"};
  std::filesystem::path log_;
};

/// The whole content of a file, bytes as they are.
std::string file_bytes(const std::filesystem::path& path);

/// Whether some note contains `text`.
bool notes_mention(const Result& result, const std::string& text);

}  // namespace scs::testing
