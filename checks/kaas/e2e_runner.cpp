#include "checks/kaas/e2e_runner.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "checks/kaas/e2e_results.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/kubernetes/kube_reaper.hpp"
#include "clients/process/process_runner.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs::checks::kaas {

namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;

enum class Tool { sonobuoy, hydrophone };

std::vector<std::string> string_list(const Params& params, const char* key) {
  std::vector<std::string> out;
  if (!params.contains(key)) return out;
  for (const auto& item : params.at(key)) out.push_back(item.get<std::string>());
  return out;
}

// A result file the tool wrote, as the process runner handed it back (live, recorded or
// replayed alike: the check never reads the tool's files itself).
const std::string& output(const ProcessResult& result, const fs::path& path) {
  const auto it = result.outputs.find(path.string());
  if (it == result.outputs.end()) throw Error(fmt::format("the run left no {}", path.string()));
  return it->second;
}

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of("\r\n ");
  if (end == std::string::npos) return "no output";
  const auto start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end - (start == std::string::npos ? 0 : start + 1) + 1);
}

/// One configured tool: how to call it for this suite and cluster.
class Runner {
 public:
  Runner(ProcessRunner& processes, Tool tool, fs::path program, std::optional<std::string> kubeconfig,
         std::optional<std::string> context)
      : processes_(processes),
        tool_(tool),
        program_(std::move(program)),
        kubeconfig_(std::move(kubeconfig)),
        context_(std::move(context)) {}

  [[nodiscard]] std::string name() const { return tool_ == Tool::sonobuoy ? "sonobuoy" : "hydrophone"; }
  [[nodiscard]] Tool tool() const { return tool_; }

  ProcessResult call(std::vector<std::string> args, std::chrono::milliseconds timeout,
                     std::vector<fs::path> outputs = {}) const {
    ProcessOptions options;
    options.outputs = std::move(outputs);
    options.argv.push_back(program_.string());
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    if (kubeconfig_) {
      options.argv.emplace_back("--kubeconfig");
      options.argv.push_back(*kubeconfig_);
    }
    // Hydrophone gets no context option (none of it could be verified): run_e2e_suite refuses
    // a chosen context for it.
    if (context_ && tool_ == Tool::sonobuoy) {
      options.argv.emplace_back("--context");
      options.argv.push_back(*context_);
    }
    options.timeout = timeout;
    return processes_.run(options);
  }

  // Runs a step that must succeed; Error with the tool's last words otherwise.
  ProcessResult must(std::vector<std::string> args, std::chrono::milliseconds timeout, const char* what,
                     std::vector<fs::path> outputs = {}) const {
    const auto step = args.front();
    auto result = call(std::move(args), timeout, std::move(outputs));
    if (result.timed_out)
      throw Error(fmt::format("{} {} ({}) did not finish within {} min", name(), step, what,
                              std::chrono::duration_cast<minutes>(timeout).count()));
    if (result.exit_code != 0)
      throw Error(fmt::format("{} {} ({}) exited with {}: {}", name(), step, what, result.exit_code,
                              last_line(result.err.empty() ? result.out : result.err)));
    return result;
  }

  [[nodiscard]] std::string version() const {
    const auto result = call({tool_ == Tool::sonobuoy ? "version" : "--version"}, std::chrono::seconds(60));
    if (result.exit_code != 0) return "version unknown";
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
      // Sonobuoy prints "Sonobuoy Version: v0.57.3" among other lines.
      if (line.find("Version") != std::string::npos || line.find('v') == 0) return line;
    }
    return last_line(result.out);
  }

  void remove_leftovers(std::chrono::milliseconds timeout) const {
    if (tool_ == Tool::sonobuoy)
      must({"delete", "--wait"}, timeout, "removing the sonobuoy namespace");
    else
      must({"--cleanup"}, timeout, "removing the conformance namespace");
  }

 private:
  ProcessRunner& processes_;
  Tool tool_;
  fs::path program_;
  std::optional<std::string> kubeconfig_;
  std::optional<std::string> context_;
};

