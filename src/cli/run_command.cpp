#include "cli/run_command.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "cli/data_paths.hpp"
#include "cli/recording_info.hpp"
#include "clients/call_meter.hpp"
#include "clients/cancellation.hpp"
#include "clients/cassette.hpp"
#include "clients/curl_transport.hpp"
#include "clients/openstack.hpp"
#include "clients/resource_journal.hpp"
#include "clients/resource_reaper.hpp"
#include "core/errors.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"
#include "run/plan.hpp"

namespace scs {

namespace {

std::string new_uuid() {
  std::random_device random;
  std::array<unsigned char, 16> bytes{};
  for (auto& byte : bytes) byte = static_cast<unsigned char>(random() & 0xff);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += fmt::format("{:02x}", bytes[i]);
  }
  return text;
}

// "2026-11-26 16:22:07.483283", local time, as the official checker writes checked_at.
std::string local_timestamp(std::chrono::system_clock::time_point when) {
  const auto seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  localtime_r(&seconds, &local);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count() % 1'000'000;
  return fmt::format("{:%Y-%m-%d %H:%M:%S}.{:06}", local, micros);
}

std::string local_date(std::chrono::system_clock::time_point when) {
  const auto seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  localtime_r(&seconds, &local);
  return fmt::format("{:%Y-%m-%d}", local);
}

std::map<std::string, std::string> parse_assignments(const std::vector<std::string>& assignments) {
  std::map<std::string, std::string> parsed;
  for (const auto& assignment : assignments) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError(fmt::format("--assign '{}' is not of the form KEY=VALUE", assignment));
    }
    if (!parsed.emplace(assignment.substr(0, equals), assignment.substr(equals + 1)).second) {
      throw UsageError(fmt::format("--assign {} given twice", assignment.substr(0, equals)));
    }
  }
  return parsed;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw ConfigError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
}

// Fills the per-testcase texts the renderers show, from the scope and our standard files.
void describe_outcomes(std::vector<TestcaseOutcome>& outcomes, const Scope& scope, const Bindings& bindings) {
  for (auto& outcome : outcomes) {
    if (const auto* testcase = scope.testcase(outcome.id)) {
      outcome.description = testcase->description;
      outcome.url = testcase->url;
    }
    if (const auto* binding = bindings.find(outcome.id)) {
      outcome.remediation = binding->remediation;
      if (outcome.standard.empty()) outcome.standard = binding->standard;
    }
  }
}

std::vector<VersionValidity> as_validities(const std::vector<ChosenVersion>& chosen) {
  std::vector<VersionValidity> validities;
  for (const auto& version : chosen) validities.push_back({version.name, version.validity, true});
  return validities;
}

// Where the network comes from: the real cloud (optionally recorded) or a recording.
struct Connection {
  CloudConfig cloud;
  std::unique_ptr<Transport> base;
  std::unique_ptr<Transport> recorder;
  std::optional<std::chrono::system_clock::time_point> recorded_at;
  Transport& transport() { return recorder ? *recorder : *base; }
};

Connection connect(const RunCommandOptions& options, const std::map<std::string, std::string>& assignment) {
  Connection connection;
  if (options.replay_dir) {
    const auto info = read_recording_info(*options.replay_dir);
    connection.cloud = info.cloud;
    connection.recorded_at = info.recorded_at;
    connection.base = std::make_unique<ReplayTransport>(info.cassette);
    return connection;
  }
  CloudSelection selection;
  if (options.os_cloud) {
    selection.cloud = options.os_cloud;
  } else if (const auto it = assignment.find("os_cloud"); it != assignment.end()) {
    selection.cloud = it->second;
  }
  connection.cloud = resolve_cloud(selection);
  connection.base = std::make_unique<CurlTransport>(connection.cloud.transport);
  if (options.record_dir) {
    const auto cassette = new_cassette_path(*options.record_dir, connection.cloud.name);
    write_recording_info(*options.record_dir, connection.cloud, cassette, std::chrono::system_clock::now());
    connection.recorder =
        std::make_unique<RecordingTransport>(*connection.base, cassette, connection.cloud.secrets());
  }
  return connection;
}

