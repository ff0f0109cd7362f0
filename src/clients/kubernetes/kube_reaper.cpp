#include "clients/kubernetes/kube_reaper.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"

namespace scs {

namespace {

std::string namespace_path(const std::string& name) { return "/api/v1/namespaces/" + name; }

// Whether the namespace still exists (also while it is Terminating).
bool exists(Kubernetes& kubernetes, const std::string& name) {
  try {
    kubernetes.get_json(namespace_path(name));
    return true;
  } catch (const HttpError& error) {
    if (error.status() == 404) return false;
    throw;
  }
}

// Namespaces are all this reaper deletes; a journal of a newer version may list more.
void check_type(const JournalEntry& entry) {
  if (entry.type != namespace_type)
    throw Error(fmt::format("this version cannot delete a {} (a journal of a newer version?)", entry.type));
}

}  // namespace

std::string cluster_journal_key(const KubeConfig& config) { return "kubernetes-" + config.server; }

KubeReaper::KubeReaper(Kubernetes& kubernetes, WaitPolicy policy)
    : kubernetes_(kubernetes), policy_(policy) {}

void KubeReaper::order(std::vector<JournalEntry>& entries) const {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const JournalEntry& a, const JournalEntry& b) { return a.seq > b.seq; });
}

std::optional<std::string> KubeReaper::find(const JournalEntry& entry) {
  check_type(entry);
  return exists(kubernetes_, entry.name) ? std::optional<std::string>(std::string()) : std::nullopt;
}

bool KubeReaper::remove_one(const JournalEntry& entry) {
  check_type(entry);
  const auto& name = entry.name;
  bool existed = true;
  try {
    existed = kubernetes_.remove(namespace_path(name));
  } catch (const HttpError& error) {
    // 409: the namespace is already being deleted; wait for it like for our own delete.
    if (error.status() != 409) throw;
  }
  if (!existed) return false;
  const auto deadline = wait_clock_now() + policy_.timeout;
  while (exists(kubernetes_, name)) {
    if (wait_clock_now() >= deadline) {
      throw Error(fmt::format("namespace {} is still there {} s after its deletion", name,
                              std::chrono::duration_cast<std::chrono::seconds>(policy_.timeout).count()));
    }
    sleep_cancellable(policy_.interval);
  }
  return true;
}

std::vector<JournalEntry> KubeReaper::sweep(const std::function<bool(const std::string& run)>& skip_run) {
  std::vector<JournalEntry> found;
  const auto path =
      fmt::format("/api/v1/namespaces?labelSelector={}%3D{}", managed_by_label, managed_by_value);
  for (const auto& item : kubernetes_.list(path)) {
    const auto name = item.value("/metadata/name"_json_pointer, std::string());
    const auto run = run_of_name(name);
    if (run.empty() || (skip_run && skip_run(run))) continue;
    JournalEntry entry;
    entry.run = run;
    entry.cloud = cluster_journal_key(kubernetes_.config());
    entry.type = std::string(namespace_type);
    entry.name = name;
    found.push_back(std::move(entry));
  }
  return found;
}

}  // namespace scs
