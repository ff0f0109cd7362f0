#include "clients/journal/reaper.hpp"

#include <exception>

#include <fmt/format.h>

namespace scs {

std::string describe(const JournalEntry& entry) {
  return entry.id.empty() ? fmt::format("{} {}", entry.type, entry.name)
                          : fmt::format("{} {} (id {})", entry.type, entry.name, entry.id);
}

std::vector<Reaped> Reaper::remove(std::vector<JournalEntry> entries, bool dry_run,
                                   const std::function<void(const JournalEntry&)>& on_gone) {
  order(entries);
  std::vector<Reaped> results;
  for (auto& entry : entries) {
    Reaped reaped{entry, Reaped::Outcome::failed, {}};
    try {
      if (dry_run) {
        const auto id = find(entry);
        if (id) reaped.entry.id = *id;
        reaped.outcome = id ? Reaped::Outcome::would_delete : Reaped::Outcome::absent;
      } else {
        reaped.outcome = remove_one(entry) ? Reaped::Outcome::deleted : Reaped::Outcome::absent;
        if (on_gone) on_gone(entry);
      }
    } catch (const std::exception& error) {
      reaped.error = fmt::format("{}: {}", describe(entry), error.what());
    }
    results.push_back(std::move(reaped));
  }
  return results;
}

}  // namespace scs
