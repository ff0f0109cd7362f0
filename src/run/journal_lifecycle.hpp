#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "clients/journal/reaper.hpp"
#include "clients/journal/resource_journal.hpp"
#include "reports/report.hpp"

namespace scs {

/// Opens this run's journal of one cloud or cluster (`key`), after deleting what earlier runs
/// left there (killed, or a delete that failed); `messages` says what was found and deleted.
/// `hold_run_lock`: see ResourceJournal (false for a second journal of the same run).
std::unique_ptr<ResourceJournal> open_journal(const std::filesystem::path& directory, const std::string& key,
                                              const std::string& region, const std::string& project,
                                              const std::string& run_id, Reaper& reaper,
                                              std::vector<std::string>& messages, bool hold_run_lock = true);

/// Deletes whatever the testcases could not (or a shared VM still up) at the end of the run,
/// also after Ctrl-C, in a cancellation scope of its own; what still stays is named in
/// `messages` and `left_behind` with `cleanup_command`, which removes it later.
void close_journal(ResourceJournal& journal, Reaper& reaper, const std::string& cleanup_command,
                   std::vector<std::string>& messages, std::vector<LeftObject>& left_behind);

}  // namespace scs
