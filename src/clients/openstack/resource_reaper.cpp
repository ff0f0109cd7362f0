#include "clients/openstack/resource_reaper.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/openstack/openstack.hpp"
#include "clients/openstack/waits.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"

namespace scs {

std::string cloud_journal_key(const CloudConfig& cloud) { return cloud.name; }

namespace {

using nlohmann::json;

/// Where each kind of object lives. `list` is a collection that lists names and ids.
struct Kind {
  std::string_view type;
  std::string_view service;
  std::string_view list;  // collection path
  std::string_view key;   // the array in the listing, and the object in a GET of one
  std::string_view item;  // "{}" is the id
  bool asynchronous;      // DELETE only starts the deletion: wait for 404
};

// In deletion order: what depends on something comes before it.
constexpr std::array kinds{
    Kind{"server", "compute", "/servers", "servers", "/servers/{}", true},
    Kind{"backup", "block-storage", "/backups/detail", "backups", "/backups/{}", true},
    Kind{"volume", "block-storage", "/volumes/detail", "volumes", "/volumes/{}", true},
    Kind{"router_interface", "network", "", "", "", false},
    Kind{"router", "network", "/v2.0/routers", "routers", "/v2.0/routers/{}", false},
    Kind{"port", "network", "/v2.0/ports", "ports", "/v2.0/ports/{}", false},
    Kind{"subnet", "network", "/v2.0/subnets", "subnets", "/v2.0/subnets/{}", false},
    Kind{"network", "network", "/v2.0/networks", "networks", "/v2.0/networks/{}", false},
    Kind{"security_group", "network", "/v2.0/security-groups", "security_groups", "/v2.0/security-groups/{}",
         false},
    Kind{"secret", "key-manager", "/v1/secrets", "secrets", "/v1/secrets/{}", false},
    // Keystone objects (scs-0302, with the admin account): what lives in a domain before the
    // domain, which must be disabled before Keystone deletes it (with all it still holds).
    Kind{"group", "identity", "/v3/groups", "groups", "/v3/groups/{}", false},
    Kind{"user", "identity", "/v3/users", "users", "/v3/users/{}", false},
    Kind{"project", "identity", "/v3/projects", "projects", "/v3/projects/{}", false},
    Kind{"role", "identity", "/v3/roles", "roles", "/v3/roles/{}", false},
    Kind{"domain", "identity", "/v3/domains", "domains", "/v3/domains/{}", false},
};

const Kind* kind_of(std::string_view type) {
  for (const auto& kind : kinds) {
    if (kind.type == type) return &kind;
  }
  return nullptr;
}

// Statuses in which Cinder refuses a delete but will move on by itself.
const std::set<std::string> busy_statuses{"creating",  "attaching", "detaching",        "backing-up",
                                          "restoring", "deleting",  "restoring-backup", "downloading",
                                          "uploading", "extending", "in-use",           "reserved"};

// Barbican names a secret by its href; the id is its last segment.
std::string id_of(const json& item) {
  if (item.contains("id") && item["id"].is_string()) return item["id"].get<std::string>();
  const auto ref = item.value("secret_ref", "");
  const auto slash = ref.rfind('/');
  return slash == std::string::npos ? ref : ref.substr(slash + 1);
}

std::string name_of(const json& item) {
  const auto it = item.find("name");
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<json> list_all(OpenStack& openstack, const Kind& kind) {
  return openstack.get_all(kind.service, kind.list, kind.key);
}

}  // namespace

int ResourceReaper::deletion_rank(const std::string& type) {
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i].type == type) return static_cast<int>(i);
  }
  return static_cast<int>(kinds.size());
}

ResourceReaper::ResourceReaper(OpenStack& openstack, WaitPolicy policy)
    : openstack_(openstack), policy_(policy) {}

std::string ResourceReaper::resolve_id(const JournalEntry& entry) {
  if (!entry.id.empty()) return entry.id;
  const Kind* kind = kind_of(entry.type);
  if (kind == nullptr || kind->list.empty()) return {};
  // A create request cut off by Ctrl-C or a time budget may still be carried out by the API
  // after we stopped listening (Cinder commits a backup after the client is gone): look a few
  // more times before concluding that it never happened.
  constexpr int extra_listings = 4;
  for (int listing = 0;; ++listing) {
    for (const auto& item : list_all(openstack_, *kind)) {
      if (name_of(item) == entry.name) return id_of(item);
    }
    if (listing == extra_listings) return {};
    sleep_cancellable(policy_.interval);
  }
}

