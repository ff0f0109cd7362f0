// Options that change which testcases a run includes: --read-only and --include-recommended,
// over the embedded example recording (examples/testcloud-compliant).

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <string>

#include "cli/run_command.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace {

const std::atomic<bool> not_interrupted{false};

scs::RunOptions example_run() {
  auto options = scs::test::iaas_run("ignored");
  options.os_cloud.reset();
  options.replay_dir = std::string(SCS_SOURCE_DIR) + "/examples/testcloud-compliant";
  options.version = "v5.1";
  return options;
}

const scs::TargetReport* target_of(const scs::Report& report, const std::string& version,
                                   const std::string& name) {
  for (const auto& candidate : report.versions) {
    if (candidate.name != version) continue;
    for (const auto& target : candidate.targets) {
      if (target.name == name) return &target;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a replay reports the testcases that create resources as not replayed, without running them") {
  scs::test::CloudSandbox sandbox;
  const auto outcome = scs::run_scope(example_run(), not_interrupted);
  for (const char* creating : {"scs-0101-entropy-avail", "scs-0101-fips-test", "scs-0115-default-rules",
                               "scs-0116-permissions", "scs-0117-test-backup"}) {
    INFO(creating);
    const auto* testcase = outcome.report.outcome(creating);
    REQUIRE(testcase != nullptr);
    CHECK(testcase->result.status == scs::Status::abort);
    CHECK_THAT(testcase->result.summary, Catch::StartsWith("not replayed: this testcase creates resources"));
    CHECK(testcase->calls.calls == 0);  // not one request: nothing was asked of the cassette
  }
  const auto* main = target_of(outcome.report, "v5.1", "main");
  REQUIRE(main != nullptr);
  CHECK(main->failed == 0);
  CHECK(outcome.exit_code == scs::ExitCode::incomplete);
}

TEST_CASE("a read-only run leaves out every testcase that creates resources, they count as missing") {
  scs::test::CloudSandbox sandbox;
  auto options = example_run();
  options.read_only = true;

  const auto outcome = scs::run_scope(options, not_interrupted);

  for (const char* creating : {"scs-0101-entropy-avail", "scs-0101-fips-test", "scs-0115-default-rules",
                               "scs-0116-permissions", "scs-0117-test-backup"}) {
    INFO(creating);
    CHECK(outcome.report.outcome(creating) == nullptr);
  }
  CHECK(outcome.report.outcome("scs-0103-flavor-2v-8") != nullptr);
  const auto* main = target_of(outcome.report, "v5.1", "main");
  REQUIRE(main != nullptr);
  CHECK(main->failed == 0);
  CHECK(main->missing >= 5);
  CHECK(outcome.exit_code == scs::ExitCode::incomplete);
  CHECK(outcome.cleanup_messages.empty());
}

TEST_CASE(
    "including the recommended testcases runs the -rec testcases beside the verdict, which they never "
    "decide") {
  scs::test::CloudSandbox sandbox;
  auto options = example_run();
  options.read_only = true;
  const auto without = scs::run_scope(options, not_interrupted);
  options.include_recommended = true;
  const auto with = scs::run_scope(options, not_interrupted);

  CHECK(target_of(without.report, "v5.1", "recommended") == nullptr);
  const auto* recommended = target_of(with.report, "v5.1", "recommended");
  REQUIRE(recommended != nullptr);
  CHECK(recommended->passed > 0);
  CHECK(std::find(recommended->testcases.begin(), recommended->testcases.end(), "scs-0103-flavor-16v-64") !=
        recommended->testcases.end());
  REQUIRE(with.report.outcome("scs-0103-flavor-16v-64") != nullptr);
  CHECK(with.report.outcome("scs-0103-flavor-16v-64")->result.status == scs::Status::pass);
  // The main target and the exit code are the same with or without them.
  CHECK(target_of(with.report, "v5.1", "main")->verdict ==
        target_of(without.report, "v5.1", "main")->verdict);
  CHECK(with.exit_code == without.exit_code);
}
