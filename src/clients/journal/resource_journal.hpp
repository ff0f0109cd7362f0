#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace scs {

/// One thing a run created (or was about to create) in a cloud. `id` is empty when the run
/// ended between sending the create request and reading the answer: cleanup then finds the
/// object by its name, which is unique (run id + sequence number).
struct JournalEntry {
  std::string run;  // the run id, also part of every name the run gives
  std::uint64_t seq = 0;
  std::string cloud, region, project;
  std::string type;  // server, volume, backup, network, subnet, router, router_interface, …
  std::string name;
  std::string id;  // router_interface: "ROUTER_ID/SUBNET_ID"
};

/// Where journals live: $SCS_STATE_DIR, else $XDG_STATE_HOME/scs-conformance, else
/// ~/.local/state/scs-conformance.
std::filesystem::path state_directory();

/// The name prefix of everything this tool creates; the sweep looks for it.
inline constexpr std::string_view resource_prefix = "scs-conformance-";

/// The run id inside a name made by ResourceJournal::name(), or empty if it is not ours.
std::string run_of_name(std::string_view name);

/// The append-only record of what a run creates, one JSON line per event, fsync'ed before the
/// create request is sent: a run killed with SIGKILL leaves a journal that the next run (or
/// `scs-conformance cleanup`) reads to delete what is left. One file per cloud; concurrent
/// runs append under an exclusive lock, and each run holds a lock file while it is alive, so
/// a run never takes another live run's resources for leftovers. Thread-safe.
class ResourceJournal {
 public:
  /// Opens (creates) the journal of `cloud` in `directory` for a new run with `run_id`.
  /// `hold_run_lock` false: another journal of the same run in the same directory holds the
  /// run's lock file and outlives this one (the admin account's journal beside the subject's).
  ResourceJournal(std::filesystem::path directory, std::string cloud, std::string region, std::string project,
                  std::string run_id, bool hold_run_lock = true);
  ~ResourceJournal();
  ResourceJournal(const ResourceJournal&) = delete;
  ResourceJournal& operator=(const ResourceJournal&) = delete;

  [[nodiscard]] const std::string& run_id() const { return run_id_; }
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

  /// "scs-conformance-RUN-N-what": unique in the cloud, recognisable by the sweep.
  [[nodiscard]] std::string name(std::string_view what);

  /// Records the intent to create an object of `type` named `name`; returns its sequence number.
  std::uint64_t intend(std::string_view type, std::string_view name);
  /// Records the id the cloud gave the object.
  void created(std::uint64_t seq, std::string_view id);
  /// Records that the object is gone.
  void closed(std::uint64_t seq);

  /// The entries of this run that are not closed, in creation order.
  [[nodiscard]] std::vector<JournalEntry> open_entries() const;

  /// Open entries of runs that are no longer alive, from the journal file of `cloud`.
  static std::vector<JournalEntry> leftovers(const std::filesystem::path& directory, std::string_view cloud);
  /// Rewrites the journal file of `cloud` with only the entries still open (of any run), so
  /// that it does not grow with every run. Concurrent appends wait for it and then go to the
  /// new file.
  static void compact(const std::filesystem::path& directory, std::string_view cloud);
  /// Appends close records for entries of dead runs (after cleanup removed them).
  static void close_leftovers(const std::filesystem::path& directory, std::string_view cloud,
                              const std::vector<JournalEntry>& entries);
  /// Whether the run with this id is alive (holds its lock file).
  static bool run_alive(const std::filesystem::path& directory, std::string_view run_id);

  /// A value several testcases share, computed once per run (the scs-0101 sample VM's console).
  template <typename T, typename Compute>
  std::shared_ptr<const T> shared(const std::string& key, Compute&& compute);

 private:
  void append(const std::string& line);

  std::filesystem::path directory_, file_, lock_file_;
  std::string cloud_, region_, project_, run_id_;
  int lock_fd_ = -1;
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  std::vector<JournalEntry> entries_;  // this run's, closed ones removed
  std::uint64_t names_ = 0;

  struct Shared {
    std::mutex mutex;
    std::shared_ptr<const void> value;
    std::exception_ptr error;
  };
  std::map<std::string, std::shared_ptr<Shared>> shared_;
};

template <typename T, typename Compute>
std::shared_ptr<const T> ResourceJournal::shared(const std::string& key, Compute&& compute) {
  std::shared_ptr<Shared> slot;
  {
    const std::lock_guard lock(mutex_);
    auto& entry = shared_[key];
    if (!entry) entry = std::make_shared<Shared>();
    slot = entry;
  }
  const std::lock_guard lock(slot->mutex);
  if (slot->value) return std::static_pointer_cast<const T>(slot->value);
  if (slot->error) std::rethrow_exception(slot->error);
  try {
    auto value = std::make_shared<const T>(compute());
    slot->value = value;
    return value;
  } catch (...) {
    slot->error = std::current_exception();
    throw;
  }
}

}  // namespace scs