// The namespace the tool creates: its default unless the suite's arguments name another.
std::string tool_namespace(const Runner& runner, const Params& params) {
  const auto args =
      string_list(params, runner.tool() == Tool::sonobuoy ? "sonobuoy_args" : "hydrophone_args");
  for (std::size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "--namespace" || args[i] == "-n") && i + 1 < args.size()) return args[i + 1];
    if (args[i].starts_with("--namespace=")) return args[i].substr(std::string_view("--namespace=").size());
  }
  return runner.tool() == Tool::sonobuoy ? "sonobuoy" : "conformance";
}

fs::path work_dir_for(Context& context, const Params& params, const E2eSuite& suite,
                      std::vector<std::string>& notes) {
  const auto subdir = params.value("result_dir", suite.default_result_dir);
  // The directory is emptied before the run: never let it be subject_root itself or outside it.
  const fs::path relative(subdir);
  if (subdir.empty() || relative.is_absolute() || relative.filename() != relative || subdir == "." ||
      subdir == "..")
    throw ConfigError(
        fmt::format("result_dir '{}' must be one plain directory name below subject_root", subdir));
  if (const auto root = context.variable("subject_root"); root && !root->empty())
    return fs::path(*root) / subdir;
  std::random_device seed;
  const auto dir = fs::temp_directory_path() /
                   fmt::format("scs-conformance-{}-{:06x}", suite.testcase, seed() & 0xffffffU);
  notes.push_back(fmt::format("no subject_root (--work-dir) given: results kept in {}", dir.string()));
  return dir;
}

std::vector<std::string> run_arguments(const Runner& runner, const Params& params, const std::string& mode,
                                       const fs::path& dir) {
  std::vector<std::string> args;
  if (runner.tool() == Tool::sonobuoy) {
    args = {"run", "--wait"};
    const auto extra = string_list(params, "sonobuoy_args");
    args.insert(args.end(), extra.begin(), extra.end());
    if (mode == "parallel") args.emplace_back("--e2e-parallel=true");
    if (mode == "dry") args.insert(args.end(), {"--plugin-env", "e2e.E2E_DRYRUN=true"});
  } else {
    args = string_list(params, "hydrophone_args");
    args.insert(args.end(), {"--output-dir", dir.string()});
    if (mode == "parallel") args.insert(args.end(), {"--parallel", "4"});
    if (mode == "dry") args.emplace_back("--dry-run");
  }
  return args;
}

// Runs the suite and judges it; the caller removes the tool's namespace afterwards.
Result run_and_judge(const Context& context, const Runner& runner, const Params& params,
                     const std::string& mode, const fs::path& dir, std::vector<std::string>& notes) {
  const minutes timeout{params.value("timeout_minutes", 480)};
  const minutes cleanup{params.value("cleanup_minutes", 15)};
  runner.remove_leftovers(cleanup);

  // The result files are declared outputs of the step that writes them, so that a recorded run
  // keeps them and a replay hands them back (process_cassette.hpp).
  fs::path log;
  fs::path junit;
  std::vector<TestOutcome> tests;
  ProcessResult written;
  if (runner.tool() == Tool::sonobuoy) {
    runner.must(run_arguments(runner, params, mode, dir), timeout, "the e2e run");
    const auto plugin = dir / "plugins" / "e2e";
    const auto results = plugin / "sonobuoy_results.yaml";
    log = plugin / "results" / "global" / "e2e.log";
    junit = plugin / "results" / "global" / "junit_01.xml";
    written = runner.must({"retrieve", dir.string(), "--extract"}, cleanup, "fetching the results",
                          {results, log, junit});
    tests = parse_sonobuoy_results(output(written, results), results.string());
    // The originals, byte for byte, where a reader of our report looks first.
    for (const auto* file : {&log, &junit}) {
      if (written.outputs.contains(file->string()))
        write_file(dir / file->filename(), output(written, *file));
    }
  } else {
    log = dir / "e2e.log";
    junit = dir / "junit_01.xml";
    written = runner.must(run_arguments(runner, params, mode, dir), timeout, "the e2e run", {log, junit});
    tests = parse_junit(output(written, junit), junit.string());
  }
  for (const auto* file : {&log, &junit}) {
    notes.push_back(written.outputs.contains(file->string())
                        ? fmt::format("kept {}", (dir / file->filename()).string())
                        : fmt::format("the run left no {}", file->filename().string()));
  }
  if (tests.empty()) throw Error(fmt::format("the {} results list no test", runner.name()));

  const auto rules_file = params.value("ok_to_fail", std::string("sonobuoy-ok-to-fail.yaml"));
  const auto summary = classify(
      tests, parse_ok_to_fail(context.data_file(rules_file), context.data_path(rules_file).string()));
  for (const auto& [test, reason] : summary.failed_ok) {
    notes.push_back(fmt::format("failed_ok: {} — {}", test, reason));
  }
  if (mode == "dry") notes.push_back("dry run (execution_mode dry): the tests were listed, not run");
  const auto counts = fmt::format("{} passed, {} failed, {} failed_ok, {} skipped", summary.passed,
                                  summary.failed.size(), summary.failed_ok.size(), summary.skipped);
  if (!summary.failed.empty()) {
    std::vector<Finding> evidence;
    for (const auto& test : summary.failed) evidence.push_back({fmt::format("e2e test {}", test), "failed"});
    return Result::fail(counts, std::move(evidence), std::move(notes));
  }
  return Result::pass(counts, std::move(notes));
}

}  // namespace

