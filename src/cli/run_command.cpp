#include "cli/run_command.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
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
#include "cli/run_certify.hpp"
#include "clients/http/cassette.hpp"
#include "clients/http/curl_transport.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/kubernetes/exec_credential.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kube_reaper.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_reaper.hpp"
#include "clients/process/process_cassette.hpp"
#include "clients/tls/tls_probe_transport.hpp"
#include "core/call_meter.hpp"
#include "core/cancellation.hpp"
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

/// One network leg: the real transport (optionally recorded) or a replay of it.
struct Leg {
  std::unique_ptr<Transport> base;
  std::unique_ptr<Transport> recorder;
  [[nodiscard]] bool present() const { return base != nullptr; }
  Transport& get() { return recorder ? *recorder : *base; }
};

/// Refuses every request: with --offline a KaaS run has no network but its cluster, and a
/// replay has nothing but what was recorded.
class OfflineTransport final : public Transport {
 public:
  explicit OfflineTransport(std::string refusal =
                                "--offline forbids network access to {} (only the cloud or "
                                "cluster under test)")
      : refusal_(std::move(refusal)) {}

  HttpResponse send(const HttpRequest& request) override {
    const auto scheme_end = request.url.find("://");
    const auto host_end =
        scheme_end == std::string::npos ? std::string::npos : request.url.find('/', scheme_end + 3);
    throw Error(fmt::format(fmt::runtime(refusal_), request.url.substr(0, host_end)));
  }

 private:
  std::string refusal_;
};

// Where the network comes from: the real cloud and/or cluster (optionally recorded), or a
// recording. Only the platforms the plan needs are connected.
struct Connection {
  std::optional<CloudConfig> cloud;
  Leg openstack;
  std::optional<KubeConfig> kube;
  std::shared_ptr<ExecCredentialSource> exec;
  Leg kubernetes;
  Leg network;  // KaaS-only runs: HTTPS that is neither cloud nor cluster (data refreshes)
  // The programs checks start (sonobuoy, hydrophone): this machine's, recorded, or replayed.
  std::unique_ptr<ProcessRunner> local_processes = std::make_unique<LocalProcessRunner>();
  std::unique_ptr<ProcessRunner> process_cassette;  // recording or replaying
  [[nodiscard]] ProcessRunner* processes() const {
    return process_cassette ? process_cassette.get() : local_processes.get();
  }
};

std::optional<std::string> pick(const std::optional<std::string>& option,
                                const std::map<std::string, std::string>& assignment, const char* variable) {
  if (option) return option;
  if (const auto it = assignment.find(variable); it != assignment.end() && !it->second.empty())
    return it->second;
  return std::nullopt;
}

std::string file_label(std::string_view text) {
  std::string out;
  for (const char c : text)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.') ? c : '_';
  return out;
}

Connection replay(const RunCommandOptions& options, const RecordingInfo& info, const Plan& plan) {
  Connection connection;
  if (plan.needs("openstack")) {
    if (!info.has_cloud()) {
      throw ConfigError(fmt::format("{}: the recording has no OpenStack cloud, but the scope needs one",
                                    *options.replay_dir));
    }
    connection.cloud = info.cloud;
    connection.openstack.base = std::make_unique<ReplayTransport>(info.cassette);
  }
  if (plan.needs("kubernetes")) {
    if (!info.kube) {
      throw ConfigError(fmt::format("{}: the recording has no Kubernetes cluster, but the scope needs one",
                                    *options.replay_dir));
    }
    KubeConfig kube;
    kube.context = info.kube->context;
    kube.cluster_name = info.kube->cluster;
    kube.user_name = info.kube->user;
    if (!info.kube->namespace_name.empty()) kube.namespace_name = info.kube->namespace_name;
    kube.server = info.kube->server;
    kube.tls_server_name = info.kube->tls_server_name;
    connection.kube = std::move(kube);
    connection.kubernetes.base = std::make_unique<ReplayTransport>(info.kube->cassette);
    if (!connection.cloud) {
      // The network cassette exists only if the recorded run made such a request.
      if (info.network_cassette.empty() || !std::filesystem::exists(info.network_cassette)) {
        connection.network.base = std::make_unique<OfflineTransport>(
            "the recording holds no exchange with {} (recorded run did not ask it)");
      } else {
        connection.network.base = std::make_unique<ReplayTransport>(info.network_cassette);
      }
    }
  }
  // A replay starts no program: it answers from the process cassette, which exists only if
  // the recorded run started one (without it, a check that would start one aborts).
  connection.local_processes.reset();
  if (!info.process_cassette.empty() && std::filesystem::exists(info.process_cassette))
    connection.process_cassette = std::make_unique<ReplayingProcessRunner>(info.process_cassette);
  return connection;
}