bool ResourceReaper::remove_one(const JournalEntry& entry) {
  const Kind* kind = kind_of(entry.type);
  if (kind == nullptr) throw Error(fmt::format("cleanup does not know how to delete a {}", entry.type));
  const auto id = resolve_id(entry);
  if (id.empty()) return false;  // the create request never made it
  const auto what = describe(entry);
  const auto deadline = wait_clock_now() + policy_.timeout;

  if (entry.type == "router_interface") {
    const auto slash = id.find('/');
    const auto router = id.substr(0, slash);
    const auto subnet = slash == std::string::npos ? std::string() : id.substr(slash + 1);
    try {
      openstack_.send_json("PUT", "network", fmt::format("/v2.0/routers/{}/remove_router_interface", router),
                           json{{"subnet_id", subnet}});
    } catch (const HttpError& error) {
      if (error.status() == 404) return false;
      throw;
    }
    return true;
  }
  const auto path = fmt::format(fmt::runtime(std::string(kind->item)), id);
  if (entry.type == "router") {
    // A router with interfaces cannot be deleted; take off whatever is still attached.
    for (const auto& port :
         openstack_.get_all("network", fmt::format("/v2.0/ports?device_id={}", id), "ports")) {
      if (!port.value("device_owner", "").starts_with("network:router_interface")) continue;
      openstack_.send_json("PUT", "network", fmt::format("/v2.0/routers/{}/remove_router_interface", id),
                           json{{"port_id", port.value("id", "")}});
    }
  }
  if (entry.type == "domain") {
    try {
      openstack_.send_json("PATCH", kind->service, path, json{{"domain", {{"enabled", false}}}});
    } catch (const HttpError& error) {
      if (error.status() == 404) return false;
      throw;
    }
  }
  if (entry.type == "volume" || entry.type == "backup") {
    // Cinder refuses to delete while an operation runs (a backup being made, a volume being
    // detached from a server that is going away): wait until it settles.
    try {
      const auto answer = openstack_.get_json(kind->service, path);
      std::string status = answer[std::string(entry.type)].value("status", "");
      while (busy_statuses.count(status) == 1 && status != "deleting" && wait_clock_now() < deadline) {
        sleep_cancellable(policy_.interval);
        status = openstack_.get_json(kind->service, path)[std::string(entry.type)].value("status", "");
      }
    } catch (const HttpError& error) {
      if (error.status() == 404) return false;
      throw;
    }
  }
  bool existed = true;
  std::string not_found;
  for (;;) {
    try {
      existed = openstack_.delete_path(kind->service, path, {}, &not_found);
      break;
    } catch (const HttpError& error) {
      // 409: still in use (a port of a server being deleted, a volume still detaching); 400:
      // Cinder's "status must be available or error".
      if ((error.status() != 409 && error.status() != 400) || wait_clock_now() >= deadline) throw;
    }
    sleep_cancellable(policy_.interval);
  }
  if (!existed) {
    // A 404 is believed only when the object is gone: Cinder answers a backup's DELETE with 404
    // "Service cinder-backup could not be found" while the backup stays.
    try {
      (void)openstack_.get_json(kind->service, path);
    } catch (const HttpError& error) {
      if (error.status() == 404) return false;
      throw;
    }
    throw Error(fmt::format("DELETE answered HTTP 404 ({}), but it is still there", not_found));
  }
  if (kind->asynchronous) {
    WaitPolicy left = policy_;
    left.timeout =
        std::max(std::chrono::milliseconds(policy_.interval),
                 std::chrono::duration_cast<std::chrono::milliseconds>(deadline - wait_clock_now()));
    wait_until_gone(openstack_, kind->service, path, what, left);
  }
  return existed;
}

void ResourceReaper::order(std::vector<JournalEntry>& entries) const {
  // Dependency order first; within a type, newest first (a restored volume before its source).
  std::stable_sort(entries.begin(), entries.end(), [](const JournalEntry& a, const JournalEntry& b) {
    const auto ra = deletion_rank(a.type), rb = deletion_rank(b.type);
    return ra != rb ? ra < rb : a.seq > b.seq;
  });
}

std::optional<std::string> ResourceReaper::find(const JournalEntry& entry) {
  auto id = resolve_id(entry);
  return id.empty() ? std::nullopt : std::optional<std::string>(std::move(id));
}

std::vector<JournalEntry> ResourceReaper::sweep(const std::function<bool(const std::string& run)>& skip_run) {
  std::vector<JournalEntry> found;
  for (const auto& kind : kinds) {
    if (kind.list.empty()) continue;
    // Keystone objects are journaled by admin testcases only, and listing them needs the admin
    // role: a member's cleanup would fail on them. The journal is how they are found.
    if (kind.service == "identity") continue;
    try {
      openstack_.endpoint_url(kind.service);
    } catch (const HttpError&) {
      throw;
    } catch (const Error&) {
      continue;  // no such service in the catalog: nothing of that kind can be left
    }
    std::vector<json> items;
    try {
      items = list_all(openstack_, kind);
    } catch (const Error& error) {
      // Unreachable or failing (5xx, 4xx): this kind cannot be swept now, the others can.
      unlisted_.push_back(fmt::format("{}: {}", kind.key, error.what()));
      continue;
    }
    for (const auto& item : items) {
      const auto name = name_of(item);
      const auto run = run_of_name(name);
      if (run.empty() || (skip_run && skip_run(run))) continue;
      JournalEntry entry;
      entry.run = run;
      entry.type = std::string(kind.type);
      entry.name = name;
      entry.id = id_of(item);
      found.push_back(std::move(entry));
    }
  }
  return found;
}

}  // namespace scs
