#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "clients/process/subprocess.hpp"

namespace scs {

/// The seam between a run and the programs it starts (sonobuoy, hydrophone), as Transport is
/// for HTTP: live, recorded or replayed (process_cassette.hpp). Implementations are thread-safe.
class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  ProcessRunner() = default;
  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  /// Where `program` would be started from (see find_program); nullopt when it is not there.
  virtual std::optional<std::filesystem::path> find(const std::string& program) = 0;

  /// Runs a program to completion (see run_process), with the declared outputs read back.
  virtual ProcessResult run(const ProcessOptions& options) = 0;
};

/// The real programs of this machine: find_program and run_process.
class LocalProcessRunner final : public ProcessRunner {
 public:
  std::optional<std::filesystem::path> find(const std::string& program) override {
    return find_program(program);
  }
  ProcessResult run(const ProcessOptions& options) override { return run_process(options); }
};

}  // namespace scs
