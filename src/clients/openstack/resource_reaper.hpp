#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clients/journal/reaper.hpp"
#include "clients/journal/resource_journal.hpp"
#include "core/polling.hpp"

namespace scs {

class OpenStack;
struct CloudConfig;

/// Which journal file a cloud's objects go to: the cloud's name in clouds.yaml (runs and
/// `scs-conformance cleanup` must agree on it).
std::string cloud_journal_key(const CloudConfig& cloud);

/// Deletes what a run created, in dependency order (servers before volumes, backups before
/// their volumes, router interfaces before routers, subnets before networks), waiting for each
/// object to be gone. Objects without a known id are found by their (unique) name.
class ResourceReaper final : public Reaper {
 public:
  explicit ResourceReaper(OpenStack& openstack, WaitPolicy policy = {});

  /// Every object in the project whose name starts with resource_prefix, of every type cleanup
  /// knows, as entries (run taken from the name, seq 0). `skip_run` says which runs to leave
  /// alone (live ones). A service missing from the catalog is skipped.
  std::vector<JournalEntry> sweep(const std::function<bool(const std::string& run)>& skip_run = {}) override;

  /// Rank of a type in deletion order (lower first); unknown types last.
  static int deletion_rank(const std::string& type);

 protected:
  void order(std::vector<JournalEntry>& entries) const override;
  std::optional<std::string> find(const JournalEntry& entry) override;
  bool remove_one(const JournalEntry& entry) override;

 private:
  std::string resolve_id(const JournalEntry& entry);

  OpenStack& openstack_;
  WaitPolicy policy_;
};

}  // namespace scs
