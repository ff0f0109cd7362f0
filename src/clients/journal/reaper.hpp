#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clients/journal/resource_journal.hpp"

namespace scs {

/// What became of one object cleanup looked at.
struct Reaped {
  JournalEntry entry;
  enum class Outcome { deleted, absent, would_delete, failed } outcome = Outcome::failed;
  std::string error;  // for failed: one line, names the object
};

/// Deletes what runs created on one platform (an OpenStack project, a Kubernetes cluster).
/// The run's end, the start of the next run and `scs-conformance cleanup` use it alike.
class Reaper {
 public:
  virtual ~Reaper() = default;

  /// Deletes every entry in deletion order (or, with `dry_run`, only finds it), waiting for
  /// each to be gone; calls `on_gone` for each entry that is deleted or was already absent, so
  /// the caller closes it in the journal. A failure of one object does not stop the others.
  std::vector<Reaped> remove(std::vector<JournalEntry> entries, bool dry_run,
                             const std::function<void(const JournalEntry&)>& on_gone = {});

  /// Everything named with resource_prefix that cleanup knows how to delete, as entries (run
  /// taken from the name, seq 0). `skip_run` says which runs to leave alone (live ones).
  virtual std::vector<JournalEntry> sweep(
      const std::function<bool(const std::string& run)>& skip_run = {}) = 0;

  /// What the last sweep could not list, one line each ("volumes: cannot reach …"): a service
  /// that is down must not keep the others from being cleaned.
  [[nodiscard]] const std::vector<std::string>& unlisted() const { return unlisted_; }

 protected:
  /// Puts `entries` in the order they must be deleted in (what depends on another first).
  virtual void order(std::vector<JournalEntry>& entries) const = 0;
  /// The object's id if it exists (an empty string for objects without ids), nullopt if not.
  virtual std::optional<std::string> find(const JournalEntry& entry) = 0;
  /// Deletes the object and waits until it is gone; false if it was not there.
  virtual bool remove_one(const JournalEntry& entry) = 0;

  std::vector<std::string> unlisted_;  // filled by sweep()
};

/// "volume scs-conformance-ab12-3-backup-source (id …)".
std::string describe(const JournalEntry& entry);

}  // namespace scs