Result run_e2e_suite(Context& context, const Params& params, const E2eSuite& suite) {
  std::optional<Runner> runner;
  const auto wanted = params.value("tool", std::string());
  for (const auto tool : {Tool::sonobuoy, Tool::hydrophone}) {
    const std::string program = tool == Tool::sonobuoy ? "sonobuoy" : "hydrophone";
    if (!wanted.empty() && wanted != program) continue;
    if (const auto path = context.processes().find(program)) {
      runner.emplace(context.processes(), tool, *path, context.variable("kubeconfig"),
                     context.variable("context"));
      break;
    }
  }
  if (!runner)
    return Result::abort(
        "install sonobuoy (https://sonobuoy.io) or hydrophone "
        "(https://github.com/kubernetes-sigs/hydrophone): neither is on PATH");

  if (runner->tool() == Tool::hydrophone && context.variable("context")) {
    return Result::abort(fmt::format(
        "hydrophone is not told a context, so it would not test context '{}': make it the kubeconfig's "
        "current context and run without --context, or install sonobuoy",
        *context.variable("context")));
  }
  const auto mode = context.variable("execution_mode").value_or("parallel");
  if (mode != "parallel" && mode != "serial" && mode != "dry")
    return Result::abort(fmt::format("execution_mode '{}' is none of parallel, serial, dry", mode));
  std::vector<std::string> notes{fmt::format("tool: {} ({})", runner->name(), runner->version())};
  const auto dir = work_dir_for(context, params, suite, notes);
  // A fresh result directory of its own, so that no file of an earlier run is mistaken for ours.
  fs::remove_all(dir);
  fs::create_directories(dir);

  const minutes cleanup{params.value("cleanup_minutes", 15)};
  // The tool's namespace is journaled before the tool creates it: if this run is killed, the
  // next run (or `scs-conformance cleanup`) deletes it.
  auto& journal = context.cluster_journal();
  const auto seq = journal.intend(namespace_type, tool_namespace(*runner, params));
  // Deletes the tool's namespace under a deadline of its own, so that it also runs after the
  // budget ran out or Ctrl-C; a failure becomes a note that says what to do.
  const auto clean_up = [&](std::vector<std::string>& into) {
    const CancellationScope cleanup_scope(std::chrono::steady_clock::now() + cleanup, nullptr);
    try {
      runner->remove_leftovers(cleanup);
      journal.closed(seq);
    } catch (const std::exception& error) {
      into.push_back(
          fmt::format("WARNING: cleanup failed ({}); run `{}` by hand", error.what(),
                      runner->tool() == Tool::sonobuoy ? "sonobuoy delete --wait" : "hydrophone --cleanup"));
    }
  };
  Result result;
  try {
    result = run_and_judge(context, *runner, params, mode, dir, notes);
  } catch (const Interrupted&) {
    clean_up(notes);
    throw;
  } catch (const std::exception& error) {
    clean_up(notes);
    result = Result::abort(error.what());
    result.notes = std::move(notes);
    return result;
  }
  clean_up(result.notes);
  return result;
}

}  // namespace scs::checks::kaas
