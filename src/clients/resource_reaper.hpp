#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clients/reaper.hpp"
#include "clients/resource_journal.hpp"
#include "clients/waits.hpp"

namespace scs {

class OpenStack;

/// Deletes what a run created, in dependency order (servers before volumes, backups before
/// their volumes, router interfaces before routers, subnets before networks), waiting for each
/// object to be gone. Objects without a known id are found by their (unique) name.
class ResourceReaper final : public Reaper {
 public:
  explicit ResourceReaper(OpenStack& openstack, WaitPolicy policy = {});

  /// Deletes every entry (or, with `dry_run`, only finds it); calls `on_gone` for each entry
  /// that is deleted or was already absent, so the caller closes it in the journal. A failure
  /// of one object does not stop the others.
  std::vector<Reaped> remove(std::vector<JournalEntry> entries, bool dry_run,
                             const std::function<void(const JournalEntry&)>& on_gone = {}) override;

  /// Every object in the project whose name starts with resource_prefix, of every type cleanup
  /// knows, as entries (run taken from the name, seq 0). `skip_run` says which runs to leave
  /// alone (live ones). A service missing from the catalog is skipped.
  std::vector<JournalEntry> sweep(const std::function<bool(const std::string& run)>& skip_run = {}) override;

  /// Rank of a type in deletion order (lower first); unknown types last.
  static int deletion_rank(const std::string& type);

 private:
  bool remove_one(const JournalEntry& entry);  // false: it was not there
  std::string resolve_id(const JournalEntry& entry);

  OpenStack& openstack_;
  WaitPolicy policy_;
};

}  // namespace scs
