// Options that change which testcases a run includes: --read-only and --include-recommended,
// over the embedded example recording (examples/testcloud-compliant).

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>

#include "cli/run_command.hpp"
#include "core/errors.hpp"
#include "run/recording_info.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/support/temp_env.hpp"

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

const char* const creating_testcases[] = {"scs-0101-entropy-avail", "scs-0101-fips-test",
                                          "scs-0115-default-rules", "scs-0116-permissions",
                                          "scs-0117-test-backup"};

TEST_CASE("a replay runs the testcases that create resources under the recorded names in a scratch journal") {
  scs::test::CloudSandbox sandbox;
  sandbox.env().unset("SCS_STATE_DIR");
  sandbox.env().unset("XDG_STATE_HOME");
  sandbox.env().set("TMPDIR", (sandbox.dir() / "tmp").string());
  std::filesystem::create_directories(sandbox.dir() / "tmp");

  const auto outcome = scs::run_scope(example_run(), not_interrupted);

  for (const char* creating : creating_testcases) {
    INFO(creating);
    const auto* testcase = outcome.report.outcome(creating);
    REQUIRE(testcase != nullptr);
    CHECK_FALSE(testcase->result.summary.starts_with("not replayed"));
  }
  // Each asked the cassette as it asked the cloud (fips-test reads the VM entropy-avail booted).
  for (const char* asking :
       {"scs-0101-entropy-avail", "scs-0115-default-rules", "scs-0116-permissions", "scs-0117-test-backup"}) {
    INFO(asking);
    CHECK(outcome.report.outcome(asking)->calls.calls > 0);
  }
  // The recording is of the compliant test cloud, whose guests are real: every one passes.
  for (const char* creating : creating_testcases) {
    INFO(creating << ": " << outcome.report.outcome(creating)->result.summary);
    CHECK(outcome.report.outcome(creating)->result.status == scs::Status::pass);
  }
  CHECK(outcome.exit_code == scs::ExitCode::pass);
  CHECK(outcome.cleanup_messages.empty());
  CHECK(outcome.report.left_behind.empty());
  // Neither the user's state directory nor the scratch journal remain.
  CHECK_FALSE(std::filesystem::exists(sandbox.dir() / "home" / ".local" / "state"));
  CHECK(std::filesystem::is_empty(sandbox.dir() / "tmp"));
}

TEST_CASE("a recording without a run id reports the testcases that create resources as not replayed") {
  scs::test::CloudSandbox sandbox;
  // As recorded by an earlier version: recording.yaml without run_id.
  const auto copy = sandbox.dir() / "old-recording";
  std::filesystem::copy(std::string(SCS_SOURCE_DIR) + "/examples/testcloud-compliant", copy);
  auto info = scs::test::read_text(copy / "recording.yaml");
  const auto line = info.find("run_id:");
  REQUIRE(line != std::string::npos);
  info.erase(line, info.find('\n', line) - line + 1);
  scs::test::write_text(copy / "recording.yaml", info);
  auto options = example_run();
  options.replay_dir = copy.string();

  const auto outcome = scs::run_scope(options, not_interrupted);

  for (const char* creating : creating_testcases) {
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

  for (const char* creating : creating_testcases) {
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

// Found by fuzzing (tests/fuzz/recording_info.cpp): a recorded_at beyond what system_clock
// holds overflowed (undefined behaviour) instead of being refused.
TEST_CASE("a recording whose recorded_at is no time is refused, naming the file") {
  const scs::test::TempDir dir("scs-recording-time");
  auto info =
      scs::test::read_text(std::string(SCS_SOURCE_DIR) + "/examples/testcloud-compliant/recording.yaml");
  const auto line = info.find("recorded_at:");
  REQUIRE(line != std::string::npos);
  for (const char* value : {"17961649525", "-5"}) {
    auto changed = info;
    changed.replace(line, changed.find('\n', line) - line, std::string("recorded_at: ") + value);
    scs::test::write_text(dir / "recording.yaml", changed);
    CHECK_THROWS_AS(scs::read_recording_info(dir.path()), scs::ConfigError);
    CHECK_THROWS_WITH(scs::read_recording_info(dir.path()), Catch::Contains("recording.yaml: recorded_at"));
  }
}
