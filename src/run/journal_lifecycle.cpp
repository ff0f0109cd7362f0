#include "run/journal_lifecycle.hpp"

#include <chrono>
#include <functional>

#include <fmt/format.h>

#include "core/cancellation.hpp"

namespace scs {

namespace {

constexpr auto cleanup_budget = std::chrono::minutes(5);

// The run's own cancellation scope may be spent (time budget, Ctrl-C): deleting gets its own.
std::vector<Reaped> remove_entries(Reaper& reaper, const std::vector<JournalEntry>& entries,
                                   const std::function<void(const JournalEntry&)>& on_gone,
                                   std::vector<std::string>& messages) {
  const CancellationScope own_scope(std::chrono::steady_clock::now() + cleanup_budget, nullptr);
  auto results = reaper.remove(entries, false, on_gone);
  for (const auto& reaped : results) {
    if (reaped.outcome == Reaped::Outcome::failed) {
      messages.push_back(fmt::format("could not delete {}", reaped.error));
    } else if (reaped.outcome == Reaped::Outcome::deleted) {
      messages.push_back(fmt::format("deleted {}", describe(reaped.entry)));
    }
  }
  return results;
}

}  // namespace

std::unique_ptr<ResourceJournal> open_journal(const std::filesystem::path& directory, const std::string& key,
                                              const std::string& region, const std::string& project,
                                              const std::string& run_id, Reaper& reaper,
                                              std::vector<std::string>& messages, bool hold_run_lock) {
  auto journal = std::make_unique<ResourceJournal>(directory, key, region, project, run_id, hold_run_lock);
  const auto leftovers = ResourceJournal::leftovers(directory, key);
  if (!leftovers.empty()) {
    messages.push_back(
        fmt::format("{} objects left by earlier runs in {}", leftovers.size(), journal->file().string()));
    remove_entries(
        reaper, leftovers,
        [&](const JournalEntry& gone) { ResourceJournal::close_leftovers(directory, key, {gone}); },
        messages);
  }
  ResourceJournal::compact(directory, key);  // closed entries need no record any more
  return journal;
}

void close_journal(ResourceJournal& journal, Reaper& reaper, const std::string& cleanup_command,
                   std::vector<std::string>& messages, std::vector<LeftObject>& left_behind) {
  if (journal.open_entries().empty()) return;
  const auto reaped = remove_entries(
      reaper, journal.open_entries(), [&](const JournalEntry& gone) { journal.closed(gone.seq); }, messages);
  for (const auto& entry : journal.open_entries()) {
    messages.push_back(fmt::format("left behind: {} (run `{}`)", describe(entry), cleanup_command));
    LeftObject left{entry.type, entry.name, entry.id, {}, cleanup_command};
    for (const auto& attempt : reaped) {
      if (attempt.entry.seq != entry.seq) continue;
      // The error names the object first ("backup NAME (id …): why"); keep the why.
      const auto named = describe(attempt.entry) + ": ";
      left.reason = attempt.error.starts_with(named) ? attempt.error.substr(named.size()) : attempt.error;
    }
    left_behind.push_back(std::move(left));
  }
}

}  // namespace scs
