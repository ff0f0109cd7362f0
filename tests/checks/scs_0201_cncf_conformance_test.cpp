// cncf-k8s-conformance with stub sonobuoy/hydrophone executables that write recorded result
// files: pass, fail, failed_ok, tool missing, tool crashing, budget overrun, and the cleanup
// (`sonobuoy delete --wait`) in every exit path. Also the e2e result parsers on their own.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "checks/kaas/e2e_results.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "spec/spec.hpp"
#include "tests/support/check_harness.hpp"
#include "tests/support/kube_harness.hpp"
#include "tests/support/stub_tools.hpp"

using scs::Status;
using scs::checks::kaas::classify;
using scs::checks::kaas::parse_junit;
using scs::checks::kaas::parse_ok_to_fail;
using scs::checks::kaas::parse_sonobuoy_results;
using scs::checks::kaas::TestStatus;
using scs::testing::file_bytes;
using scs::testing::KubeHarness;
using scs::testing::mentions;
using scs::testing::notes_mention;
using scs::testing::StubTools;

namespace {

// The params our spec gives the testcase: the official arguments.
scs::Params spec_params() {
  const auto standard =
      scs::load_standard(std::string(SCS_SOURCE_DIR) + "/standards/scs-0201-cncf-conformance.yaml");
  return standard.testcases.at(0).params;
}

scs::Result run_conformance(const StubTools& tools, const std::string& mode = "parallel") {
  KubeHarness api;
  return api.run("k8s-cncf-conformance", spec_params(),
                 {{"subject_root", tools.work_dir().string()},
                  {"kubeconfig", "/etc/scs/kubeconfig"},
                  {"execution_mode", mode}});
}

const char* const kDelete = "sonobuoy delete --wait --kubeconfig /etc/scs/kubeconfig";

/// Whether the stub logged a `sonobuoy run` call (the e2e run was started).
bool started_run(const StubTools& tools) {
  for (const auto& call : tools.calls()) {
    if (call.starts_with("sonobuoy run ")) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("e2e results: sonobuoy trees, JUnit files and okToFail rules", "[checks][scs-0201]") {
  const auto tree = parse_sonobuoy_results(
      file_bytes(StubTools::results_dir() / "pass/plugins/e2e/sonobuoy_results.yaml"), "pass");
  REQUIRE(tree.size() == 5);
  CHECK(tree[0].status == TestStatus::passed);
  CHECK(tree[3].status == TestStatus::skipped);
  CHECK(tree[4].status == TestStatus::skipped);  // no status: skipped
  CHECK_THROWS(parse_sonobuoy_results("name: e2e\n", "no items"));

  const auto junit =
      parse_junit(file_bytes(StubTools::results_dir() / "hydrophone-fail/junit_01.xml"), "junit");
  REQUIRE(junit.size() == 4);
  CHECK(junit[0].status == TestStatus::passed);
  CHECK(junit[0].name.find("'default-deny-ingress'") != std::string::npos);  // entities decoded
  CHECK(junit[1].status == TestStatus::failed);
  CHECK(junit[3].status == TestStatus::skipped);
  CHECK_THROWS(parse_junit("<html></html>", "not junit"));

  const auto rules = parse_ok_to_fail(
      file_bytes(std::string(SCS_SOURCE_DIR) + "/standards/data/sonobuoy-ok-to-fail.yaml"), "bundled");
  CHECK(rules.size() == 9);
  const auto summary = classify(junit, rules);
  CHECK(summary.passed == 1);
  CHECK(summary.skipped == 1);
  REQUIRE(summary.failed.size() == 1);
  REQUIRE(summary.failed_ok.size() == 1);
  CHECK(summary.failed_ok[0].second.find("flaky") != std::string::npos);
  CHECK_THROWS_AS(parse_ok_to_fail("okToFail:\n- regex: x\n", "no reason"), scs::ConfigError);
  CHECK_THROWS_AS(parse_ok_to_fail("okToFail:\n- regex: '('\n  reason: r\n", "bad regex"), scs::ConfigError);
}

TEST_CASE("cncf-k8s-conformance passes, names the tool and keeps the originals", "[checks][scs-0201]") {
  StubTools tools("pass", {"bin", "hydrophone-bin"});
  const auto result = run_conformance(tools);
  INFO(result.summary);
  CHECK(result.status == Status::pass);
  CHECK(result.summary == "3 passed, 0 failed, 0 failed_ok, 2 skipped");
  CHECK(notes_mention(result, "tool: sonobuoy (Sonobuoy Version: v0.57.3)"));  // preferred over hydrophone
  const auto dir = tools.work_dir() / "sono-results-e2e";
  const auto recorded = StubTools::results_dir() / "pass/plugins/e2e/results/global";
  CHECK(file_bytes(dir / "e2e.log") == file_bytes(recorded / "e2e.log"));
  CHECK(file_bytes(dir / "junit_01.xml") == file_bytes(recorded / "junit_01.xml"));
  CHECK(notes_mention(result, "kept " + (dir / "e2e.log").string()));

  const auto calls = tools.calls();
  REQUIRE(calls.size() == 5);
  CHECK(calls[0] == "sonobuoy version --kubeconfig /etc/scs/kubeconfig");
  CHECK(calls[1] == kDelete);  // leftovers of an earlier run
  CHECK(calls[2] ==
        "sonobuoy run --wait --mode=certified-conformance --plugin-env "
        "e2e.E2E_EXTRA_ARGS=--ginkgo.flake-attempts=2 --e2e-parallel=true --kubeconfig /etc/scs/kubeconfig");
  CHECK(calls[3] == "sonobuoy retrieve " + dir.string() + " --extract --kubeconfig /etc/scs/kubeconfig");
  CHECK(calls[4] == kDelete);
}

TEST_CASE("cncf-k8s-conformance fails on a real failure and tolerates okToFail ones", "[checks][scs-0201]") {
  {
    StubTools tools("fail", {"bin"});
    const auto result = run_conformance(tools);
    CHECK(result.status == Status::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(mentions(result, "e2e test [sig-network] DNS should provide DNS for services  [Conformance]"));
    CHECK(notes_mention(result,
                        "failed_ok: [sig-network] Services should have session affinity work for NodePort"));
    CHECK(tools.calls().back() == kDelete);
  }
  {
    StubTools tools("failed_ok", {"bin"});
    const auto result = run_conformance(tools);
    CHECK(result.status == Status::pass);
    CHECK(result.summary == "1 passed, 0 failed, 2 failed_ok, 0 skipped");
    CHECK(notes_mention(result, "cilium/cilium/issues/9209"));
    CHECK(tools.calls().back() == kDelete);
  }
}

TEST_CASE("cncf-k8s-conformance aborts without a tool, on a crash and on missing results",
          "[checks][scs-0201]") {
  {
    StubTools tools("pass", {});
    const auto result = run_conformance(tools);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::StartsWith("install sonobuoy (https://sonobuoy.io) or hydrophone"));
    CHECK(tools.calls().empty());
  }
  {
    StubTools tools("crash", {"bin"});
    const auto result = run_conformance(tools);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary,
               Catch::Contains("sonobuoy run (the e2e run) exited with 2: panic: runtime error"));
    CHECK(tools.calls().back() == kDelete);
  }
  {
    StubTools tools("no-results", {"bin"});
    const auto result = run_conformance(tools);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("sonobuoy_results.yaml"));
    CHECK(tools.calls().back() == kDelete);
  }
  {
    StubTools tools("delete-fails", {"bin"});  // leftovers cannot be removed: nothing runs
    const auto result = run_conformance(tools);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("namespace sonobuoy is stuck terminating"));
    CHECK_FALSE(started_run(tools));
    CHECK(notes_mention(result, "WARNING: cleanup failed"));
    CHECK(notes_mention(result, "sonobuoy delete --wait"));
  }
}

