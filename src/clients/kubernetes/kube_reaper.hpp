#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/journal/reaper.hpp"
#include "core/polling.hpp"

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

  /// Namespaces labelled managed-by=scs-conformance whose name starts with resource_prefix.
  std::vector<JournalEntry> sweep(const std::function<bool(const std::string& run)>& skip_run = {}) override;

 protected:
  void order(std::vector<JournalEntry>& entries) const override;  // newest first
  std::optional<std::string> find(const JournalEntry& entry) override;
  bool remove_one(const JournalEntry& entry) override;

 private:
  Kubernetes& kubernetes_;
  WaitPolicy policy_;
};

}  // namespace scs
