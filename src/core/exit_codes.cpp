#include "core/exit_codes.hpp"

#include <array>

#include <fmt/format.h>

namespace scs {

namespace {
constexpr std::array table{
    ExitCodeInfo{ExitCode::pass, "every required testcase passed"},
    ExitCodeInfo{ExitCode::fail, "a required testcase failed"},
    ExitCodeInfo{ExitCode::incomplete,
                 "incomplete: a required testcase aborted or is not implemented, none failed"},
    ExitCodeInfo{ExitCode::usage, "usage error (command line)"},
    ExitCodeInfo{ExitCode::unavailable, "cloud, cluster or compliance monitor unreachable"},
    ExitCodeInfo{ExitCode::internal_error, "internal error"},
    ExitCodeInfo{ExitCode::configuration_error,
                 "configuration error (clouds.yaml, kubeconfig, spec files, keys; the monitor refused "
                 "credentials, signature or report)"},
    ExitCodeInfo{ExitCode::passed_not_uploaded, "run --upload: passed, but the report was not uploaded"},
    ExitCodeInfo{ExitCode::failed_not_uploaded, "run --upload: failed, and the report was not uploaded"},
    ExitCodeInfo{ExitCode::incomplete_not_uploaded,
                 "run --upload: incomplete, and the report was not uploaded"},
    ExitCodeInfo{ExitCode::interrupted, "interrupted (SIGINT/SIGTERM)"},
};
}  // namespace

std::span<const ExitCodeInfo> exit_code_table() { return table; }

std::string exit_code_help() {
  std::string text = "Exit codes:\n";
  for (const auto& entry : table) {
    text += fmt::format("  {:>3}  {}\n", static_cast<int>(entry.code), entry.meaning);
  }
  return text;
}

}  // namespace scs
