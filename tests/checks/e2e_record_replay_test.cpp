// A KaaS e2e run recorded through the process seam replays to the same verdict with no tool
// on PATH: cncf-k8s-conformance (scs-0201) with the stub sonobuoy.
#include <catch2/catch.hpp>

#include <filesystem>

#include "clients/process/process_cassette.hpp"
#include "spec/spec.hpp"
#include "tests/support/kube_harness.hpp"
#include "tests/support/stub_tools.hpp"

using scs::testing::file_bytes;
using scs::testing::KubeHarness;
using scs::testing::StubTools;

namespace {

scs::Result run_with(scs::ProcessRunner& processes, const StubTools& tools) {
  const auto standard =
      scs::load_standard(std::string(SCS_SOURCE_DIR) + "/standards/scs-0201-cncf-conformance.yaml");
  KubeHarness api;
  api.with_processes(processes);
  return api.run("k8s-cncf-conformance", standard.testcases.at(0).params,
                 {{"subject_root", tools.work_dir().string()},
                  {"kubeconfig", "/etc/scs/kubeconfig"},
                  {"execution_mode", "parallel"}});
}

}  // namespace

TEST_CASE("a recorded cncf-k8s-conformance run replays to the same result without sonobuoy",
          "[checks][scs-0201][replay]") {
  for (const std::string scenario : {"pass", "fail"}) {
    DYNAMIC_SECTION("scenario " << scenario) {
      StubTools tools(scenario, {"bin"});
      const auto cassette = tools.work_dir().string() + ".processes.json";
      scs::LocalProcessRunner local;
      scs::Result recorded;
      {
        scs::RecordingProcessRunner recorder(local, cassette);
        recorded = run_with(recorder, tools);
      }
      REQUIRE(recorded.status == (scenario == "pass" ? scs::Status::pass : scs::Status::fail));
      const auto calls = tools.calls().size();
      const auto kept = tools.work_dir() / "sono-results-e2e" / "e2e.log";
      const auto original = file_bytes(kept);
      REQUIRE_FALSE(original.empty());

      // No tool anywhere, and nothing left of the recorded run's files.
      scs::test::ScopedEnv no_tools;
      no_tools.set("PATH", (tools.work_dir() / "no-such-bin").string());
      REQUIRE_FALSE(scs::find_program("sonobuoy"));
      std::filesystem::remove_all(tools.work_dir() / "sono-results-e2e");

      scs::ReplayingProcessRunner replay(cassette);
      const auto replayed = run_with(replay, tools);
      CHECK(replayed.status == recorded.status);
      CHECK(replayed.summary == recorded.summary);
      CHECK(replayed.notes == recorded.notes);
      REQUIRE(replayed.evidence.size() == recorded.evidence.size());
      for (std::size_t i = 0; i < recorded.evidence.size(); ++i) {
        CHECK(replayed.evidence[i].subject == recorded.evidence[i].subject);
        CHECK(replayed.evidence[i].message == recorded.evidence[i].message);
      }
      CHECK(replay.unused() == 0);
      CHECK(tools.calls().size() == calls);  // the stub was not started again
      CHECK(file_bytes(kept) == original);   // the kept log, byte for byte, from the cassette
      std::filesystem::remove(cassette);
    }
  }
}
