#include "run/session.hpp"

#include <stdlib.h>

#include <fmt/format.h>

#include <algorithm>

#include "clients/http/curl_transport.hpp"
#include "clients/kubernetes/kube_reaper.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_reaper.hpp"
#include "clients/openstack/token_cache.hpp"
#include "core/cache_dir.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"
#include "run/early_token.hpp"
#include "run/journal_lifecycle.hpp"
#include "run/plan.hpp"
#include "run/role_check.hpp"
#include "run/stamps.hpp"
#include "spec/spec.hpp"

namespace scs {

namespace {

std::optional<std::string> pick(const std::optional<std::string>& option,
                                const std::map<std::string, std::string>& assignment, const char* variable) {
  if (option) return option;
  if (const auto it = assignment.find(variable); it != assignment.end() && !it->second.empty())
    return it->second;
  return std::nullopt;
}

std::map<std::string, std::string> scope_variables(const Scope& scope, const RunOptions& options,
                                                   const std::map<std::string, std::string>& assignment,
                                                   const Connection& connection,
                                                   const SubjectSelection& subject) {
  std::map<std::string, std::string> variables = scope.var_defaults;
  for (const auto& [name, value] : assignment) variables[name] = value;
  if (connection.cloud) variables["os_cloud"] = connection.cloud->name;
  if (options.kubeconfig) variables["kubeconfig"] = *options.kubeconfig;
  // Only a context chosen on purpose is handed on (to sonobuoy); otherwise tools use the
  // kubeconfig's current context, as this run did.
  if (connection.kube && subject.context) variables["context"] = *subject.context;
  if (options.work_dir) variables["subject_root"] = *options.work_dir;
  if (options.execution_mode) variables["execution_mode"] = *options.execution_mode;
  if (options.offline) variables["offline"] = "true";
  if (const auto it = variables.find("execution_mode");
      it != variables.end() && it->second != "parallel" && it->second != "serial" && it->second != "dry") {
    throw UsageError(fmt::format("execution_mode '{}' is not parallel, serial or dry", it->second));
  }
  return variables;
}

// A private, empty directory for a replay's journal: a replay must never read or change the
// journal of the real cloud it was recorded from.
std::filesystem::path make_scratch_directory() {
  auto pattern = (std::filesystem::temp_directory_path() / "scs-conformance-replay-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw Error(fmt::format("cannot create a scratch directory for the replay's journal in {}",
                            std::filesystem::temp_directory_path().string()));
  }
  return pattern;
}

