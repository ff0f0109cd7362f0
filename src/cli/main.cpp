// scs-conformance: the command-line front end. Parses arguments, dispatches to a sub-command,
// and is the one place where errors become a one-line message and an exit code.
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "checks/checks.hpp"
#include "cli/batch_command.hpp"
#include "cli/certify_commands.hpp"
#include "cli/cleanup_command.hpp"
#include "cli/data_paths.hpp"
#include "cli/diff_command.hpp"
#include "cli/flavor_name_command.hpp"
#include "cli/list_command.hpp"
#include "cli/man_page.hpp"
#include "cli/refresh_data_command.hpp"
#include "cli/run_command.hpp"
#include "cli/version_text.hpp"
#include "core/data_dir.hpp"
#include "core/errors.hpp"
#include "core/exit_codes.hpp"
#include "run/plan.hpp"
#include "spec/spec_cache.hpp"

namespace {

// Set by SIGINT/SIGTERM: the runner starts nothing new, the report is still written. A second
// signal ends the process at once (the handler resets itself to the default).
std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int signal) {
  interrupted.store(true);
  std::signal(signal, SIG_DFL);
}

std::string today() {
  const auto now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return fmt::format("{:04}-{:02}-{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

struct ScopeAndBindings {
  scs::Scope scope;
  scs::Registry registry;
  scs::Bindings bindings;
};

std::unique_ptr<ScopeAndBindings> load_everything(const std::string& scope_file) {
  auto loaded = std::make_unique<ScopeAndBindings>();
  const auto spec_cache = scs::spec_cache_directory();
  loaded->scope = scs::load_scope_cached(scope_file, spec_cache);
  scs::checks::register_all_checks(loaded->registry);
  loaded->bindings = scs::load_bindings(scs::locate_standards_dir(), loaded->registry, spec_cache);
  return loaded;
}

void add_run_command(CLI::App& app, scs::RunOptions& options, std::vector<std::string>& scopes) {
  auto* run = app.add_subcommand(
      "run", "Check a cloud or a Kubernetes cluster against a certificate scope and write the reports");
  run->add_option("--scope", scopes,
                  "Scope file in the SCS format (default: SCS-compatible IaaS); given again, the subject is "
                  "certified against each scope, one report per scope (file names get -<scope>)");
  run->add_option("--os-cloud,-c", options.os_cloud, "Cloud name in clouds.yaml (default: $OS_CLOUD)");
  run->add_option("--subject,-s", options.subject,
                  "Name of the subject in the report (default: the cloud name, or the kube context)");
  run->add_option("--date,-d", options.date,
                  "Reference date YYYY-MM-DD for the scope timeline (default: today)");
  run->add_option("--version,-V", options.version, "Check exactly this scope version");
  run->add_option("--tests,-t", options.tests, "Only testcases whose id matches this regex (at its start)");
  run->add_option("--sections,-S", options.sections, "Only testcases in these sections (comma-separated)")
      ->delimiter(',');
  run->add_option("--assign,-a", options.assignments, "Scope variable KEY=VALUE (e.g. os_cloud=mycloud)");
  run->add_option("--output,-o", options.output_yaml, "Write the YAML report for the SCS compliance monitor");
  run->add_option("--json", options.output_json, "Write the full report as JSON");
  run->add_option("--junit", options.output_junit, "Write JUnit XML");
  run->add_option("--markdown", options.output_markdown,
                  "Write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)");
  run->add_option("--html", options.output_html,
                  "Write one self-contained HTML page (no network, no JavaScript) for a person to read");
  run->add_option("--record", options.record_dir, "Record every API exchange (secrets removed) into DIR");
  run->add_option("--replay", options.replay_dir, "Run offline from a recording made with --record");
  run->add_option("--kubeconfig", options.kubeconfig,
                  "Kubeconfig file of the cluster (default: $KUBECONFIG, ~/.kube/config, in-cluster)");
  run->add_option("--context", options.context, "Kubeconfig context (default: its current-context)");
  run->add_option("--work-dir", options.work_dir,
                  "Directory for long-running tools' results (scope variable subject_root)");
  run->add_option("--execution-mode", options.execution_mode,
                  "parallel, serial or dry (scope variable execution_mode; default: the scope's)")
      ->check(CLI::IsMember({"parallel", "serial", "dry"}));
  run->add_flag("--offline", options.offline,
                "No network access except to the cloud or cluster under test (bundled data only)");
  run->add_option("--parallel", options.parallel,
                  "Read-only testcases run at once (default 64: all of a scope, in practice; each collection "
                  "is still asked for once, so the cloud sees a handful of requests at a time)")
      ->check(CLI::Range(1u, 64u));
  run->add_option("--budget", options.budget, "Time budget of one testcase in seconds (default 120)");
  run->add_flag("--read-only", options.read_only,
                "Leave out the testcases that create resources (VM, volumes, secrets); they count as "
                "not run, so the verdict is at best incomplete");
  run->add_flag("--include-recommended", options.include_recommended,
                "Also run the recommended testcases that no version includes any more (the '-rec' "
                "modules); they are reported beside the verdict and never decide it");
  run->add_flag("--include-unscoped", options.include_unscoped,
                "Also run the testcases the scope defines but no module lists (e.g. scs-0101-rngd), "
                "without parameters; they are reported beside the verdict and never decide it");
  run->add_option("--attest", options.attestation_files,
                  "YAML file of attestations: results of the scope's manual testcases, checked by a person, "
                  "with evidence URL, who attested, and validity dates (see examples/attestations.yaml); "
                  "repeatable. Each manual testcase is reported apart, MISSING without an attestation "
                  "valid on the reference date; an attestation of an automated testcase is refused");
  run->add_flag("--quiet,-q", options.quiet, "Print nothing but errors");
  run->add_flag("--allow-privileged-roles", options.allow_privileged_roles,
                "Run although the token has the admin or manager role (refused by default)");
  run->add_option("--admin-cloud", options.admin_cloud,
                  "clouds.yaml entry of an admin account for the testcases that need one (scs-0302 sets up "
                  "domains and users); used only with --allow-privileged-roles, else they ABORT");
  run->add_flag_callback(
      "--no-token-cache", [&options] { options.token_cache = false; },
      "Ask Keystone for a new token instead of reusing the one kept from an earlier run (in "
      "$XDG_CACHE_HOME/scs-conformance)");
  run->add_option("--sign-key", options.sign_key,
                  "Sign the YAML report (-o) with this SSH key into REPORT.sig, as `sign` does");
  run->add_option(
         "--upload", options.upload_url,
         "Upload the signed YAML report to the compliance monitor at URL (default: the official one); "
         "credentials as for `upload`")
      ->expected(0, 1);
  run->add_option("--monitor-credentials", options.monitor_credentials,
                  "ACCOUNT:PASSWORD file for --upload (default: $SCS_MONITOR_USER/$SCS_MONITOR_PASSWORD)");
  run->get_option("--record")->excludes(run->get_option("--replay"));
}

void add_certify_commands(CLI::App& app, scs::SignCommandOptions& sign, scs::VerifyCommandOptions& verify,
                          scs::UploadCommandOptions& upload) {
  auto* sign_command = app.add_subcommand(
      "sign", "Sign a report for the compliance monitor (sshsig, namespace 'report'; writes REPORT.sig)");
  sign_command->add_option("report", sign.report, "The report file (YAML or JSON)")->required();
  sign_command
      ->add_option("--key,-k", sign.key,
                   "SSH private key (unencrypted Ed25519 natively; others, keys with a passphrase "
                   "and ssh-agent's public key file through ssh-keygen)")
      ->required();
  sign_command->add_option("--output,-o", sign.output, "Where to write the signature (default: REPORT.sig)");

  auto* verify_command = app.add_subcommand(
      "verify",
      "Check a report's signature against trusted keys, and that the report is one the monitor reads");
  verify_command->add_option("report", verify.report, "The report file")->required();
  verify_command->add_option("--sig", verify.signature, "The signature (default: REPORT.sig)");
  auto* allowed = verify_command->add_option("--allowed-signers", verify.allowed_signers,
                                             "ssh-keygen allowed-signers file of trusted keys");
  auto* public_key =
      verify_command->add_option("--public-key", verify.public_key, "The one trusted public key (.pub)");
  allowed->excludes(public_key);

  auto* upload_command = app.add_subcommand(
      "upload", "Upload signed reports to the SCS compliance monitor (REPORT.sig beside each report)");
  upload_command->add_option("reports", upload.reports, "Report files")->required();
  upload_command->add_option("--monitor", upload.monitor_url, "Monitor URL")->capture_default_str();
  upload_command->add_option("--credentials", upload.credentials_file,
                             "File with ACCOUNT:PASSWORD (or the official tokenfile), not readable by others "
                             "(default: $SCS_MONITOR_USER and $SCS_MONITOR_PASSWORD)");
  upload_command->add_option("--sign-key", upload.sign_key, "Sign each report with this key first");
  upload_command->add_option("--content-type", upload.content_type,
                             "Content type (default: application/x-signed-yaml, or -json for a JSON report)");
}

}  // namespace

int main(int argc, char** argv) {
  // One malloc arena for all threads: the run's threads mostly wait for the network, and an
  // arena per thread (glibc's default, up to 8 per core) costs ~0.6 MiB of peak RSS for nothing.
  mallopt(M_ARENA_MAX, 1);
  CLI::App app{"scs-conformance: checks clouds against the Sovereign Cloud Stack (SCS) standards"};
  app.set_version_flag(
      "--version", [] { return scs::version_text(today()); },
      "Print the version and the bundled scopes' versions and dates, then exit");
  app.footer(scs::exit_code_help());
  app.require_subcommand(1);

  scs::RunOptions run_options;
  // The default scopes are looked up inside the try below: a missing standards directory is a
  // one-line error there, and commands that need none (sign, verify, …) never look.
  std::vector<std::string> run_scopes;
  add_run_command(app, run_options, run_scopes);

  std::string list_scope;
  std::string list_date = today();
  auto* list = app.add_subcommand("list", "List a scope's versions and testcases, and which are implemented");
  list->add_option("--scope", list_scope, "Scope file (default: SCS-compatible IaaS)");
  list->add_option("--date,-d", list_date, "Date for the versions' validity (default: today)");

  scs::BatchCommandOptions batch_options;
  auto* batch =
      app.add_subcommand("batch", "Check many subjects (a subjects file), a few at a time, with an overview");
  batch->add_option("subjects", batch_options.subjects_file, "The subjects file (YAML; see the README)")
      ->required();
  batch->add_option("--out", batch_options.out_dir, "Where the reports and the overview go")
      ->capture_default_str();
  batch->add_option("--jobs,-j", batch_options.jobs, "Subjects checked at a time")->capture_default_str();

  scs::DiffCommandOptions diff_options;
  auto* diff =
      app.add_subcommand("diff", "What changed between two reports of the same scope (YAML or JSON)");
  diff->add_option("old", diff_options.old_report, "The earlier report")->required();
  diff->add_option("new", diff_options.new_report, "The later report")->required();
  diff->add_option("--format", diff_options.format, "text (default), markdown or json");
  diff->add_option("--fail-on", diff_options.fail_on,
                   "new-failures: exit 1 when something got worse (new failures, newly aborted testcases, a "
                   "version's verdict worse); never (default)");

  std::string explain_scope;
  std::string explain_id;
  auto* explain = app.add_subcommand("explain", "What a testcase checks, why, and how to fix a failure");
  explain->add_option("id", explain_id, "Testcase id, e.g. scs-0103-flavor-2v-4")->required();
  explain->add_option("--scope", explain_scope, "Scope file (default: SCS-compatible IaaS)");

  std::vector<std::string> flavor_names;
  bool flavor_json = false;
  auto* flavor = app.add_subcommand("flavor-name", "Check and describe SCS flavor names offline");
  flavor->add_option("names", flavor_names, "Flavor names, or - to read them from stdin (one per line)")
      ->required();
  flavor->add_flag("--json", flavor_json, "One JSON object per name and line");

  scs::SignCommandOptions sign_options;
  scs::VerifyCommandOptions verify_options;
  scs::UploadCommandOptions upload_options;
  add_certify_commands(app, sign_options, verify_options, upload_options);

  scs::CleanupOptions cleanup_options;
  auto* cleanup = app.add_subcommand(
      "cleanup", "Delete what earlier runs left behind (journal entries and names with the tool's prefix)");
  cleanup->add_option("--os-cloud,-c", cleanup_options.os_cloud,
                      "Cloud name in clouds.yaml (default: $OS_CLOUD)");
  cleanup->add_option("--kubeconfig", cleanup_options.kubeconfig,
                      "A cluster's kubeconfig (default: $KUBECONFIG, ~/.kube/config); cleans the cluster");
  cleanup->add_option("--context", cleanup_options.context,
                      "The kubeconfig context (default: current-context); cleans the cluster");
  cleanup->add_option("--state-dir", cleanup_options.state_dir,
                      "Where the journals are (default: $SCS_STATE_DIR, ~/.local/state/scs-conformance)");
  cleanup->add_flag("--dry-run,-n", cleanup_options.dry_run, "Only list what would be deleted");

  scs::RefreshDataOptions refresh_options;
  refresh_options.date = today();
  auto* refresh = app.add_subcommand(
      "refresh-data",
      "Regenerate scs-0210's Kubernetes version data from endoflife.date and the Kubernetes CVE feed, each "
      "entry with its source and retrieval date");
  refresh->add_option("--output,-o", refresh_options.output,
                      "Where to write the data (written atomically; default: standard output)");
  refresh->add_option("--input", refresh_options.input,
                      "The data whose CVEs and older patch releases are kept (default: the bundled "
                      "standards/data/k8s-version-data.json)");
  auto* refresh_replay = refresh->add_option(
      "--replay", refresh_options.replay,
      "Answer from a cassette (file or directory, e.g. made with --record) instead of the network");
  auto* refresh_record =
      refresh->add_option("--record", refresh_options.record, "Also record the exchanges into DIR");
  refresh_replay->excludes(refresh_record);
  refresh->add_option("--date,-d", refresh_options.date,
                      "Retrieval date stamped on the new entries, YYYY-MM-DD (default: today)");

  // The build writes the manual page from the definitions above (hidden: not for users).
  if (argc == 2 && std::string_view(argv[1]) == "--help-man") {
    std::cout << scs::render_man_page(app, SCS_VERSION, SCS_RELEASE_DATE);
    return 0;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::cerr << "scs-conformance: error: " << error.what() << " (see --help)\n";
    return static_cast<int>(scs::ExitCode::usage);
  }

  try {
    if (app.got_subcommand("run")) {
      run_options.argv.assign(argv + 1, argv + argc);
      if (app.get_subcommand("run")->count("--upload") > 0 && !run_options.upload_url)
        run_options.upload_url = std::string(scs::default_monitor_url);
      if (!run_scopes.empty()) {
        run_options.scope_file = run_scopes.front();
        run_options.extra_scope_files.assign(run_scopes.begin() + 1, run_scopes.end());
      } else {
        run_options.scope_file = scs::default_scope_file();
      }
      run_options.colour = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
      return scs::run_command(run_options, interrupted);
    }
    if (app.got_subcommand("sign")) return scs::sign_command(sign_options, std::cout);
    if (app.got_subcommand("verify")) return scs::verify_command(verify_options, std::cout, std::cerr);
    if (app.got_subcommand("upload")) return scs::upload_command(upload_options, std::cout, std::cerr);
    if (app.got_subcommand("cleanup")) return scs::cleanup_command(cleanup_options, std::cout);
    if (app.got_subcommand("refresh-data")) {
      if (refresh_options.input.empty())
        refresh_options.input = (scs::locate_standards_dir() / "data" / "k8s-version-data.json").string();
      return scs::refresh_data_command(refresh_options, std::cout);
    }
    if (app.got_subcommand("batch")) {
      batch_options.standards_dir = scs::locate_standards_dir().string();
      batch_options.progress = isatty(STDERR_FILENO) != 0 && std::getenv("CI") == nullptr;
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
      return scs::batch_command(batch_options, interrupted, std::cerr);
    }
    if (app.got_subcommand("diff")) {
      // Only a YAML report needs its scope (for the verdicts per version); without the standards
      // directory the diff still compares testcases.
      try {
        diff_options.scopes_dir = (scs::locate_standards_dir() / "scopes").string();
      } catch (const scs::ConfigError&) {
      }
      return scs::diff_command(diff_options, std::cout);
    }
    if (app.got_subcommand("list")) {
      const auto loaded = load_everything(list_scope.empty() ? scs::default_scope_file() : list_scope);
      scs::print_scope_listing(loaded->scope, loaded->bindings, list_date, std::cout);
      return 0;
    }
    if (app.got_subcommand("explain")) {
      const auto loaded = load_everything(explain_scope.empty() ? scs::default_scope_file() : explain_scope);
      scs::print_explanation(loaded->scope, loaded->bindings, loaded->registry, scs::locate_standards_dir(),
                             explain_id, std::cout);
      return 0;
    }
    return scs::run_flavor_name_command(flavor_names, flavor_json, std::cout, std::cin);
  } catch (const scs::Error& error) {
    std::cerr << "scs-conformance: error: " << error.what() << '\n';
    return static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    std::cerr << "scs-conformance: internal error: " << error.what() << '\n';
    return static_cast<int>(scs::ExitCode::internal_error);
  }
}
