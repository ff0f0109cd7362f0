#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace scs {

class OpenStack;
class Kubernetes;
class Transport;
class ResourceJournal;

using Params = nlohmann::json;

/// Everything a check may touch. One per run, shared by all testcases (thread-safe: the
/// clients memoise and lock internally). A run may have an OpenStack cloud, a Kubernetes
/// cluster or both; asking for one the run does not have throws Error (→ ABORT).
class Context {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  Context(OpenStack* openstack, Transport* transport, Clock clock = std::chrono::system_clock::now)
      : openstack_(openstack), transport_(transport), clock_(std::move(clock)) {}

  /// The cloud under test; throws Error if the run has no OpenStack cloud.
  OpenStack& openstack() const;

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

 private:
  OpenStack* openstack_;
  Transport* transport_;
  Clock clock_;
  Kubernetes* kubernetes_ = nullptr;
  ResourceJournal* journal_ = nullptr;
  ResourceJournal* cluster_journal_ = nullptr;
  std::map<std::string, std::string> variables_;
};

/// A check: a plain function of the context and the testcase's params.
using CheckFn = std::function<Result(Context&, const Params&)>;

}  // namespace scs
