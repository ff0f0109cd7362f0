// scs-conformance: the command-line front end. Parses arguments and maps every outcome to
// one of the documented exit codes; no other file calls exit().
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/exit_codes.hpp"

int main(int argc, char** argv) {
  CLI::App app{"scs-conformance: checks clouds against the Sovereign Cloud Stack standards"};
  app.set_version_flag("--version", SCS_VERSION);
  app.footer(scs::exit_code_help());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int rc = app.exit(error);
    return rc == 0 ? 0 : static_cast<int>(scs::ExitCode::usage);
  }
  fmt::print("{}", app.help());
  return static_cast<int>(scs::ExitCode::pass);
}