Connection connect(const RunCommandOptions& options, const std::map<std::string, std::string>& assignment,
                   const Plan& plan) {
  Connection connection;
  if (plan.needs("openstack")) {
    CloudSelection selection;
    selection.cloud = pick(options.os_cloud, assignment, "os_cloud");
    connection.cloud = resolve_cloud(selection);
    // TLS probes (scs-0125) answer in front of libcurl, behind the recorder: see tls_probe_transport.hpp.
    connection.openstack.base = std::make_unique<TlsProbeTransport>(
        std::make_unique<CurlTransport>(connection.cloud->transport), connection.cloud->transport);
  }
  if (plan.needs("kubernetes")) {
    KubeSelection selection;
    selection.kubeconfig = pick(options.kubeconfig, assignment, "kubeconfig");
    selection.context = pick(options.context, assignment, "context");
    connection.kube = resolve_kubeconfig(selection);
    if (connection.kube->exec) {
      connection.exec = std::make_shared<ExecCredentialSource>(*connection.kube->exec, *connection.kube);
    }
    connection.kubernetes.base = make_kube_transport(*connection.kube, connection.exec);
    if (!connection.cloud) {
      if (options.offline) {
        connection.network.base = std::make_unique<OfflineTransport>();
      } else {
        connection.network.base = std::make_unique<CurlTransport>();
      }
    }
  }
  if (options.record_dir) {
    RecordingInfo info;
    info.recorded_at = std::chrono::system_clock::now();
    if (connection.cloud) {
      info.cloud = *connection.cloud;
      info.cassette = new_cassette_path(*options.record_dir, connection.cloud->name);
      connection.openstack.recorder = std::make_unique<RecordingTransport>(
          *connection.openstack.base, info.cassette, connection.cloud->secrets());
    }
    if (connection.kube) {
      const auto& kube = *connection.kube;
      info.kube = KubeRecording{kube.context,
                                kube.cluster_name,
                                kube.user_name,
                                kube.namespace_name,
                                kube.server,
                                kube.tls_server_name,
                                new_cassette_path(*options.record_dir, "kube-" + file_label(kube.context))};
      connection.kubernetes.recorder = std::make_unique<RecordingTransport>(
          *connection.kubernetes.base, info.kube->cassette, kube.secrets());
    }
    if (connection.network.present() && !options.offline) {
      info.network_cassette = new_cassette_path(*options.record_dir, "network");
      connection.network.recorder =
          std::make_unique<RecordingTransport>(*connection.network.base, info.network_cassette);
    }
    info.process_cassette = new_cassette_path(*options.record_dir, "processes");
    auto secrets = connection.cloud ? connection.cloud->secrets() : std::vector<std::string>{};
    if (connection.kube) {
      const auto kube_secrets = connection.kube->secrets();
      secrets.insert(secrets.end(), kube_secrets.begin(), kube_secrets.end());
    }
    connection.process_cassette =
        std::make_unique<RecordingProcessRunner>(*connection.local_processes, info.process_cassette, secrets);
    write_recording_info(*options.record_dir, info);
  }
  return connection;
}

