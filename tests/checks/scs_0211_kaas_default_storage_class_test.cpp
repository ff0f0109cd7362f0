// scs-0211 default storage class over a canned API server whose claim and pod progress from
// Pending to Bound/Running, and the cleanup in every exit path.
#include <catch2/catch.hpp>

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/cancellation.hpp"
#include "tests/support/check_harness.hpp"
#include "tests/support/kube_harness.hpp"
#include "tests/support/stub_tools.hpp"

using scs::Status;
using scs::testing::KubeAnswer;
using scs::testing::KubeHarness;
using scs::testing::mentions;
using scs::testing::notes_mention;

namespace {

const nlohmann::json fast{{"poll_seconds", 0.01}, {"wait_seconds", 5}, {"cleanup_seconds", 5}};

std::string storage_class(const std::string& name, const std::string& provisioner, bool is_default) {
  nlohmann::json object{{"metadata", {{"name", name}}}, {"provisioner", provisioner}};
  if (is_default) object["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] = "true";
  return object.dump();
}

std::string class_list(std::initializer_list<std::string> classes) {
  std::string items;
  for (const auto& item : classes) items += (items.empty() ? "" : ",") + item;
  return R"({"kind": "StorageClassList", "items": [)" + items + "]}";
}

std::string claim(const std::string& phase) {
  nlohmann::json object{{"metadata", {{"name", "scs-0211-pvc"}}}, {"status", {{"phase", phase}}}};
  if (phase == "Bound") {
    object["spec"]["volumeName"] = "pv-0211";
    object["status"]["accessModes"] = {"ReadWriteOnce"};
  }
  return object.dump();
}

std::string pod(const std::string& phase) {
  nlohmann::json object{{"metadata", {{"name", "scs-0211-pod"}}}, {"status", {{"phase", phase}}}};
  if (phase == "Pending") {
    object["status"]["conditions"] = {
        {{"type", "PodScheduled"}, {"status", "False"}, {"message", "0/3 nodes are available"}}};
  }
  return object.dump();
}

// A cluster with one good default class whose claim binds and pod runs after two looks.
void good_cluster(KubeHarness& api) {
  api.answer_json("GET", "/storageclasses",
                  class_list({storage_class("standard", "cinder.csi.openstack.org", true),
                              storage_class("local", "kubernetes.io/no-provisioner", false)}));
  api.answer_json("POST", "/api/v1/namespaces$", "{}");
  api.answer_json("POST", "/persistentvolumeclaims", "{}");
  api.answer_json("POST", "/pods", "{}");
  api.answer_json("GET", "/persistentvolumeclaims/scs-0211-pvc", claim("Pending"), 2);
  api.answer_json("GET", "/persistentvolumeclaims/scs-0211-pvc", claim("Bound"));
  api.answer_json("GET", "/pods/scs-0211-pod", pod("Pending"), 2);
  api.answer_json("GET", "/pods/scs-0211-pod", pod("Running"));
  api.answer_json("GET", "/persistentvolumes/pv-0211", R"({"spec": {"accessModes": ["ReadWriteOnce"]}})");
  api.answer_json("DELETE", "/api/v1/namespaces/", "{}");
}

// A cluster whose claim stays Pending and whose pod is never scheduled.
void stalled_cluster(KubeHarness& api) {
  api.answer_json("GET", "/storageclasses", class_list({storage_class("standard", "example.com/csi", true)}));
  api.answer_json("POST", "/", "{}");
  api.answer_json("GET", "/persistentvolumeclaims/scs-0211-pvc", claim("Pending"));
  api.answer_json("GET", "/pods/scs-0211-pod", pod("Pending"));
  api.answer_json("DELETE", "/", "{}");
}

// Every created object was deleted, and the namespace was waited for until it was gone.
void check_cleaned_up(const KubeHarness& api) {
  CHECK(api.count("DELETE", "/pods/scs-0211-pod") == 1);
  CHECK(api.count("DELETE", "/persistentvolumeclaims/scs-0211-pvc") == 1);
  int namespace_deletes = 0;
  for (const auto& line : api.requests()) {
    if (line.starts_with("DELETE ") &&
        line.find("/api/v1/namespaces/scs-conformance-") != std::string::npos &&
        line.find("/pods") == std::string::npos && line.find("/persistentvolumeclaims") == std::string::npos)
      ++namespace_deletes;
  }
  CHECK(namespace_deletes == 1);
}

}  // namespace

TEST_CASE("scs-0211 passes when the default class binds a claim that a pod mounts", "[checks][scs-0211]") {
  KubeHarness api;
  good_cluster(api);
  const auto result = api.run("k8s-default-storage-class", fast);
  INFO(result.summary);
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Contains("default storage class standard"));
  CHECK_THAT(result.summary, Catch::Contains("pv-0211"));
  CHECK(api.count("POST", "/api/v1/namespaces") == 3);  // namespace, claim, pod
  CHECK(api.count("GET", "/persistentvolumeclaims/scs-0211-pvc") == 3);
  CHECK(notes_mention(result, "namespace scs-conformance-"));
  check_cleaned_up(api);
  // Journaled before the first create, closed once the namespace was gone.
  CHECK(api.journal_records_before("POST", "/api/v1/namespaces") == 1);
  CHECK(api.open_entries().empty());
}

