#include "cli/cleanup_command.hpp"

#include <filesystem>
#include <memory>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "clients/http/curl_transport.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/kubernetes/exec_credential.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kube_reaper.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "clients/openstack/cloud_config.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_reaper.hpp"
#include "clients/openstack/token_cache.hpp"
#include "core/cache_dir.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

// Deletes (or lists) the leftovers of one cloud or cluster, journal `key`; returns how many
// objects could not be deleted.
int clean(Reaper& reaper, const std::filesystem::path& directory, const std::string& key,
          const std::string& label, bool dry_run, std::ostream& out) {
  auto entries = ResourceJournal::leftovers(directory, key);
  std::set<std::string> journalled;
  for (const auto& entry : entries) journalled.insert(entry.type + '\n' + entry.name);
  // The sweep catches what no journal knows (a journal deleted, another machine's run); a run
  // that is still alive keeps its objects.
  for (auto& found :
       reaper.sweep([&](const std::string& run) { return ResourceJournal::run_alive(directory, run); })) {
    if (journalled.count(found.type + '\n' + found.name) == 0) entries.push_back(std::move(found));
  }
  int failed = 0;
  for (const auto& problem : reaper.unlisted()) {
    ++failed;
    out << "FAILED: could not look for leftovers among " << problem << '\n';
  }
  if (entries.empty()) {
    out << (failed == 0 ? fmt::format("nothing to clean up in {}\n", label)
                        : fmt::format("{}: {} kinds of objects could not be listed\n", label, failed));
    return failed;
  }
  const auto results = reaper.remove(entries, dry_run, [&](const JournalEntry& gone) {
    if (gone.seq != 0) ResourceJournal::close_leftovers(directory, key, {gone});
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
  if (!dry_run) ResourceJournal::compact(directory, key);
  out << fmt::format("{}: {} objects, {} could not be deleted or listed\n", label, results.size(), failed);
  return failed;
}

/// The cloud's cached token, and every expired one, are deleted: after a cleanup (often the
/// step after rotating credentials) no run starts with a token kept from before.
void forget_tokens(const CloudConfig& cloud, bool dry_run, std::ostream& out) {
  const auto directory = cache_directory();
  if (!directory) return;  // no cache directory: no cached tokens
  TokenCache cache(*directory);
  if (dry_run) {
    if (std::filesystem::exists(cache.entry_path(cloud)))
      out << fmt::format("would forget the cached token of cloud '{}'\n", cloud.name);
    return;
  }
  if (cache.forget(cloud)) out << fmt::format("forgot the cached token of cloud '{}'\n", cloud.name);
  if (const auto expired = cache.forget_expired(); expired > 0)
    out << fmt::format("forgot {} expired cached token{}\n", expired, expired == 1 ? "" : "s");
}

int clean_cloud(const CleanupOptions& options, const std::filesystem::path& directory, std::ostream& out) {
  CloudSelection selection;
  selection.cloud = options.os_cloud;
  const auto cloud = resolve_cloud(selection);
  CurlTransport transport(cloud.transport);
  OpenStack openstack(cloud, transport);
  openstack.token();  // wrong credentials are one clear error
  ResourceReaper reaper(openstack);
  const int failed = clean(reaper, directory, cloud_journal_key(cloud), fmt::format("cloud '{}'", cloud.name),
                           options.dry_run, out);
  forget_tokens(cloud, options.dry_run, out);
  return failed;
}

int clean_cluster(const CleanupOptions& options, const std::filesystem::path& directory, std::ostream& out) {
  KubeSelection selection;
  selection.kubeconfig = options.kubeconfig;
  selection.context = options.context;
  const auto config = resolve_kubeconfig(selection);
  std::shared_ptr<ExecCredentialSource> exec;
  if (config.exec) exec = std::make_shared<ExecCredentialSource>(*config.exec, config);
  const auto transport = make_kube_transport(config, exec);
  Kubernetes kubernetes(config, *transport, exec);
  kubernetes.preflight();  // wrong credentials are one clear error
  KubeReaper reaper(kubernetes);
  return clean(reaper, directory, cluster_journal_key(config), fmt::format("cluster '{}'", config.context),
               options.dry_run, out);
}

}  // namespace

int cleanup_command(const CleanupOptions& options, std::ostream& out) {
  const auto directory = options.state_dir ? std::filesystem::path(*options.state_dir) : state_directory();
  const bool cluster = options.kubeconfig || options.context;
  int failed = 0;
  if (options.os_cloud || !cluster) failed += clean_cloud(options, directory, out);
  if (cluster) failed += clean_cluster(options, directory, out);
  return failed == 0 ? 0 : 1;
}

}  // namespace scs
