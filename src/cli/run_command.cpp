#include "cli/run_command.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "cli/run_certify.hpp"
#include "core/call_meter.hpp"
#include "core/data_dir.hpp"
#include "core/errors.hpp"
#include "reports/renderers.hpp"
#include "reports/verdict.hpp"
#include "run/attestations.hpp"
#include "run/early_token.hpp"
#include "run/plan.hpp"
#include "run/session.hpp"
#include "run/stamps.hpp"
#include "spec/spec_cache.hpp"

namespace scs {

namespace {

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

// The roles the OpenStack testcases of the plan run with (their standards' required_role); a
// plan without any still checks for member, so a run that can only report MISSING checks its
// credentials too.
std::set<std::string> required_roles(const Plan& plan) {
  std::set<std::string> roles;
  for (const auto& planned : plan.runnable) {
    // An admin testcase (scs-0302) runs with the separate --admin-cloud account; the subject's
    // own token stays a member's.
    if (planned.platform == "openstack")
      roles.insert(planned.required_role == "admin" ? "member" : planned.required_role);
  }
  if (roles.empty()) roles.insert("member");
  return roles;
}

TestcaseOutcome aborted(const PlannedTestcase& planned, std::string reason) {
  TestcaseOutcome outcome;
  outcome.id = planned.id;
  outcome.standard = planned.standard;
  outcome.implemented = true;
  outcome.result = Result::abort(std::move(reason));
  return outcome;
}

}  // namespace

RunOutcome run_scope(const RunOptions& options, const std::atomic<bool>& interrupted) {
  const auto started = std::chrono::steady_clock::now();
  // Load: every option, the scope and clouds.yaml are checked before the first request, so a
  // wrong option, scope or clouds.yaml costs none. The scope and the standards load in
  // parallel; once the scope has accepted the options, the cloud's token is asked for while
  // the standards still load (Keystone's password hash is most of a cold run).
  const auto assignment = parse_assignments(options.assignments);
  // Read before the first request: a wrong attestation file costs no run.
  const auto attestations = load_attestations(options.attestation_files);
  std::optional<RecordingInfo> recording;
  if (options.replay_dir) recording = read_recording_info(*options.replay_dir);
  const auto now = recording ? recording->recorded_at : std::chrono::system_clock::now();
  PlanOptions plan_options;
  plan_options.date = options.date.value_or(local_date(now));
  plan_options.version = options.version;
  plan_options.tests = options.tests;
  plan_options.sections = options.sections;
  plan_options.budget = options.budget;
  plan_options.read_only = options.read_only;

  const auto spec_cache = spec_cache_directory();
  std::unique_ptr<EarlyToken> early_token;  // before scope_loading: outlives its thread
  auto scope_loading = std::async(std::launch::async, [&] {
    auto loaded = load_scope_cached(options.scope_file, spec_cache);
    if (options.include_recommended) loaded = with_recommended_companions(std::move(loaded));
    if (options.include_unscoped) loaded = with_unscoped_testcases(std::move(loaded));
    check_plan_options(loaded, plan_options);
    // Before the token is asked for; the subject, when not given, is the cloud's name (later).
    refuse_attestations(loaded, attestations, options.subject);
    early_token = start_early_token(options, assignment);
    return loaded;
  });
  Registry registry;
  checks::register_all_checks(registry);
  const auto standards = locate_standards_dir();  // the one lookup: specs here, data for the checks too
  const auto bindings = load_bindings(standards, registry, spec_cache);
  const auto scope = scope_loading.get();

  // Plan.
  const auto plan = make_plan(scope, bindings, registry, plan_options);

  // Open the session.
  Session session(options, assignment, scope, plan, recording, std::move(early_token));
  session.context().with_standards_dir(standards);
  Report report;
  report.scope_uuid = scope.uuid;
  report.scope_name = scope.name;
  report.scope_url = scope.url;
  report.subject = options.subject.value_or(session.target_name());
  report.checked_at = local_timestamp(std::chrono::system_clock::now());
  report.reference_date = plan_options.date;
  report.run_uuid = new_uuid();
  report.argv = options.argv;
  report.assignment = session.report_assignment(assignment);
  report.sections = options.sections;
  report.forced_version = options.version;
  report.forced_tests = options.tests;
  report.tool_version = SCS_VERSION;
  report.cloud = session.origin();
  std::vector<std::string> chosen_versions;
  for (const auto& version : plan.versions) chosen_versions.push_back(version.name);
  auto manual = apply_attestations(
      scope, attestations, reported_manual_ids(scope, chosen_versions, !options.attestation_files.empty()),
      report.subject, plan_options.date);

  CallStats preflight_calls;
  std::vector<std::string> cleanup_messages, warnings = std::move(manual.warnings);
  const bool creates_resources = std::any_of(plan.runnable.begin(), plan.runnable.end(),
                                             [](const auto& planned) { return planned.creates_resources; });
  const auto abort_run = [&report](const Error& error) {
    report.aborted_run = error.what();
    report.aborted_run_exit = error.exit_code();
  };
  try {
    MeterScope meter(preflight_calls);
    session.open(required_roles(plan), creates_resources, cleanup_messages, warnings);
  } catch (const Error& error) {
    abort_run(error);
  }

  // Run.
  std::vector<TestcaseOutcome> outcomes;
  if (!report.aborted_run) {
    // A replay gives what it creates the recorded run's names, so the recorded answers match.
    // A recording that kept no run id cannot do that: those testcases are reported as not
    // replayed instead of failing on a missing answer.
    std::vector<PlannedTestcase> runnable;
    for (const auto& planned : plan.runnable) {
      if (!session.replays_creations() && planned.creates_resources) {
        outcomes.push_back(
            aborted(planned,
                    "not replayed: this testcase creates resources, and the recording keeps no "
                    "run id to give them the recorded names (record it again, or use "
                    "--read-only to leave it out)"));
      } else {
        runnable.push_back(planned);
      }
    }
    auto ran = run_testcases(runnable, session.context(),
                             {options.parallel, &interrupted, session.replaying(), session.admin_context()});
    try {
      // A cached token confirmed beside the reads: verdicts reached with a token Keystone or
      // the role check refuses now are not reported.
      session.confirm_token();
      outcomes.insert(outcomes.end(), std::make_move_iterator(ran.begin()),
                      std::make_move_iterator(ran.end()));
    } catch (const Error& error) {
      abort_run(error);
    }
    session.close(cleanup_messages, report.left_behind);
  }
  if (report.aborted_run) {
    outcomes.clear();
    for (const auto& planned : plan.runnable) outcomes.push_back(aborted(planned, *report.aborted_run));
  }
  report.token_source = session.token_source();
  for (const auto& id : plan.not_implemented) {
    TestcaseOutcome outcome;
    outcome.id = id;
    outcome.implemented = false;
    outcome.result = Result::abort("not implemented by this tool");
    outcomes.push_back(std::move(outcome));
  }
  // Manual testcases are never run: their results come from the attestations, also when the
  // run could not start (a person's statement does not depend on the cloud answering).
  outcomes.insert(outcomes.end(), std::make_move_iterator(manual.outcomes.begin()),
                  std::make_move_iterator(manual.outcomes.end()));

  // Evaluate.
  std::sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  describe_outcomes(outcomes, scope, bindings);
  report.outcomes = std::move(outcomes);
  report.totals = preflight_calls;
  report.totals += session.background_calls();
  for (const auto& outcome : report.outcomes) report.totals += outcome.calls;
  report.interrupted = interrupted.load();
  report.versions = evaluate_versions(scope, as_validities(plan.versions), report.outcomes);
  report.wall_time =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

  ExitCode code = exit_decision(report);
  if (report.aborted_run_exit) code = *report.aborted_run_exit;
  if (report.interrupted) code = ExitCode::interrupted;
  return {std::move(report), code, std::move(cleanup_messages), std::move(warnings)};
}

namespace {

int run_one_scope(const RunOptions& options, const std::atomic<bool>& interrupted, std::ostream& out,
                  std::ostream& err) {
  const auto [report, code, cleanup_messages, warnings] = run_scope(options, interrupted);
  // Reports are written in every case, also when the run could not start.
  if (options.output_yaml) write_file(*options.output_yaml, render_yaml(report));
  if (options.output_json) write_file(*options.output_json, render_json(report));
  if (options.output_junit) write_file(*options.output_junit, render_junit(report));
  if (options.output_markdown) write_file(*options.output_markdown, render_markdown(report));
  if (options.output_html) write_file(*options.output_html, render_html(report));
  if (!options.quiet) out << render_text(report, options.colour) << std::flush;
  for (const auto& message : warnings) err << "scs-conformance: warning: " << message << '\n';
  for (const auto& message : cleanup_messages) err << "scs-conformance: cleanup: " << message << '\n';
  // A run that could not start says why on stderr too, also with --quiet.
  if (report.aborted_run) err << "scs-conformance: error: " << *report.aborted_run << '\n';
  return certify_run_report(options, report, static_cast<int>(code), out, err);
}

}  // namespace

int severity(int code) {
  switch (static_cast<ExitCode>(code)) {
    case ExitCode::interrupted:
      return 7;
    case ExitCode::internal_error:
      return 6;
    case ExitCode::configuration_error:
      return 5;
    case ExitCode::unavailable:
      return 4;
    case ExitCode::usage:
      return 3;
    case ExitCode::fail:
      return 2;
    case ExitCode::incomplete:
      return 1;
    default:
      return 0;
  }
}

namespace {

/// report.yaml → report-scs-compatible-kaas.yaml
std::optional<std::string> with_suffix(const std::optional<std::string>& path, const std::string& suffix) {
  if (!path) return path;
  const std::filesystem::path file(*path);
  return (file.parent_path() / (file.stem().string() + "-" + suffix + file.extension().string())).string();
}

}  // namespace

int run_command(const RunOptions& options, const std::atomic<bool>& interrupted) {
  return run_command(options, interrupted, std::cout, std::cerr);
}

int run_command(const RunOptions& options, const std::atomic<bool>& interrupted, std::ostream& out,
                std::ostream& err) {
  check_run_certify_options(options);
  if (options.extra_scope_files.empty()) return run_one_scope(options, interrupted, out, err);
  if (options.replay_dir)
    throw UsageError("--replay takes one --scope: a recording holds the run of one scope");
  std::vector<std::string> files{options.scope_file};
  files.insert(files.end(), options.extra_scope_files.begin(), options.extra_scope_files.end());
  int worst = 0;
  bool not_uploaded = false;
  for (const auto& file : files) {
    if (interrupted.load()) break;
    const std::string stem = std::filesystem::path(file).stem().string();
    RunOptions one = options;
    one.scope_file = file;
    one.extra_scope_files.clear();
    one.output_yaml = with_suffix(options.output_yaml, stem);
    one.output_json = with_suffix(options.output_json, stem);
    one.output_junit = with_suffix(options.output_junit, stem);
    one.output_markdown = with_suffix(options.output_markdown, stem);
    one.output_html = with_suffix(options.output_html, stem);
    if (options.record_dir) one.record_dir = (std::filesystem::path(*options.record_dir) / stem).string();
    const auto [code, upload_failed] = split_run_code(run_one_scope(one, interrupted, out, err));
    not_uploaded = not_uploaded || upload_failed;
    if (severity(code) > severity(worst)) worst = code;
  }
  return interrupted.load() ? static_cast<int>(ExitCode::interrupted) : join_run_code({worst, not_uploaded});
}

}  // namespace scs
