#pragma once

#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/call_meter.hpp"
#include "core/context.hpp"
#include "reports/report.hpp"
#include "run/connection.hpp"
#include "run/recording_info.hpp"
#include "run/run_options.hpp"

namespace scs {

struct Plan;
struct Scope;
class OpenStack;
class Kubernetes;
class Reaper;
class ResourceJournal;
class TokenCache;
struct EarlyToken;

/// The subject under test, connected for one run: built from the resolved options, it owns the
/// transports (live, recorded, replayed, offline), the OpenStack and Kubernetes clients, the
/// resource journals with their reapers, and the Context the checks see. It is the only place
/// that knows the cloud's or the cluster context's name.
///
/// Lifecycle: construct (resolves clouds.yaml/kubeconfig, no request) → open() (authenticates,
/// checks roles, removes what earlier runs left) → run the checks on context() → close()
/// (deletes what the testcases left, names what stays).
class Session {
 public:
  /// Connects what `plan` needs: the live subject (recorded when options.record_dir is set), or
  /// `recording` (read from options.replay_dir). Throws UsageError/ConfigError before any request.
  /// `early`, when given, is the cloud's client whose token is already on its way
  /// (start_early_token()); the session uses it when the plan needs that cloud.
  Session(const RunOptions& options, const std::map<std::string, std::string>& assignment, const Scope& scope,
          const Plan& plan, std::optional<RecordingInfo> recording,
          std::unique_ptr<EarlyToken> early = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The cloud's name, else the cluster's kubeconfig context: the subject's default name.
  [[nodiscard]] const std::string& target_name() const { return target_name_; }

  /// Where the answers come from, for the report: the target, or "replay:DIR".
  [[nodiscard]] std::string origin() const;

  /// The scope variables checks see: the scope's defaults, --assign, then the run options.
  [[nodiscard]] const std::map<std::string, std::string>& variables() const { return variables_; }

  /// The assignment the report records: what --assign gave, plus the subject's variables.
  [[nodiscard]] std::map<std::string, std::string> report_assignment(
      const std::map<std::string, std::string>& assignment) const;

  /// Authenticates, checks the token's roles against `required_roles` (OpenStack), reaches the
  /// cluster, and opens the journals after deleting earlier runs' leftovers (`messages` says
  /// what). Wrong credentials, an unreachable API or the wrong roles throw Error: one clear
  /// error for the whole run, not one ABORT per testcase.
  /// A token from the cache is confirmed with Keystone (today's roles, still valid): at once
  /// when `confirm_now` (before a run that creates resources), else beside the first requests,
  /// and confirm_token() waits for it. `warnings` receives what the token cache refused.
  void open(const std::set<std::string>& required_roles, bool confirm_now, std::vector<std::string>& messages,
            std::vector<std::string>& warnings);

  /// Waits for the confirmation of a cached token open() started; throws Error when Keystone
  /// or the role check refused it (the run's results are then not to be trusted).
  void confirm_token();

  /// The API calls made on background threads: the early token request and the confirmation
  /// of a cached token (waits for them).
  [[nodiscard]] CallStats background_calls();

  /// "new", "cached" or "renewed": where the OpenStack token came from; empty without one,
  /// and for a replay.
  [[nodiscard]] std::string token_source() const;

  /// What checks may touch; valid after open().
  Context& context() { return *context_; }
  /// The same with the admin account, for testcases with required_role admin; null unless the
  /// plan has such testcases and the run was given --admin-cloud and --allow-privileged-roles.
  Context* admin_context() { return admin_context_.get(); }

  /// True for a replay: the clock stands at the recording's instant, and waits do not wait.
  [[nodiscard]] bool replaying() const { return recorded_at_.has_value(); }

  /// True unless this is a replay of a recording that kept no run id (made by an older
  /// version): then the names the testcases give would not match, so they cannot be replayed.
  /// A replay journals into a scratch directory, never the user's state directory.
  [[nodiscard]] bool replays_creations() const { return !replaying() || !run_id_.empty(); }

  /// Deletes what the testcases could not; what stays is named with the command that removes
  /// it later.
  void close(std::vector<std::string>& messages, std::vector<LeftObject>& left_behind);

 private:
  RunOptions options_;
  SubjectSelection subject_;
  std::optional<std::chrono::system_clock::time_point> recorded_at_;
  std::string run_id_;
  std::filesystem::path scratch_dir_;  // a replay's journal directory, removed by the destructor
  Connection connection_;
  std::string target_name_;
  std::map<std::string, std::string> variables_;
  std::unique_ptr<TokenCache> token_cache_;  // live runs that record nothing, unless --no-token-cache
  std::unique_ptr<OpenStack> openstack_;
  std::unique_ptr<EarlyToken> early_;  // after openstack_: its request ends before the client goes
  std::future<void> confirmation_;
  CallStats confirmation_calls_;
  std::unique_ptr<Kubernetes> kubernetes_;
  std::unique_ptr<Reaper> reaper_, cluster_reaper_;
  std::unique_ptr<ResourceJournal> journal_, cluster_journal_;
  std::unique_ptr<Context> context_;
  // The admin account (--admin-cloud): its own transport, client, journal and reaper.
  std::optional<CloudConfig> admin_cloud_;
  std::unique_ptr<Transport> admin_transport_;
  std::unique_ptr<OpenStack> admin_openstack_;
  std::unique_ptr<Reaper> admin_reaper_;
  std::unique_ptr<ResourceJournal> admin_journal_;
  std::unique_ptr<Context> admin_context_;
};

}  // namespace scs