void append(std::vector<std::string>& to, std::vector<std::string> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

Session::Session(const RunOptions& options, const std::map<std::string, std::string>& assignment,
                 const Scope& scope, const Plan& plan, std::optional<RecordingInfo> recording,
                 std::unique_ptr<EarlyToken> early)
    : options_(options),
      subject_{pick(options.os_cloud, assignment, "os_cloud"),
               pick(options.kubeconfig, assignment, "kubeconfig"),
               pick(options.context, assignment, "context")} {
  if (recording) {
    recorded_at_ = recording->recorded_at;
    run_id_ = recording->run_id;
    connection_ = connect_replay(*options.replay_dir, *recording, plan);
  } else {
    run_id_ = new_run_id();
    std::optional<std::filesystem::path> record_dir;
    if (options.record_dir) record_dir = *options.record_dir;
    connection_ = connect_live(subject_, plan, record_dir, options.offline, run_id_);
  }
  target_name_ = connection_.cloud ? connection_.cloud->name : connection_.kube->context;
  variables_ = scope_variables(scope, options, assignment, connection_, subject_);
  if (early && connection_.cloud && !options.record_dir && early->cloud.name == connection_.cloud->name &&
      early->cloud.source_file == connection_.cloud->source_file) {
    // The client that has been asking for the token while the specs loaded, with its transport.
    connection_.openstack = std::move(early->leg);
    openstack_ = std::move(early->openstack);
    token_cache_ = std::move(early->cache);
  } else if (connection_.cloud) {
    openstack_ = std::make_unique<OpenStack>(*connection_.cloud, connection_.openstack.get());
    // A recording must hold the authentication its replay answers; a replay has no Keystone.
    if (options.token_cache && !recording && !options.record_dir) {
      // Without HOME and XDG_CACHE_HOME there is nowhere to keep tokens, so none are kept.
      if (const auto directory = cache_directory()) {
        token_cache_ = std::make_unique<TokenCache>(*directory);
        openstack_->use_token_cache(*token_cache_);
      }
    }
  }
  // Kept either way: an early request the plan did not need ends in the background.
  early_ = std::move(early);
  if (connection_.kube) {
    kubernetes_ =
        std::make_unique<Kubernetes>(*connection_.kube, connection_.kubernetes.get(), connection_.exec);
  }
  Transport* transport = connection_.cloud               ? &connection_.openstack.get()
                         : connection_.network.present() ? &connection_.network.get()
                                                         : nullptr;
  context_ = std::make_unique<Context>(openstack_.get(), transport, [recorded_at = recorded_at_] {
    return recorded_at ? *recorded_at : std::chrono::system_clock::now();
  });
  context_->with_kubernetes(kubernetes_.get())
      .with_variables(variables_)
      .with_processes(connection_.processes());
  // The admin account is connected only when a testcase needs it and both options say so; a
  // replay never has one (its requests are neither recorded nor replayed).
  const auto admin_cloud = pick(options.admin_cloud, assignment, "admin_cloud");
  const bool needs_admin = std::any_of(plan.runnable.begin(), plan.runnable.end(),
                                       [](const auto& planned) { return planned.required_role == "admin"; });
  if (needs_admin && admin_cloud && options.allow_privileged_roles && !recording) {
    CloudSelection selection;
    selection.cloud = admin_cloud;
    admin_cloud_ = resolve_cloud(selection);
    admin_transport_ = std::make_unique<CurlTransport>(admin_cloud_->transport);
    admin_openstack_ = std::make_unique<OpenStack>(*admin_cloud_, *admin_transport_);
  }
}

Session::~Session() {
  // A confirmation still running uses the OpenStack client: let it finish first.
  if (confirmation_.valid()) confirmation_.wait();
  // The journals write into the scratch directory: close them before removing it.
  admin_journal_.reset();  // before journal_, which holds the run's lock for both
  journal_.reset();
  cluster_journal_.reset();
  if (!scratch_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_dir_, ignored);
  }
}

std::string Session::origin() const {
  return options_.replay_dir ? fmt::format("replay:{}", *options_.replay_dir) : target_name_;
}

std::map<std::string, std::string> Session::report_assignment(
    const std::map<std::string, std::string>& assignment) const {
  auto recorded = assignment;
  if (connection_.cloud) recorded.try_emplace("os_cloud", connection_.cloud->name);
  for (const char* name : {"kubeconfig", "subject_root", "execution_mode"}) {
    if (const auto it = variables_.find(name); connection_.kube && it != variables_.end()) {
      recorded.try_emplace(name, it->second);
    }
  }
  return recorded;
}

