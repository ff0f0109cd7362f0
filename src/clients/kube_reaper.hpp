#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/reaper.hpp"
#include "clients/waits.hpp"

namespace scs {

class Kubernetes;
struct KubeConfig;

/// The journal type of a namespace a run created; deleting it takes what it holds along.
inline constexpr std::string_view namespace_type = "namespace";

/// The label every namespace of this tool carries, and its value: the sweep selects on it.
inline constexpr std::string_view managed_by_label = "app.kubernetes.io/managed-by";
inline constexpr std::string_view managed_by_value = "scs-conformance";

/// Which journal file a cluster's objects go to: one per API server, whatever the context is
/// called in this or that kubeconfig.
std::string cluster_journal_key(const KubeConfig& config);

/// Deletes what runs created in a Kubernetes cluster: namespaces (with everything in them),
/// waiting until each is really gone, since a Terminating namespace still holds its volumes.
class KubeReaper final : public Reaper {
 public:
  explicit KubeReaper(Kubernetes& kubernetes, WaitPolicy policy = {});

  std::vector<Reaped> remove(std::vector<JournalEntry> entries, bool dry_run,
                             const std::function<void(const JournalEntry&)>& on_gone = {}) override;

  /// Namespaces labelled managed-by=scs-conformance whose name starts with resource_prefix.
  std::vector<JournalEntry> sweep(const std::function<bool(const std::string& run)>& skip_run = {}) override;

 private:
  bool remove_namespace(const std::string& name);  // false: it was not there

  Kubernetes& kubernetes_;
  WaitPolicy policy_;
};

}  // namespace scs