TEST_CASE("cncf-k8s-conformance deletes the sonobuoy namespace after a budget overrun",
          "[checks][scs-0201][timing]") {
  StubTools tools("hang", {"bin"});  // `sonobuoy run` sleeps 300 s
  const auto start = std::chrono::steady_clock::now();
  scs::Result result;
  {
    // Long enough for the two quick calls before the run even on a loaded machine.
    const scs::CancellationScope budget(start + std::chrono::seconds(2), nullptr);
    result = run_conformance(tools);
  }
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("time budget exceeded"));
  CHECK(started_run(tools));  // the budget ended a run in progress, not one never started
  // Killed rather than waited for: far below the stub's 300 s (a guard against hanging, not a
  // measurement; the budget is 2 s).
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(120));
  CHECK(tools.calls().back() == kDelete);
}

TEST_CASE("cncf-k8s-conformance deletes the sonobuoy namespace after Ctrl-C", "[checks][scs-0201][timing]") {
  StubTools tools("hang", {"bin"});
  std::atomic<bool> interrupted{false};
  // Ctrl-C once the e2e run is under way (the stub logged it), whatever the machine's load.
  std::thread ctrl_c([&] {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);  // a hang guard
    while (!started_run(tools) && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    interrupted = true;
  });
  const auto start = std::chrono::steady_clock::now();
  scs::Result result;
  {
    const scs::CancellationScope run(std::chrono::steady_clock::now() + std::chrono::hours(1), &interrupted);
    result = run_conformance(tools);
  }
  ctrl_c.join();
  CHECK(result.status == Status::abort);  // the harness's view of Interrupted, which the runner reports
  CHECK(result.summary == "interrupted");
  CHECK(started_run(tools));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(120));  // killed, not waited for
  CHECK(tools.calls().back() == kDelete);
}

