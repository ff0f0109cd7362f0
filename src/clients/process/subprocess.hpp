#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace scs {

struct ProcessOptions {
  std::vector<std::string> argv;                               // argv[0] is looked up in PATH
  std::vector<std::pair<std::string, std::string>> extra_env;  // added to (or replacing in) the environment
  std::string stdin_data;                                      // written to the child's stdin, then closed
  // The child reads the caller's stdin and stays in the caller's process group, so it can ask
  // the person at the terminal (ssh-keygen's passphrase prompt); stdin_data is not used.
  bool interactive = false;
  std::string working_dir;  // empty: the current directory
  std::chrono::milliseconds timeout{60'000};
  // Files the program writes that the caller uses afterwards (a tool's result files): their
  // content comes back in ProcessResult::outputs, so a recording keeps them with the run and a
  // replay hands them back without the program (process_cassette.hpp).
  std::vector<std::filesystem::path> outputs;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  bool timed_out = false;
  std::string out;  // stdout, complete
  std::string err;  // stderr, complete
  // The content of each of ProcessOptions::outputs the program left as a regular file, keyed
  // by the path as given; a file it did not write is absent.
  std::map<std::string, std::string> outputs;
};

/// Where `program` would be started from, as execvp finds it: a name with a '/' as it is, a bare
/// name through $PATH (empty entries skipped; /usr/local/bin:/usr/bin:/bin without PATH). Only
/// an executable regular file counts.
std::optional<std::filesystem::path> find_program(const std::string& program);

/// Runs a program to completion without a shell, capturing stdout and stderr. The child is
/// killed (its whole process group) when the timeout passes or the calling testcase is
/// cancelled (time budget, Ctrl-C: cancellation.hpp); cancellation then throws as
/// throw_if_cancelled() does. A program that cannot be started is an Error naming it. The
/// declared outputs are read after the program ended.
ProcessResult run_process(const ProcessOptions& options);

}  // namespace scs
