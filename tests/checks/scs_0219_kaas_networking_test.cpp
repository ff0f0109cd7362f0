// kaas-networking-check: the NetworkPolicy e2e focus with stub sonobuoy/hydrophone (the
// orchestration itself is tested in scs_0201_cncf_conformance_test.cpp).
#include <catch2/catch.hpp>

#include "spec/spec.hpp"
#include "tests/support/check_harness.hpp"
#include "tests/support/kube_harness.hpp"
#include "tests/support/stub_tools.hpp"

using scs::Status;
using scs::testing::KubeHarness;
using scs::testing::mentions;
using scs::testing::notes_mention;
using scs::testing::StubTools;

namespace {

scs::Params spec_params() {
  return scs::load_standard(std::string(SCS_SOURCE_DIR) + "/standards/scs-0219-kaas-networking.yaml")
      .testcases.at(0)
      .params;
}

scs::Result run_networking(const StubTools& tools, std::map<std::string, std::string> variables = {}) {
  KubeHarness api;
  variables.emplace("subject_root", tools.work_dir().string());
  return api.run("k8s-networkpolicy-e2e", spec_params(), variables);
}

}  // namespace

TEST_CASE("kaas-networking-check runs the NetworkPolicy focus and passes", "[checks][scs-0219]") {
  StubTools tools("pass", {"bin"});
  const auto result = run_networking(tools, {{"execution_mode", "serial"}});
  CHECK(result.status == Status::pass);
  const auto calls = tools.calls();
  REQUIRE(calls.size() == 5);
  CHECK(calls[2] ==
        "sonobuoy run --wait --e2e-focus NetworkPolicy --plugin-env "
        "e2e.E2E_EXTRA_ARGS=--ginkgo.flake-attempts=2");
  CHECK(calls[3].starts_with("sonobuoy retrieve " + (tools.work_dir() / "sono-results-0219").string()));
  CHECK(calls[4] == "sonobuoy delete --wait");  // no kubeconfig variable: the tool's default
}

TEST_CASE("kaas-networking-check fails on a NetworkPolicy failure", "[checks][scs-0219]") {
  StubTools tools("hydrophone-fail", {"hydrophone-bin"});
  const auto result = run_networking(tools);
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "based on PodSelector and NamespaceSelector"));
  CHECK(notes_mention(result,
                      "failed_ok: [sig-network] Netpol NetworkPolicy between server and client should "
                      "allow ingress access from updated namespace"));
  CHECK(tools.calls().at(2).find("--focus NetworkPolicy") != std::string::npos);
  CHECK(tools.calls().back().starts_with("hydrophone --cleanup"));
}

TEST_CASE("kaas-networking-check aborts without a tool or with a crashing one", "[checks][scs-0219]") {
  {
    StubTools tools("pass", {});
    const auto result = run_networking(tools);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::StartsWith("install sonobuoy (https://sonobuoy.io) or hydrophone"));
    CHECK(tools.calls().empty());
  }
  {
    StubTools tools("pass", {"bin"});  // a result_dir that would empty the work dir itself
    KubeHarness api;
    auto params = spec_params();
    params["result_dir"] = "..";
    const auto result =
        api.run("k8s-networkpolicy-e2e", params, {{"subject_root", tools.work_dir().string()}});
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("one plain directory name"));
    CHECK(std::filesystem::exists(tools.work_dir()));
  }
  {
    StubTools tools("crash", {"bin"});
    const auto result = run_networking(tools);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary,
               Catch::Contains("sonobuoy run (the e2e run) exited with 2: panic: runtime error"));
    CHECK(tools.calls().back() == "sonobuoy delete --wait");
  }
}

TEST_CASE("kaas-networking-check without a work dir keeps results in a temp dir it names",
          "[checks][scs-0219]") {
  StubTools tools("pass", {"bin"});
  KubeHarness api;
  const auto result = api.run("k8s-networkpolicy-e2e", spec_params(), {});
  CHECK(result.status == Status::pass);
  CHECK(notes_mention(result, "no subject_root (--work-dir) given: results kept in"));
  for (const auto& note : result.notes) {
    const auto at = note.find("results kept in ");
    if (at != std::string::npos) std::filesystem::remove_all(note.substr(at + 16));
  }
}
