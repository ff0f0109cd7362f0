#pragma once

// run --sign-key KEY --upload [URL]: the certification step after a run's reports are written.

#include <iosfwd>

#include "cli/run_command.hpp"
#include "reports/report.hpp"

namespace scs {

/// Before the run: --sign-key/--upload need -o, a usable key and credentials. Throws
/// UsageError or ConfigError, so a long run does not end in an upload that cannot work.
void check_run_certify_options(const RunOptions& options);

/// After the run wrote `options.output_yaml`: signs it (with sign_key) and uploads it (with
/// upload_url). Returns the exit code: `code` itself, or code + 80 for a completed run (0, 1,
/// 2) whose report did not reach the monitor. Interrupted runs and runs that could not start
/// are not uploaded (they keep 130, 69, 78; a line says so).
int certify_run_report(const RunOptions& options, const Report& report, int code, std::ostream& out,
                       std::ostream& err);

/// Splits a run's exit code into the verdict's code and whether the upload failed (80–82).
struct RunCodeParts {
  int code = 0;
  bool not_uploaded = false;
};
RunCodeParts split_run_code(int code);
int join_run_code(RunCodeParts parts);

}  // namespace scs
