// The KaaS checks end to end against the fake Kubernetes API (tests/support/fake_kube_api):
// HTTPS, bearer token, the real client and transport, over the good and bad fixture clusters.
#include <catch2/catch.hpp>

#include <chrono>

#include "checks/checks.hpp"
#include "clients/http/http.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "core/context.hpp"
#include "core/polling.hpp"
#include "core/registry.hpp"
#include "tests/support/check_harness.hpp"
#include "tests/support/fake_kube_api.hpp"
#include "tests/support/kube_harness.hpp"
#include "tests/support/temp_env.hpp"

using scs::Status;
using scs::test::FakeKubeApi;

namespace {

using namespace std::chrono_literals;

const std::string version_data =
    std::string(SCS_SOURCE_DIR) + "/tests/checks/fixtures/kaas/k8s-version-data-2025-03.json";

/// Runs one check against the fake cluster, as run_command would connect it, on a fixed day.
scs::Result run_against(FakeKubeApi& api, const std::string& check, const scs::Params& params,
                        const char* today = "2025-03-10") {
  scs::KubeConfig config;
  config.context = "fake";
  config.user_name = "tester";
  config.server = api.server();
  config.ca_data = api.pki().ca_pem;
  config.token = "good-token";
  scs::TransportOptions options;
  options.max_retries = 0;
  options.request_timeout = 30'000ms;  // only a hung fake would need it: load cannot trip it
  const auto transport = scs::make_kube_transport(config, nullptr, options);
  const scs::VirtualWaitScope virtual_waits;
  scs::Kubernetes kube(config, *transport);
  scs::Registry registry;
  scs::checks::register_all_checks(registry);
  const auto now = scs::testing::at(today);
  const scs::test::TempDir state("scs-fake-cluster");
  scs::Result result;
  {
    scs::ResourceJournal journal(state.path(), "fake", "fake", "", "fake01");
    scs::Context context(nullptr, transport.get(), [now] { return now; });
    context.with_kubernetes(&kube).with_variables({{"offline", "true"}}).with_cluster_journal(&journal);
    try {
      result = (*registry.find(check))(context, params);
    } catch (const std::exception& error) {
      result = scs::Result::abort(error.what());
    }
    CHECK(journal.open_entries().empty());  // whatever the check created, it deleted
  }
  return result;
}

/// The names of the namespaces the checks asked the API to create.
std::vector<std::string> namespaces_created(const FakeKubeApi& api) {
  std::vector<std::string> names;
  for (const auto& request : api.requests()) {
    if (request.method != "POST" || request.target != "/api/v1/namespaces") continue;
    names.push_back(nlohmann::json::parse(request.body).at("metadata").at("name").get<std::string>());
  }
  return names;
}

// Polls on the virtual wait clock (run_against): 1 s polls against 60 s limits, so the claim
// that binds after two looks binds, and the one that never does times out after 60 polls,
// whatever the machine's load and without sleeping.
const scs::Params storage_params{{"poll_seconds", 1}, {"wait_seconds", 60}, {"cleanup_seconds", 60}};

}  // namespace

TEST_CASE("KaaS checks pass on the fake good cluster and leave nothing behind",
          "[checks][kaas][fake-api][timing]") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  CHECK(run_against(api, "k8s-node-distribution", {}).status == Status::pass);
  const auto storage = run_against(api, "k8s-default-storage-class", storage_params);
  INFO(storage.summary);
  CHECK(storage.status == Status::pass);
  CHECK_THAT(storage.summary, Catch::Contains("csi-cinder-sc-delete"));
  // Every namespace the check made is gone again.
  const auto made = namespaces_created(api);
  REQUIRE_FALSE(made.empty());
  for (const auto& name : made) {
    CHECK(api.objects_in_namespace(name) == 0);
    CHECK_FALSE(api.object("/api/v1/namespaces/" + name));
  }
  // The fixture cluster runs 1.35.3: judged on a day the (test) data set still vouches for it.
  const auto version = run_against(api, "k8s-version-policy", {{"data", version_data}}, "2025-06-01");
  INFO(version.summary);
  CHECK(version.status == Status::pass);
}

TEST_CASE("KaaS checks fail on the fake bad clusters with evidence", "[checks][kaas][fake-api][timing]") {
  {
    FakeKubeApi api(FakeKubeApi::fixture("bad-nodes"));
    const auto result = run_against(api, "k8s-node-distribution", {});
    CHECK(result.status == Status::fail);
    bool names_cp1 = false;
    for (const auto& finding : result.evidence)
      names_cp1 |= finding.subject.find("cp-1") != std::string::npos;
    CHECK(names_cp1);
  }
  {
    FakeKubeApi api(FakeKubeApi::fixture("bad-storage"));
    const auto result = run_against(api, "k8s-default-storage-class", storage_params);
    CHECK(result.status == Status::fail);
    REQUIRE(result.evidence.size() == 2);  // two default classes, each named
    CHECK(scs::testing::mentions(result, "storage class local"));
    CHECK(scs::testing::mentions(result, "storage class csi-cinder"));
  }
  {
    // A claim still Pending when the wait runs out shows nothing broken: ABORT, with evidence.
    FakeKubeApi api(FakeKubeApi::fixture("bad-pending"));
    const auto result = run_against(api, "k8s-default-storage-class", storage_params);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("did not bind and mount within"));
    CHECK_FALSE(result.evidence.empty());
    const auto made = namespaces_created(api);
    REQUIRE_FALSE(made.empty());
    for (const auto& name : made) CHECK(api.objects_in_namespace(name) == 0);  // deleted after the ABORT too
  }
  {
    FakeKubeApi api(FakeKubeApi::fixture("bad-version"));
    const auto result = run_against(api, "k8s-version-policy", {{"data", version_data}});
    CHECK(result.status == Status::fail);
    REQUIRE_FALSE(result.evidence.empty());
    CHECK(result.evidence[0].subject == "cluster version 1.27.3");
  }
}

TEST_CASE("KaaS checks abort on the fake cluster's errors", "[checks][kaas][fake-api][timing]") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  api.inject({"GET", "/api/v1/nodes", 500, false, 0ms, -1});
  api.inject({"GET", "/version", 403, false, 0ms, -1});
  api.inject({"POST", "/api/v1/namespaces/", 403, false, 0ms, -1});  // the claim cannot be made
  const auto nodes = run_against(api, "k8s-node-distribution", {});
  CHECK(nodes.status == Status::abort);
  CHECK_THAT(nodes.summary, Catch::Contains("/api/v1/nodes answered HTTP 500: injected fault"));
  const auto version = run_against(api, "k8s-version-policy", {{"data", version_data}});
  CHECK(version.status == Status::abort);
  CHECK_THAT(version.summary, Catch::Contains("/version answered HTTP 403: injected fault"));
  const auto storage = run_against(api, "k8s-default-storage-class", storage_params);
  CHECK(storage.status == Status::abort);
  CHECK_THAT(storage.summary, Catch::Contains("/persistentvolumeclaims answered HTTP 403: injected fault"));
  const auto made = namespaces_created(api);
  REQUIRE_FALSE(made.empty());
  for (const auto& name : made) CHECK_FALSE(api.object("/api/v1/namespaces/" + name));
}