/// The scope variables checks see: the scope's defaults, --assign, then the run options.
std::map<std::string, std::string> scope_variables(const Scope& scope, const RunCommandOptions& options,
                                                   const std::map<std::string, std::string>& assignment,
                                                   const Connection& connection) {
  std::map<std::string, std::string> variables = scope.var_defaults;
  for (const auto& [name, value] : assignment) variables[name] = value;
  if (connection.cloud) variables["os_cloud"] = connection.cloud->name;
  if (options.kubeconfig) variables["kubeconfig"] = *options.kubeconfig;
  // Only a context chosen on purpose is handed on (to sonobuoy); otherwise tools use the
  // kubeconfig's current context, as this run did.
  if (const auto chosen = pick(options.context, assignment, "context"); connection.kube && chosen)
    variables["context"] = *chosen;
  if (options.work_dir) variables["subject_root"] = *options.work_dir;
  if (options.execution_mode) variables["execution_mode"] = *options.execution_mode;
  if (options.offline) variables["offline"] = "true";
  if (const auto it = variables.find("execution_mode");
      it != variables.end() && it->second != "parallel" && it->second != "serial" && it->second != "dry") {
    throw UsageError(fmt::format("execution_mode '{}' is not parallel, serial or dry", it->second));
  }
  return variables;
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
std::vector<Reaped> remove_entries(Reaper& reaper, const std::vector<JournalEntry>& entries,
                                   const std::function<void(const JournalEntry&)>& on_gone,
                                   std::vector<std::string>& messages) {
  const CancellationScope own_scope(std::chrono::steady_clock::now() + cleanup_budget, nullptr);
  auto results = reaper.remove(entries, false, on_gone);
  for (const auto& reaped : results) {
    if (reaped.outcome == Reaped::Outcome::failed) {
      messages.push_back(fmt::format("could not delete {}", reaped.error));
    } else if (reaped.outcome == Reaped::Outcome::deleted) {
      messages.push_back(fmt::format("deleted {}", describe(reaped.entry)));
    }
  }
  return results;
}

// Opens this run's journal of one cloud or cluster (`key`), after deleting what earlier runs
// left there (killed, or a delete that failed).
std::unique_ptr<ResourceJournal> open_journal(const std::filesystem::path& directory, const std::string& key,
                                              const std::string& region, const std::string& project,
                                              Reaper& reaper, std::vector<std::string>& messages) {
  auto journal = std::make_unique<ResourceJournal>(directory, key, region, project, new_run_id());
  const auto leftovers = ResourceJournal::leftovers(directory, key);
  if (!leftovers.empty()) {
    messages.push_back(
        fmt::format("{} objects left by earlier runs in {}", leftovers.size(), journal->file().string()));
    remove_entries(
        reaper, leftovers,
        [&](const JournalEntry& gone) { ResourceJournal::close_leftovers(directory, key, {gone}); },
        messages);
  }
  ResourceJournal::compact(directory, key);  // closed entries need no record any more
  return journal;
}

// Whatever a testcase could not delete (or a shared VM still up) goes at the end of the run,
// also after Ctrl-C; what still stays is named with the command that removes it later.
void close_journal(ResourceJournal& journal, Reaper& reaper, const std::string& cleanup_command,
                   std::vector<std::string>& messages, std::vector<LeftObject>& left_behind) {
  if (journal.open_entries().empty()) return;
  const auto reaped = remove_entries(
      reaper, journal.open_entries(), [&](const JournalEntry& gone) { journal.closed(gone.seq); }, messages);
  for (const auto& entry : journal.open_entries()) {
    messages.push_back(fmt::format("left behind: {} (run `{}`)", describe(entry), cleanup_command));
    LeftObject left{entry.type, entry.name, entry.id, {}, cleanup_command};
    for (const auto& attempt : reaped) {
      if (attempt.entry.seq != entry.seq) continue;
      // The error names the object first ("backup NAME (id …): why"); keep the why.
      const auto named = describe(attempt.entry) + ": ";
      left.reason = attempt.error.starts_with(named) ? attempt.error.substr(named.size()) : attempt.error;
    }
    left_behind.push_back(std::move(left));
  }
}

}  // namespace

