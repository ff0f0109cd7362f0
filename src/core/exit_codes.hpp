#pragma once

#include <span>
#include <string>
#include <string_view>

namespace scs {

// Process exit codes, shared by every sub-command. The values follow sysexits(3) where one
// fits, so CI jobs and wrappers can tell "the cloud failed" from "we could not ask it".
enum class ExitCode : int {
  pass = 0,                  // every required testcase passed
  fail = 1,                  // a required testcase failed
  incomplete = 2,            // nothing failed, but a required testcase aborted or is missing
  usage = 64,                // bad command line
  unavailable = 69,          // the cloud could not be reached
  internal_error = 70,       // a bug in this tool
  configuration_error = 78,  // clouds.yaml, kubeconfig or a spec file is wrong; the monitor refused
  // run --upload: the verdict (0, 1, 2) plus 80, when the report was written but not uploaded
  passed_not_uploaded = 80,
  failed_not_uploaded = 81,
  incomplete_not_uploaded = 82,
  interrupted = 130,  // SIGINT/SIGTERM
};

struct ExitCodeInfo {
  ExitCode code;
  std::string_view meaning;
};

// All exit codes with their meaning, in ascending order; the source of the --help text.
std::span<const ExitCodeInfo> exit_code_table();

// The text block that `--help` prints after the options.
std::string exit_code_help();

}  // namespace scs