TEST_CASE("scs-0211 fails unless exactly one default class has a provisioner", "[checks][scs-0211]") {
  {
    KubeHarness api;
    api.answer_json("GET", "/storageclasses",
                    class_list({storage_class("standard", "cinder.csi.openstack.org", false)}));
    const auto result = api.run("k8s-default-storage-class", fast);
    CHECK(result.status == Status::fail);
    CHECK(mentions(result, "none of [standard]"));
    CHECK(api.count("POST", "/") == 0);  // nothing created, nothing journaled
    CHECK(api.journal_records_before("GET", "/storageclasses") == 0);
  }
  {
    KubeHarness api;
    api.answer_json("GET", "/storageclasses",
                    class_list({storage_class("fast", "cinder.csi.openstack.org", true),
                                storage_class("slow", "cinder.csi.openstack.org", true)}));
    const auto result = api.run("k8s-default-storage-class", fast);
    CHECK(result.status == Status::fail);
    CHECK(mentions(result, "storage class fast"));
    CHECK(mentions(result, "storage class slow"));
  }
  {
    KubeHarness api;
    api.answer_json("GET", "/storageclasses",
                    class_list({storage_class("local", "kubernetes.io/no-provisioner", true)}));
    const auto result = api.run("k8s-default-storage-class", fast);
    CHECK(result.status == Status::fail);
    CHECK(mentions(result, "no dynamic provisioner"));
  }
}

TEST_CASE("scs-0211 aborts on a claim that does not bind in time, shows it, and still cleans up",
          "[checks][scs-0211][timing]") {
  KubeHarness api;
  stalled_cluster(api);
  auto params = fast;
  params["wait_seconds"] = 0.2;
  const auto result = api.run("k8s-default-storage-class", params);
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("did not bind and mount within 0.2 s; cannot judge"));
  CHECK(mentions(result, "persistent volume claim scs-conformance-"));
  CHECK(mentions(result, "still Pending"));
  CHECK(mentions(result, "0/3 nodes are available"));
  check_cleaned_up(api);
}

TEST_CASE("scs-0211 fails a volume without ReadWriteOnce", "[checks][scs-0211]") {
  KubeHarness api;
  api.answer_json("GET", "/persistentvolumes/pv-0211", R"({"spec": {"accessModes": ["ReadOnlyMany"]}})");
  good_cluster(api);
  const auto result = api.run("k8s-default-storage-class", fast);
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "persistent volume pv-0211"));
  check_cleaned_up(api);
}

TEST_CASE("scs-0211 aborts on API errors and cleans up what it created", "[checks][scs-0211]") {
  {
    KubeHarness api;
    api.answer({"GET", "/storageclasses", 403, R"({"kind": "Status", "reason": "Forbidden", "code": 403})"});
    const auto result = api.run("k8s-default-storage-class", fast);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("storageclasses"));
  }
  {
    KubeHarness api;
    api.answer({"POST", "/persistentvolumeclaims", 403,
                R"({"kind": "Status", "reason": "Forbidden", "code": 403})"});
    good_cluster(api);
    const auto result = api.run("k8s-default-storage-class", fast);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("persistentvolumeclaims"));
    CHECK(notes_mention(result, "namespace scs-conformance-"));
    check_cleaned_up(api);
  }
}

TEST_CASE("scs-0211 cleans up after its time budget ran out", "[checks][scs-0211][timing]") {
  KubeHarness api;
  stalled_cluster(api);
  auto params = fast;
  params["wait_seconds"] = 60;  // ignoring the budget would end in "did not …" after 60 s
  const auto start = std::chrono::steady_clock::now();
  scs::Result result;
  {
    // The testcase's budget, as the runner sets it.
    const scs::CancellationScope budget(start + std::chrono::seconds(1), nullptr);
    result = api.run("k8s-default-storage-class", params);
  }
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("time budget exceeded"));
  // The budget ended the wait for the claim (it was asked for), not the steps before it.
  CHECK(api.count("GET", "/persistentvolumeclaims/scs-0211-pvc") >= 1);
  // A guard against hanging, well below the 60 s wait the budget cut short.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  check_cleaned_up(api);
  CHECK(api.open_entries().empty());
}

TEST_CASE("scs-0211 warns with the command to run when cleanup fails", "[checks][scs-0211]") {
  KubeHarness api;
  api.answer({"DELETE", "/api/v1/namespaces/scs-conformance-", 500, R"({"kind": "Status", "code": 500})"});
  good_cluster(api);
  const auto result = api.run("k8s-default-storage-class", fast);
  CHECK(result.status == Status::pass);
  CHECK(notes_mention(result, "WARNING: cleanup incomplete"));
  CHECK(notes_mention(result, "kubectl delete namespace scs-conformance-"));
  // The namespace stays in the journal: the end of the run and `cleanup` try again.
  REQUIRE(api.open_entries().size() == 1);
  CHECK(api.open_entries()[0].type == "namespace");
  CHECK(api.open_entries()[0].name.starts_with("scs-conformance-"));
  CHECK(api.open_entries()[0].name.ends_with("-0211"));
}