std::string new_run_id() {
  std::random_device random;
  return fmt::format("{:06x}", random() & 0xffffff);
}

// The IaaS checks run with the member role, as the official suite demands: admin or manager
// would hide permission problems customers have (and make a mistake expensive).
void check_roles(const TokenInfo& token, const CloudConfig& cloud, bool allow_privileged) {
  std::vector<std::string> privileged;
  bool member = false;
  for (const auto& role : token.roles) {
    if (role == "admin" || role == "manager") privileged.push_back(role);
    if (role == "member") member = true;
  }
  if (!privileged.empty() && !allow_privileged) {
    throw ConfigError(
        fmt::format("cloud '{}': the token has the role(s) {}; SCS conformance runs with the member "
                    "role only (--allow-privileged-roles runs anyway)",
                    cloud.name, fmt::join(privileged, ", ")));
  }
  if (!member) {
    throw ConfigError(fmt::format("cloud '{}': the token of user '{}' lacks the member role in project '{}'",
                                  cloud.name, token.user_name, token.project_name));
  }
}

constexpr auto cleanup_budget = std::chrono::minutes(5);

// Deletes `entries` in a cancellation scope of its own (the run's may be interrupted), and
// says what happened in `messages`.
void remove_entries(OpenStack& openstack, const std::vector<JournalEntry>& entries,
                    const std::function<void(const JournalEntry&)>& on_gone,
                    std::vector<std::string>& messages) {
  const CancellationScope own_scope(std::chrono::steady_clock::now() + cleanup_budget, nullptr);
  for (const auto& reaped : ResourceReaper(openstack).remove(entries, false, on_gone)) {
    if (reaped.outcome == Reaped::Outcome::failed) {
      messages.push_back(fmt::format("could not delete {}", reaped.error));
    } else if (reaped.outcome == Reaped::Outcome::deleted) {
      messages.push_back(fmt::format("deleted {}", describe(reaped.entry)));
    }
  }
}

}  // namespace

