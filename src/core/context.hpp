#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace scs {

class OpenStack;
class Kubernetes;
class Transport;
class ResourceJournal;
class ProcessRunner;

using Params = nlohmann::json;

/// Everything a check may touch. One per run, shared by all testcases (thread-safe: the
/// clients memoise and lock internally). A run may have an OpenStack cloud, a Kubernetes
/// cluster or both; asking for one the run does not have throws Error (→ ABORT).
class Context {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  Context(OpenStack* openstack, Transport* transport, Clock clock = std::chrono::system_clock::now);

  /// The cloud under test; throws Error if the run has no OpenStack cloud.
  OpenStack& openstack() const;

  /// The cloud's admin account (`run --admin-cloud CLOUD --allow-privileged-roles`): only in the
  /// context of testcases whose spec says `required_role: admin` (scs-0302, which must set up
  /// domains and users); throws Error naming the options for every other testcase.
  OpenStack& admin_openstack() const;

  /// Where admin testcases journal the Keystone objects they create (the admin cloud's own
  /// journal, cleaned with the admin account); throws Error like admin_openstack().
  ResourceJournal& admin_journal() const;

  /// The transport of the admin account, for tokens of users an admin testcase made itself.
  Transport& admin_transport() const;

  /// The cluster under test; throws Error if the run has no Kubernetes cluster.
  Kubernetes& kubernetes() const;

  /// The run's transport, for the few probes that are not OpenStack API calls (an S3
  /// request, a TLS handshake). Recorded and replayed like every other exchange.
  Transport& transport() const;

  /// Where a check records what it creates, before creating it; throws Error if the run
  /// has none (read-only runs and unit tests of read-only checks).
  ResourceJournal& journal() const;

  /// The same for the Kubernetes cluster under test (its own journal file, keyed by server).
  ResourceJournal& cluster_journal() const;

  /// The programs a check runs (sonobuoy, hydrophone), live, recorded or replayed; throws
  /// Error if the run has none.
  ProcessRunner& processes() const;

  /// The standards directory of the run (specs, scopes, data/): the one given with
  /// with_standards_dir(), else locate_standards_dir() (data_dir.hpp), looked up once.
  [[nodiscard]] const std::filesystem::path& standards_dir() const;

  /// Where data_file(name) reads: <standards>/data/<name>; an absolute name as it is.
  [[nodiscard]] std::filesystem::path data_path(std::string_view name) const;

  /// The text of a data file (see data_path), read once per run and shared by all testcases.
  /// ConfigError naming the file when it is missing or unreadable. Checks read no file
  /// themselves: what they judge comes through the Context, so tests and replays control it.
  [[nodiscard]] const std::string& data_file(std::string_view name) const;

  /// Now, as the run sees it (fixed in tests).
  [[nodiscard]] std::chrono::system_clock::time_point now() const { return clock_(); }

  /// A scope variable of the run (`--assign KEY=VALUE` and the options that set one:
  /// os_cloud, kubeconfig, subject_root, execution_mode); nullopt when unset.
  [[nodiscard]] std::optional<std::string> variable(const std::string& name) const {
    const auto it = variables_.find(name);
    return it == variables_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

  Context& with_variables(std::map<std::string, std::string> variables) {
    variables_ = std::move(variables);
    return *this;
  }
  Context& with_kubernetes(Kubernetes* kubernetes) {
    kubernetes_ = kubernetes;
    return *this;
  }
  Context& with_journal(ResourceJournal* journal) {
    journal_ = journal;
    return *this;
  }
  Context& with_cluster_journal(ResourceJournal* journal) {
    cluster_journal_ = journal;
    return *this;
  }
  Context& with_processes(ProcessRunner* processes) {
    processes_ = processes;
    return *this;
  }
  /// The admin account; the runner hands a context with it only to admin testcases.
  Context& with_admin(OpenStack* openstack, ResourceJournal* journal, Transport* transport) {
    admin_openstack_ = openstack;
    admin_journal_ = journal;
    admin_transport_ = transport;
    return *this;
  }
  /// Set before the testcases start (not thread-safe against data_file()).
  Context& with_standards_dir(std::filesystem::path dir);

 private:
  OpenStack* openstack_;
  Transport* transport_;
  Clock clock_;
  Kubernetes* kubernetes_ = nullptr;
  ResourceJournal* journal_ = nullptr;
  ResourceJournal* cluster_journal_ = nullptr;
  ProcessRunner* processes_ = nullptr;
  OpenStack* admin_openstack_ = nullptr;
  ResourceJournal* admin_journal_ = nullptr;
  Transport* admin_transport_ = nullptr;
  std::map<std::string, std::string> variables_;
  struct DataFiles;  // the standards directory and the files read, behind a mutex
  std::shared_ptr<DataFiles> data_;
};

/// A check: a plain function of the context and the testcase's params.
using CheckFn = std::function<Result(Context&, const Params&)>;

}  // namespace scs