void Session::open(const std::set<std::string>& required_roles, bool confirm_now,
                   std::vector<std::string>& messages, std::vector<std::string>& warnings) {
  std::optional<VirtualWaitScope> virtual_waits;
  if (replaying()) virtual_waits.emplace();
  const bool journaled = replays_creations();
  std::filesystem::path journal_dir;
  if (!journaled) {
    // A replay of a recording without run id: its creating testcases are not run, nothing is journaled.
  } else if (replaying()) {
    journal_dir = scratch_dir_ = make_scratch_directory();
  } else {
    journal_dir = options_.state_dir ? std::filesystem::path(*options_.state_dir) : state_directory();
  }
  if (openstack_) {
    // Every token is checked before it is used: a new one, a cached one, a renewed one.
    openstack_->set_token_check([cloud = connection_.cloud->name, required_roles,
                                 allow = options_.allow_privileged_roles](const TokenInfo& token) {
      check_roles(token, cloud, required_roles, allow);
    });
    const auto& token = [&]() -> const TokenInfo& {
      try {
        return openstack_->token();
      } catch (...) {
        if (token_cache_) append(warnings, token_cache_->take_warnings());
        throw;
      }
    }();
    if (token_cache_) append(warnings, token_cache_->take_warnings());
    // A token that arrived before the check was set (the early request) is checked here.
    check_roles(token, connection_.cloud->name, required_roles, options_.allow_privileged_roles);
    if (early_ && early_->done.valid()) early_->done.wait();  // its calls are counted by now
    if (openstack_->token_source() == TokenSource::cached) {
      if (confirm_now) {
        openstack_->confirm_cached_token();
      } else {
        // Confirmed beside the first reads: its verdicts are only reported once it holds.
        confirmation_ =
            std::async(std::launch::async, [openstack = openstack_.get(), &calls = confirmation_calls_] {
              const MeterScope meter(calls);
              openstack->confirm_cached_token();
            });
      }
    }
    if (journaled) {
      reaper_ = std::make_unique<ResourceReaper>(*openstack_);
      journal_ = open_journal(journal_dir, cloud_journal_key(*connection_.cloud),
                              connection_.cloud->region_name, token.project_id, run_id_, *reaper_, messages);
      context_->with_journal(journal_.get());
    }
  }
  if (admin_openstack_) {
    // The admin account must be one: a member's token would make every admin testcase fail
    // for the wrong reason.
    const auto& token = admin_openstack_->token();
    check_roles(token, admin_cloud_->name, {"admin"}, true);
    admin_context_ = std::make_unique<Context>(*context_);
    ResourceJournal* journal = nullptr;
    if (journaled) {
      admin_reaper_ = std::make_unique<ResourceReaper>(*admin_openstack_);
      admin_journal_ = open_journal(journal_dir, cloud_journal_key(*admin_cloud_), admin_cloud_->region_name,
                                    token.project_id, run_id_, *admin_reaper_, messages,
                                    /*hold_run_lock=*/false);  // the subject's journal holds it
      journal = admin_journal_.get();
    }
    admin_context_->with_admin(admin_openstack_.get(), journal, admin_transport_.get());
  }
  if (kubernetes_) {
    kubernetes_->preflight();
    if (journaled) {
      cluster_reaper_ = std::make_unique<KubeReaper>(*kubernetes_);
      cluster_journal_ = open_journal(journal_dir, cluster_journal_key(*connection_.kube),
                                      connection_.kube->context, "", run_id_, *cluster_reaper_, messages);
      context_->with_cluster_journal(cluster_journal_.get());
    }
  }
}

CallStats Session::background_calls() {
  if (confirmation_.valid()) confirmation_.wait();
  if (early_ && early_->done.valid()) early_->done.wait();
  CallStats calls = confirmation_calls_;
  if (early_) calls += early_->calls;  // also a request the plan turned out not to need
  return calls;
}

void Session::confirm_token() {
  if (confirmation_.valid()) confirmation_.get();
}

std::string Session::token_source() const {
  if (!openstack_ || replaying()) return {};
  const auto source = openstack_->token_source();
  return source == TokenSource::none ? std::string() : std::string(to_string(source));
}

void Session::close(std::vector<std::string>& messages, std::vector<LeftObject>& left_behind) {
  std::optional<VirtualWaitScope> virtual_waits;
  if (replaying()) virtual_waits.emplace();
  if (journal_) {
    close_journal(*journal_, *reaper_,
                  fmt::format("scs-conformance cleanup --os-cloud {}", connection_.cloud->name), messages,
                  left_behind);
  }
  if (admin_journal_) {
    close_journal(*admin_journal_, *admin_reaper_,
                  fmt::format("scs-conformance cleanup --os-cloud {}", admin_cloud_->name), messages,
                  left_behind);
  }
  if (cluster_journal_) {
    close_journal(
        *cluster_journal_, *cluster_reaper_,
        fmt::format("scs-conformance cleanup {}--context {}",
                    options_.kubeconfig ? fmt::format("--kubeconfig {} ", *options_.kubeconfig) : "",
                    connection_.kube->context),
        messages, left_behind);
  }
}

}  // namespace scs