RunOutcome run_scope(const RunCommandOptions& options, const std::atomic<bool>& interrupted) {
  const auto started = std::chrono::steady_clock::now();
  // Everything is resolved before the first request: a wrong spec, option or clouds.yaml is
  // reported without touching the cloud. The scope and the standards load in parallel.
  const auto assignment = parse_assignments(options.assignments);
  auto scope_loading = std::async(std::launch::async, [&] { return load_scope(options.scope_file); });
  Registry registry;
  checks::register_all_checks(registry);
  const auto bindings = load_bindings(standards_dir(), registry);
  const auto scope = scope_loading.get();
  auto connection = connect(options, assignment);
  const auto now = connection.recorded_at.value_or(std::chrono::system_clock::now());

  PlanOptions plan_options;
  plan_options.date = options.date.value_or(local_date(now));
  plan_options.version = options.version;
  plan_options.tests = options.tests;
  plan_options.sections = options.sections;
  plan_options.budget = options.budget;
  const auto plan = make_plan(scope, bindings, registry, plan_options);

  Report report;
  report.scope_uuid = scope.uuid;
  report.scope_name = scope.name;
  report.scope_url = scope.url;
  report.subject = options.subject.value_or(connection.cloud.name);
  report.checked_at = local_timestamp(std::chrono::system_clock::now());
  report.reference_date = plan_options.date;
  report.run_uuid = new_uuid();
  report.argv = options.argv;
  report.assignment = assignment;
  report.assignment.try_emplace("os_cloud", connection.cloud.name);
  report.sections = options.sections;
  report.forced_version = options.version;
  report.forced_tests = options.tests;
  report.tool_version = SCS_VERSION;
  report.cloud = options.replay_dir ? fmt::format("replay:{}", *options.replay_dir) : connection.cloud.name;

  OpenStack openstack(connection.cloud, connection.transport());
  CallStats preflight_calls;
  std::vector<TestcaseOutcome> outcomes;
  std::vector<std::string> cleanup_messages;
  std::unique_ptr<ResourceJournal> journal;
  const auto journal_dir = options.state_dir ? std::filesystem::path(*options.state_dir) : state_directory();
  try {
    // Wrong credentials, an unreachable Keystone or the wrong roles are one clear error for the
    // whole run, not one ABORT per testcase.
    MeterScope meter(preflight_calls);
    const auto& token = openstack.token();
    check_roles(token, connection.cloud, options.allow_privileged_roles);
    if (!options.replay_dir) {
      journal = std::make_unique<ResourceJournal>(
          journal_dir, connection.cloud.name, connection.cloud.region_name, token.project_id, new_run_id());
      // What earlier runs left behind (killed, or a delete that failed) goes first.
      const auto leftovers = ResourceJournal::leftovers(journal_dir, connection.cloud.name);
      if (!leftovers.empty()) {
        cleanup_messages.push_back(
            fmt::format("{} objects left by earlier runs in {}", leftovers.size(), journal->file().string()));
        remove_entries(
            openstack, leftovers,
            [&](const JournalEntry& gone) {
              ResourceJournal::close_leftovers(journal_dir, connection.cloud.name, {gone});
            },
            cleanup_messages);
      }
    }
  } catch (const Error& error) {
    report.aborted_run = error.what();
    report.aborted_run_exit = error.exit_code();
  }
  if (!report.aborted_run) {
    Context context(&openstack, &connection.transport(), [now, replay = connection.recorded_at.has_value()] {
      return replay ? now : std::chrono::system_clock::now();
    });
    context.with_journal(journal.get());
    outcomes = run_testcases(plan.runnable, context, {options.parallel, &interrupted});
    // Whatever a testcase could not delete (or a shared VM still up) goes now, also after Ctrl-C.
    if (journal && !journal->open_entries().empty()) {
      remove_entries(
          openstack, journal->open_entries(), [&](const JournalEntry& gone) { journal->closed(gone.seq); },
          cleanup_messages);
      for (const auto& entry : journal->open_entries()) {
        cleanup_messages.push_back(
            fmt::format("left behind: {} (run `scs-conformance cleanup`)", describe(entry)));
      }
    }
  } else {
    for (const auto& planned : plan.runnable) {
      TestcaseOutcome outcome{
          planned.id, planned.standard, {}, {}, {}, true, Result::abort(*report.aborted_run), {}, {}};
      outcomes.push_back(std::move(outcome));
    }
  }
  for (const auto& id : plan.not_implemented) {
    TestcaseOutcome outcome;
    outcome.id = id;
    outcome.implemented = false;
    outcome.result = Result::abort("not implemented by this tool");
    outcomes.push_back(std::move(outcome));
  }
  std::sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  describe_outcomes(outcomes, scope, bindings);
  report.outcomes = std::move(outcomes);
  report.totals = preflight_calls;
  for (const auto& outcome : report.outcomes) report.totals += outcome.calls;
  report.interrupted = interrupted.load();
  const auto validities = as_validities(plan.versions);
  report.versions = evaluate_versions(scope, validities, report.outcomes);
  report.wall_time =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

  ExitCode code = exit_decision(report);
  if (report.aborted_run_exit) code = *report.aborted_run_exit;
  if (report.interrupted) code = ExitCode::interrupted;
  return {std::move(report), code, std::move(cleanup_messages)};
}

int run_command(const RunCommandOptions& options, const std::atomic<bool>& interrupted) {
  const auto [report, code, cleanup_messages] = run_scope(options, interrupted);
  // Reports are written in every case, also when the run could not start.
  if (options.output_yaml) write_file(*options.output_yaml, render_yaml(report));
  if (options.output_json) write_file(*options.output_json, render_json(report));
  if (options.output_junit) write_file(*options.output_junit, render_junit(report));
  if (options.output_markdown) write_file(*options.output_markdown, render_markdown(report));
  if (!options.quiet) std::cout << render_text(report, options.colour) << std::flush;
  for (const auto& message : cleanup_messages) std::cerr << "scs-conformance: cleanup: " << message << '\n';
  // A run that could not start says why on stderr too, also with --quiet.
  if (report.aborted_run) std::cerr << "scs-conformance: error: " << *report.aborted_run << '\n';
  return static_cast<int>(code);
}

}  // namespace scs