TEST_CASE("cncf-k8s-conformance follows the execution mode", "[checks][scs-0201]") {
  {
    StubTools tools("pass", {"bin"});
    const auto result = run_conformance(tools, "dry");
    CHECK(result.status == Status::pass);
    CHECK(notes_mention(result, "dry run"));
    CHECK(tools.calls().at(2).find("--plugin-env e2e.E2E_DRYRUN=true") != std::string::npos);
  }
  {
    StubTools tools("pass", {"bin"});
    CHECK(run_conformance(tools, "serial").status == Status::pass);
    CHECK(tools.calls().at(2).find("--e2e-parallel") == std::string::npos);
  }
  {
    StubTools tools("pass", {"bin"});
    const auto result = run_conformance(tools, "fast");
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("fast"));
    CHECK(tools.calls().empty());  // judged before the tool is called
  }
}

TEST_CASE("cncf-k8s-conformance runs hydrophone when sonobuoy is missing", "[checks][scs-0201]") {
  StubTools tools("hydrophone-fail", {"hydrophone-bin"});
  const auto result = run_conformance(tools);
  CHECK(result.status == Status::fail);
  CHECK(notes_mention(result, "tool: hydrophone (hydrophone version v0.7.0)"));
  CHECK(result.summary == "1 passed, 1 failed, 1 failed_ok, 1 skipped");
  const auto calls = tools.calls();
  REQUIRE(calls.size() == 4);
  CHECK(calls[1] == "hydrophone --cleanup --kubeconfig /etc/scs/kubeconfig");
  CHECK(calls[2].starts_with("hydrophone --conformance --output-dir " + tools.work_dir().string()));
  CHECK(calls[2].find("--parallel 4") != std::string::npos);
  CHECK(calls[3] == "hydrophone --cleanup --kubeconfig /etc/scs/kubeconfig");
  CHECK(file_bytes(tools.work_dir() / "sono-results-e2e" / "junit_01.xml") ==
        file_bytes(StubTools::results_dir() / "hydrophone-fail" / "junit_01.xml"));
}

TEST_CASE("cncf-k8s-conformance journals the tool's namespace and hands sonobuoy the context",
          "[checks][scs-0201]") {
  const std::map<std::string, std::string> variables{{"kubeconfig", "/etc/scs/kubeconfig"},
                                                     {"context", "prod"}};
  {
    StubTools tools("pass", {"bin"});
    KubeHarness api;
    auto with_dir = variables;
    with_dir["subject_root"] = tools.work_dir().string();
    CHECK(api.run("k8s-cncf-conformance", spec_params(), with_dir).status == Status::pass);
    CHECK(tools.calls().at(2).ends_with("--kubeconfig /etc/scs/kubeconfig --context prod"));
    CHECK(api.open_entries().empty());  // closed once `sonobuoy delete` succeeded
  }
  {
    StubTools tools("delete-fails", {"bin"});
    KubeHarness api;
    auto with_dir = variables;
    with_dir["subject_root"] = tools.work_dir().string();
    const auto result = api.run("k8s-cncf-conformance", spec_params(), with_dir);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("namespace sonobuoy is stuck terminating"));
    // Left for the next run's start and `scs-conformance cleanup` to delete.
    REQUIRE(api.open_entries().size() == 1);
    CHECK(api.open_entries()[0].type == "namespace");
    CHECK(api.open_entries()[0].name == "sonobuoy");
  }
}

TEST_CASE("cncf-k8s-conformance aborts when hydrophone would have to pick a context", "[checks][scs-0201]") {
  StubTools tools("hydrophone-fail", {"hydrophone-bin"});
  KubeHarness api;
  const auto result = api.run("k8s-cncf-conformance", spec_params(),
                              {{"subject_root", tools.work_dir().string()}, {"context", "prod"}});
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary,
             Catch::Contains("hydrophone is not told a context, so it would not test context 'prod'"));
  CHECK(tools.calls().empty());  // judged before the tool runs: it would test the wrong cluster
}
