#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "clients/process/process_runner.hpp"

namespace scs {

/// Process cassettes: the programs a run started, with what they answered and the files they
/// left, so that a recorded run (a KaaS e2e suite) replays with no tool installed.
///
/// File format (JSON, one file per run, rewritten atomically after each entry):
///   { "format": "scs-process-cassette/1",
///     "lookups": { "sonobuoy": "/usr/local/bin/sonobuoy", "hydrophone": null },
///     "invocations": [
///       { "argv": ["/usr/local/bin/sonobuoy", "retrieve", "/w/sono", "--extract"],
///         "working_dir": "", "exit_code": 0, "timed_out": false, "stdout": "…", "stderr": "…",
///         "outputs": { "/w/sono/plugins/e2e/sonobuoy_results.yaml": "…" } } ] }
/// Text that is not UTF-8 is stored as { "base64": "…" }. Files a tool writes are captured
/// only when the caller declares them (ProcessOptions::outputs): the recording keeps their
/// content, the replay writes them back to the same paths and returns them, so a check reads
/// the same bytes either way. Exec credential plugins never go through here: their output is
/// a token, and a replay needs no credential.

/// Passes everything to `inner` and appends each lookup and invocation to `file` (written with
/// the first one: a run that started nothing leaves no file). Removed
/// before writing: `secrets` wherever they appear in argv, stdout, stderr and outputs (the
/// HTTP cassette's Scrubber).
class RecordingProcessRunner final : public ProcessRunner {
 public:
  RecordingProcessRunner(ProcessRunner& inner, std::filesystem::path file,
                         const std::vector<std::string>& secrets = {});
  ~RecordingProcessRunner() override;

  std::optional<std::filesystem::path> find(const std::string& program) override;
  ProcessResult run(const ProcessOptions& options) override;

  [[nodiscard]] const std::filesystem::path& file() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Answers from a process cassette. An invocation matches by its whole argv; identical ones
/// are answered in recorded order. An argv the cassette does not hold (or holds fewer times)
/// is an Error naming it, as is a lookup it did not record; nothing is ever started.
class ReplayingProcessRunner final : public ProcessRunner {
 public:
  explicit ReplayingProcessRunner(const std::filesystem::path& cassette);
  ~ReplayingProcessRunner() override;

  std::optional<std::filesystem::path> find(const std::string& program) override;
  ProcessResult run(const ProcessOptions& options) override;

  /// How many recorded invocations have not been asked for (yet).
  [[nodiscard]] std::size_t unused() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scs