RunOutcome run_scope(const RunCommandOptions& options, const std::atomic<bool>& interrupted) {
  const auto started = std::chrono::steady_clock::now();
  // Everything is resolved before the first request: a wrong spec, option or clouds.yaml is
  // reported without touching the cloud. The scope and the standards load in parallel.
  const auto assignment = parse_assignments(options.assignments);
  auto scope_loading = std::async(std::launch::async, [&] {
    auto loaded = load_scope(options.scope_file);
    return options.include_recommended ? with_recommended_companions(std::move(loaded)) : loaded;
  });
  Registry registry;
  checks::register_all_checks(registry);
  const auto bindings = load_bindings(standards_dir(), registry);
  const auto scope = scope_loading.get();
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
  const auto plan = make_plan(scope, bindings, registry, plan_options);
  auto connection = recording ? replay(options, *recording, plan) : connect(options, assignment, plan);
  const auto variables = scope_variables(scope, options, assignment, connection);

  Report report;
  report.scope_uuid = scope.uuid;
  report.scope_name = scope.name;
  report.scope_url = scope.url;
  const std::string target_name = connection.cloud ? connection.cloud->name : connection.kube->context;
  report.subject = options.subject.value_or(target_name);
  report.checked_at = local_timestamp(std::chrono::system_clock::now());
  report.reference_date = plan_options.date;
  report.run_uuid = new_uuid();
  report.argv = options.argv;
  report.assignment = assignment;
  if (connection.cloud) report.assignment.try_emplace("os_cloud", connection.cloud->name);
  for (const char* name : {"kubeconfig", "subject_root", "execution_mode"}) {
    if (const auto it = variables.find(name); connection.kube && it != variables.end()) {
      report.assignment.try_emplace(name, it->second);
    }
  }
  report.sections = options.sections;
  report.forced_version = options.version;
  report.forced_tests = options.tests;
  report.tool_version = SCS_VERSION;
  report.cloud = options.replay_dir ? fmt::format("replay:{}", *options.replay_dir) : target_name;

  std::unique_ptr<OpenStack> openstack;
  if (connection.cloud)
    openstack = std::make_unique<OpenStack>(*connection.cloud, connection.openstack.get());
  std::unique_ptr<Kubernetes> kubernetes;
  if (connection.kube) {
    kubernetes = std::make_unique<Kubernetes>(*connection.kube, connection.kubernetes.get(), connection.exec);
  }
  CallStats preflight_calls;
  std::vector<TestcaseOutcome> outcomes;
  std::vector<std::string> cleanup_messages;
  std::unique_ptr<ResourceJournal> journal;
  std::unique_ptr<ResourceJournal> cluster_journal;
  std::unique_ptr<Reaper> reaper;
  std::unique_ptr<Reaper> cluster_reaper;
  const auto journal_dir = options.state_dir ? std::filesystem::path(*options.state_dir) : state_directory();
  try {
    // Wrong credentials, an unreachable API or the wrong roles are one clear error for the
    // whole run, not one ABORT per testcase.
    MeterScope meter(preflight_calls);
    if (openstack) {
      const auto& token = openstack->token();
      check_roles(token, *connection.cloud, options.allow_privileged_roles);
      if (!options.replay_dir) {
        reaper = std::make_unique<ResourceReaper>(*openstack);
        journal = open_journal(journal_dir, connection.cloud->name, connection.cloud->region_name,
                               token.project_id, *reaper, cleanup_messages);
      }
    }
    if (kubernetes) {
      kubernetes->preflight();
      if (!options.replay_dir) {
        cluster_reaper = std::make_unique<KubeReaper>(*kubernetes);
        cluster_journal = open_journal(journal_dir, cluster_journal_key(*connection.kube),
                                       connection.kube->context, "", *cluster_reaper, cleanup_messages);
      }
    }
  } catch (const Error& error) {
    report.aborted_run = error.what();
    report.aborted_run_exit = error.exit_code();
  }
  if (!report.aborted_run) {
    Transport* transport = connection.cloud               ? &connection.openstack.get()
                           : connection.network.present() ? &connection.network.get()
                                                          : nullptr;
    Context context(openstack.get(), transport, [now, replayed = recording.has_value()] {
      return replayed ? now : std::chrono::system_clock::now();
    });
    context.with_kubernetes(kubernetes.get())
        .with_variables(variables)
        .with_journal(journal.get())
        .with_cluster_journal(cluster_journal.get())
        .with_processes(connection.processes());
    // A replay creates nothing (its names and ids would not match the recording): the testcases
    // that create resources are reported as not replayed instead of failing on a missing answer.
    std::vector<PlannedTestcase> runnable;
    for (const auto& planned : plan.runnable) {
      if (recording && planned.creates_resources) {
        outcomes.push_back(
            {planned.id,
             planned.standard,
             {},
             {},
             {},
             true,
             Result::abort("not replayed: this testcase creates resources, and a replay creates none "
                           "(run against the cloud, or use --read-only to leave it out)"),
             {},
             {}});
      } else {
        runnable.push_back(planned);
      }
    }
    auto ran = run_testcases(runnable, context, {options.parallel, &interrupted});
    outcomes.insert(outcomes.end(), std::make_move_iterator(ran.begin()), std::make_move_iterator(ran.end()));
    if (journal) {
      close_journal(*journal, *reaper,
                    fmt::format("scs-conformance cleanup --os-cloud {}", connection.cloud->name),
                    cleanup_messages, report.left_behind);
    }
    if (cluster_journal) {
      close_journal(
          *cluster_journal, *cluster_reaper,
          fmt::format("scs-conformance cleanup {}--context {}",
                      options.kubeconfig ? fmt::format("--kubeconfig {} ", *options.kubeconfig) : "",
                      connection.kube->context),
          cleanup_messages, report.left_behind);
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

namespace {

int run_one_scope(const RunCommandOptions& options, const std::atomic<bool>& interrupted) {
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
  return certify_run_report(options, report, static_cast<int>(code), std::cout, std::cerr);
}

/// Orders exit codes by what a caller most needs to know.
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

/// report.yaml → report-scs-compatible-kaas.yaml
std::optional<std::string> with_suffix(const std::optional<std::string>& path, const std::string& suffix) {
  if (!path) return path;
  const std::filesystem::path file(*path);
  return (file.parent_path() / (file.stem().string() + "-" + suffix + file.extension().string())).string();
}

}  // namespace

int run_command(const RunCommandOptions& options, const std::atomic<bool>& interrupted) {
  check_run_certify_options(options);
  if (options.extra_scope_files.empty()) return run_one_scope(options, interrupted);
  if (options.replay_dir)
    throw UsageError("--replay takes one --scope: a recording holds the run of one scope");
  std::vector<std::string> files{options.scope_file};
  files.insert(files.end(), options.extra_scope_files.begin(), options.extra_scope_files.end());
  int worst = 0;
  bool not_uploaded = false;
  for (const auto& file : files) {
    if (interrupted.load()) break;
    const std::string stem = std::filesystem::path(file).stem().string();
    RunCommandOptions one = options;
    one.scope_file = file;
    one.extra_scope_files.clear();
    one.output_yaml = with_suffix(options.output_yaml, stem);
    one.output_json = with_suffix(options.output_json, stem);
    one.output_junit = with_suffix(options.output_junit, stem);
    one.output_markdown = with_suffix(options.output_markdown, stem);
    if (options.record_dir) one.record_dir = (std::filesystem::path(*options.record_dir) / stem).string();
    const auto [code, upload_failed] = split_run_code(run_one_scope(one, interrupted));
    not_uploaded = not_uploaded || upload_failed;
    if (severity(code) > severity(worst)) worst = code;
  }
  return interrupted.load() ? static_cast<int>(ExitCode::interrupted) : join_run_code({worst, not_uploaded});
}

}  // namespace scs
