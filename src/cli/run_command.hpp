#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/exit_codes.hpp"
#include "reports/report.hpp"
#include "run/run_options.hpp"

namespace scs {

struct RunOutcome {
  Report report;
  ExitCode exit_code;
  std::vector<std::string> cleanup_messages;  // leftovers found and removed, objects that could not be
  std::vector<std::string> warnings;          // e.g. a token cache that was refused
};

/// Runs a scope against a cloud (or a recording) and returns the report and the exit code,
/// writing nothing. Errors before the first request (spec, usage, clouds.yaml) are thrown;
/// errors after it end up in the report.
RunOutcome run_scope(const RunOptions& options, const std::atomic<bool>& interrupted);

/// Runs a scope against a cloud (or a recording) and writes the reports; returns the exit
/// code. With extra scopes, each scope is one run after the other (each connecting only what it
/// needs): report paths and the --record directory get "-<scope file stem>" / "/<stem>", and
/// the exit code is the most severe one (130 > 70 > 78 > 69 > 64 > 1 > 2 > 0); --replay takes
/// one scope. Errors before the first request (spec, usage, clouds.yaml) are thrown; errors after it
/// end up in the report, which is written in every case.
/// With sign_key the YAML report is signed (REPORT.sig); with upload_url it is then uploaded:
/// a run that completed keeps its verdict's exit code (0, 1, 2) when the upload worked and gets
/// that code plus 80 (80, 81, 82) when it did not; an interrupted run or one that could not
/// start is not uploaded and keeps its code (130, 69, 78).
int run_command(const RunOptions& options, const std::atomic<bool>& interrupted);

/// The same, with the text report and the messages going to `out` and `err` (a batch keeps
/// each subject's apart).
int run_command(const RunOptions& options, const std::atomic<bool>& interrupted, std::ostream& out,
                std::ostream& err);

/// Orders exit codes by what a caller most needs to know: 130 > 70 > 78 > 69 > 64 > 1 > 2 > 0.
int severity(int code);

}  // namespace scs
