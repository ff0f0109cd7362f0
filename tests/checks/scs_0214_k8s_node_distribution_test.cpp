// scs-0214 node distribution over canned node lists, after the scenarios of the retired
// official script's test data (success, no distribution, missing labels, not enough nodes).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/check_harness.hpp"
#include "tests/support/kube_harness.hpp"

using scs::Status;
using scs::testing::KubeHarness;
using scs::testing::mentions;

namespace {

using Labels = std::map<std::string, std::string>;

struct NodeSpec {
  std::string name;
  bool control_plane = false;
  std::string zone;
  std::string host_id;  // empty: no topology.scs.community/host-id label
  std::string region = "region-1";
};

nlohmann::json node_list(const std::vector<NodeSpec>& nodes, bool with_hostname = true) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& spec : nodes) {
    nlohmann::json labels = nlohmann::json::object();
    if (spec.control_plane) labels["node-role.kubernetes.io/control-plane"] = "";
    if (!spec.zone.empty()) labels["topology.kubernetes.io/zone"] = spec.zone;
    if (!spec.region.empty()) labels["topology.kubernetes.io/region"] = spec.region;
    if (!spec.host_id.empty()) labels["topology.scs.community/host-id"] = spec.host_id;
    if (with_hostname) labels["kubernetes.io/hostname"] = spec.name;
    items.push_back({{"metadata", {{"name", spec.name}, {"labels", labels}}}});
  }
  return {
      {"kind", "NodeList"}, {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()}, {"items", items}};
}

scs::Result check(const std::vector<NodeSpec>& nodes, bool with_hostname = true) {
  KubeHarness api;
  api.answer_json("GET", "/api/v1/nodes", node_list(nodes, with_hostname).dump());
  return api.run("k8s-node-distribution");
}

bool notes_mention(const scs::Result& result, const std::string& text) {
  for (const auto& note : result.notes) {
    if (note.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("node-distribution-check passes control planes on distinct machines and zones",
          "[checks][scs-0214]") {
  // success-1: every node on its own machine and zone.
  const auto spread = check({{"control-0", true, "zone1", "vm0"},
                             {"control-1", true, "zone2", "vm1"},
                             {"control-2", true, "zone3", "vm2"},
                             {"worker-0", false, "zone1", "vm3"},
                             {"worker-1", false, "zone2", "vm4"}});
  INFO(spread.summary);
  CHECK(spread.status == Status::pass);
  CHECK(spread.notes.empty());
  // success-2: one host-id, but different zones are different machines.
  const auto zones = check({{"control-0", true, "zone1", "vm0"},
                            {"control-1", true, "zone2", "vm0"},
                            {"control-2", true, "zone3", "vm0"},
                            {"worker-0", false, "zone1", "vm1"}});
  CHECK(zones.status == Status::pass);
}

TEST_CASE("node-distribution-check notes what is only recommended", "[checks][scs-0214]") {
  // Distinct machines in one zone: allowed, but the zones SHOULD differ.
  const auto one_zone = check({{"control-0", true, "zone1", "vm0"},
                               {"control-1", true, "zone1", "vm1"},
                               {"worker-0", false, "zone1", "vm2"},
                               {"worker-1", false, "zone1", "vm3"}});
  CHECK(one_zone.status == Status::pass);
  CHECK(notes_mention(one_zone, "share the zone 'zone1'"));
  CHECK(notes_mention(one_zone, "worker nodes share one zone"));
  // Without host-id labels, hostnames stand in for machines, with a note.
  const auto hostnames = check({{"control-0", true, "zone1", ""}, {"control-1", true, "zone2", ""}});
  CHECK(hostnames.status == Status::pass);
  CHECK(notes_mention(hostnames, "told apart by kubernetes.io/hostname"));
}

TEST_CASE("node-distribution-check fails without distribution and names the nodes", "[checks][scs-0214]") {
  // no-distribution-1: one control-plane node.
  const auto single_control =
      check({{"control-0", true, "zone1", "vm0"}, {"worker-0", false, "zone1", "vm0"}});
  CHECK(single_control.status == Status::fail);
  CHECK(mentions(single_control, "node control-0"));
  CHECK(mentions(single_control, "only control-plane node"));
  // no-distribution-2: every control-plane node on one machine in one zone.
  const auto one_machine = check({{"control-0", true, "zone1", "vm0"},
                                  {"control-1", true, "zone1", "vm0"},
                                  {"control-2", true, "zone1", "vm0"},
                                  {"worker-0", false, "zone1", "vm1"}});
  CHECK(one_machine.status == Status::fail);
  CHECK(mentions(one_machine, "control-plane nodes control-0, control-1, control-2"));
  CHECK(mentions(one_machine, "one machine"));
  // not-enough-nodes: a single node.
  const auto single = check({{"node-0", true, "zone1", "vm0"}});
  CHECK(single.status == Status::fail);
  CHECK(mentions(single, "only node"));
}

TEST_CASE("node-distribution-check fails nodes without the topology labels", "[checks][scs-0214]") {
  // missing-labels: a zone and a region missing, and no hostname label anywhere.
  const auto result = check({{"control-0", true, "zone1", "vm0"}, {"control-1", true, "", "vm1", ""}}, false);
  CHECK(result.status == Status::fail);
  REQUIRE(result.evidence.size() == 2);
  CHECK(result.evidence[0].subject == "node control-0");
  CHECK(result.evidence[0].message == "lacks the label(s) kubernetes.io/hostname");
  CHECK(result.evidence[1].subject == "node control-1");
  CHECK_THAT(result.evidence[1].message, Catch::Contains("topology.kubernetes.io/zone"));
  CHECK_THAT(result.evidence[1].message, Catch::Contains("topology.kubernetes.io/region"));
}

TEST_CASE("node-distribution-check aborts when it cannot see the control plane or the nodes",
          "[checks][scs-0214]") {
  const auto hosted = check({{"worker-0", false, "zone1", "vm0"}, {"worker-1", false, "zone2", "vm1"}});
  CHECK(hosted.status == Status::abort);
  CHECK_THAT(hosted.summary, Catch::Contains("hosted control plane"));
  KubeHarness forbidden;
  forbidden.answer(
      {"GET", "/api/v1/nodes", 403, R"({"kind": "Status", "reason": "Forbidden", "code": 403})"});
  const auto result = forbidden.run("k8s-node-distribution");
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("/api/v1/nodes"));
  KubeHarness empty;
  empty.answer_json("GET", "/api/v1/nodes", R"({"kind": "NodeList", "items": []})");
  const auto no_nodes = empty.run("k8s-node-distribution");
  CHECK(no_nodes.status == Status::abort);
  CHECK_THAT(no_nodes.summary, Catch::Contains("the cluster lists no nodes"));
}
