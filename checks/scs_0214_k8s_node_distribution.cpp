// scs-0214-v2: nodes carry topology labels; the control plane is spread over several machines.
// https://docs.scs.community/standards/scs-0214-v2-k8s-node-distribution
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "clients/kubernetes/kubernetes.hpp"

namespace scs::checks {

namespace {

constexpr const char* kZone = "topology.kubernetes.io/zone";
constexpr const char* kRegion = "topology.kubernetes.io/region";
constexpr const char* kHostname = "kubernetes.io/hostname";
constexpr const char* kHostId =
    "topology.scs.community/host-id";  // the physical machine, when the provider says
constexpr const char* kControlPlane = "node-role.kubernetes.io/control-plane";

struct Node {
  std::string name;
  std::map<std::string, std::string> labels;

  [[nodiscard]] std::string label(const std::string& key) const {
    const auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
  }
  [[nodiscard]] bool has(const std::string& key) const { return labels.contains(key); }
  // The machine it runs on: the SCS host-id label where set, else its hostname (which cannot
  // tell two VMs on one hypervisor apart).
  [[nodiscard]] std::string host() const { return has(kHostId) ? label(kHostId) : label(kHostname); }
};

std::vector<Node> read_nodes(const std::vector<nlohmann::json>& items) {
  std::vector<Node> nodes;
  for (const auto& item : items) {
    Node node;
    node.name = item.value("/metadata/name"_json_pointer, std::string("?"));
    const auto labels = item.value("/metadata/labels"_json_pointer, nlohmann::json::object());
    for (const auto& [key, value] : labels.items()) {
      node.labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

// The distinct non-empty values: a missing label tells no machine or zone apart.
std::set<std::string> distinct(const std::vector<const Node*>& nodes, const auto& key_of) {
  std::set<std::string> values;
  for (const auto* node : nodes) {
    if (auto value = key_of(*node); !value.empty()) values.insert(std::move(value));
  }
  return values;
}

std::string first_or(const std::set<std::string>& values, const char* fallback) {
  return values.empty() ? std::string(fallback) : *values.begin();
}

Result node_distribution_check(Context& context, const Params&) {
  const auto nodes = read_nodes(context.kubernetes().nodes());
  if (nodes.empty()) return Result::abort("the cluster lists no nodes (GET /api/v1/nodes)");
  std::vector<Finding> evidence;
  std::vector<std::string> notes;

  for (const auto& node : nodes) {
    std::vector<std::string> missing;
    for (const auto* key : {kZone, kRegion, kHostname}) {
      if (node.label(key).empty()) missing.emplace_back(key);
    }
    if (!missing.empty()) {
      evidence.push_back({fmt::format("node {}", node.name),
                          fmt::format("lacks the label(s) {}", fmt::join(missing, ", "))});
    }
  }

  std::vector<const Node*> control_plane;
  for (const auto& node : nodes) {
    if (node.has(kControlPlane)) control_plane.push_back(&node);
  }
  if (nodes.size() == 1) {
    evidence.push_back({fmt::format("node {}", nodes.front().name),
                        "is the cluster's only node: nothing is distributed over several machines"});
  } else if (control_plane.size() == 1) {
    evidence.push_back({fmt::format("node {}", control_plane.front()->name),
                        "is the only control-plane node: the control plane must run on several machines"});
  } else if (control_plane.size() > 1) {
    const auto hosts = distinct(control_plane, [](const Node& n) { return n.host(); });
    const auto zones = distinct(control_plane, [](const Node& n) { return n.label(kZone); });
    std::vector<std::string> names;
    for (const auto* node : control_plane) names.push_back(node->name);
    // Different failure zones are different machines, whatever the host labels say.
    if (hosts.size() < 2 && zones.size() < 2) {
      evidence.push_back(
          {fmt::format("control-plane nodes {}", fmt::join(names, ", ")),
           fmt::format("all run on one machine ({}) in one zone", first_or(hosts, "no host label"))});
    } else if (zones.size() < 2) {
      notes.push_back(
          fmt::format("the control-plane nodes share the zone '{}': scs-0214 says they SHOULD be spread "
                      "over several failure zones",
                      first_or(zones, "")));
    }
    if (std::none_of(control_plane.begin(), control_plane.end(),
                     [](const Node* n) { return n->has(kHostId); })) {
      notes.push_back(
          fmt::format("machines told apart by {} (no node has {}): VMs on one physical host look "
                      "distinct",
                      kHostname, kHostId));
    }
  }

  std::vector<const Node*> workers;
  for (const auto& node : nodes) {
    if (!node.has(kControlPlane)) workers.push_back(&node);
  }
  if (workers.size() > 1 && distinct(workers, [](const Node& n) { return n.label(kZone); }).size() < 2) {
    notes.push_back("the worker nodes share one zone: scs-0214 RECOMMENDS several");
  }

  if (!evidence.empty()) {
    auto summary = fmt::format("{} problem(s) with the distribution or labels of {} node(s)", evidence.size(),
                               nodes.size());
    return Result::fail(std::move(summary), std::move(evidence), std::move(notes));
  }
  if (control_plane.empty()) {
    auto result =
        Result::abort(fmt::format("no node carries the label {}: the control plane is not visible as nodes "
                                  "(hosted control plane?), so its "
                                  "distribution cannot be checked from the cluster",
                                  kControlPlane));
    result.notes = std::move(notes);
    return result;
  }
  return Result::pass(
      fmt::format("{} nodes labelled with zone, region and hostname; {} control-plane nodes on "
                  "several machines",
                  nodes.size(), control_plane.size()),
      std::move(notes));
}

}  // namespace

void register_scs_0214(Registry& registry) { registry.add("k8s-node-distribution", node_distribution_check); }

}  // namespace scs::checks
