#include "cli/cleanup_command.hpp"

#include <filesystem>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "clients/cloud_config.hpp"
#include "clients/curl_transport.hpp"
#include "clients/openstack.hpp"
#include "clients/resource_journal.hpp"
#include "clients/resource_reaper.hpp"

namespace scs {

int cleanup_command(const CleanupOptions& options, std::ostream& out) {
  CloudSelection selection;
  selection.cloud = options.os_cloud;
  const auto cloud = resolve_cloud(selection);
  CurlTransport transport(cloud.transport);
  OpenStack openstack(cloud, transport);
  openstack.token();  // wrong credentials are one clear error
  const auto directory = options.state_dir ? std::filesystem::path(*options.state_dir) : state_directory();

  auto entries = ResourceJournal::leftovers(directory, cloud.name);
  std::set<std::string> journalled;
  for (const auto& entry : entries) journalled.insert(entry.type + '\n' + entry.name);
  ResourceReaper reaper(openstack);
  // The sweep catches what no journal knows (a journal deleted, another machine's run); a run
  // that is still alive keeps its objects.
  for (auto& found :
       reaper.sweep([&](const std::string& run) { return ResourceJournal::run_alive(directory, run); })) {
    if (journalled.count(found.type + '\n' + found.name) == 0) entries.push_back(std::move(found));
  }
  if (entries.empty()) {
    out << fmt::format("nothing to clean up in cloud '{}'\n", cloud.name);
    return 0;
  }
  int failed = 0;
  const auto results = reaper.remove(entries, options.dry_run, [&](const JournalEntry& gone) {
    if (gone.seq != 0) ResourceJournal::close_leftovers(directory, cloud.name, {gone});
  });
  for (const auto& reaped : results) {
    switch (reaped.outcome) {
      case Reaped::Outcome::deleted:
        out << "deleted " << describe(reaped.entry) << '\n';
        break;
      case Reaped::Outcome::absent:
        out << "already gone: " << describe(reaped.entry) << '\n';
        break;
      case Reaped::Outcome::would_delete:
        out << "would delete " << describe(reaped.entry) << '\n';
        break;
      case Reaped::Outcome::failed:
        ++failed;
        out << "FAILED: " << reaped.error << '\n';
        break;
    }
  }
  out << fmt::format("{} objects, {} could not be deleted\n", results.size(), failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace scs
