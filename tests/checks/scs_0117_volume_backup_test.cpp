// scs-0117: the testcases that create resources, over recordings of the real test cloud (each made with
// `scs-conformance run --record tests/checks/cassettes/creating-NNNN -t scs-NNNN-…`), with
// canned answers for what the test cloud cannot do. Every test also asserts that nothing is
// left open in the journal.
#include <catch2/catch.hpp>

#include "core/cancellation.hpp"
#include "core/polling.hpp"
#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::mentions;

const scs::testing::CreatingCheck backup_restore{"creating-0117", "volume-backup-restore", "114602"};

TEST_CASE("scs-0117-test-backup passes: volume, backup, restore, all deleted", "[checks][scs-0117]") {
  std::size_t open = 99;
  const auto result = backup_restore.run({}, &open);
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Contains("restored into scs-conformance-114602-3-backup-restored"));
  CHECK(open == 0);
}

TEST_CASE("scs-0117-test-backup fails when the backup API refuses, and still deletes the volume",
          "[checks][scs-0117]") {
  std::size_t open = 99;
  // After the refusal, cleanup looks for the backup by name (a refused create may still have
  // made something): the listing shows none, so the entry is closed.
  const auto result = backup_restore.run(
      {{"/backups", 400, R"({"badRequest": {"message": "Backup driver not configured"}})", "POST"},
       {"/backups/detail", 200, R"({"backups": []})", "GET"}},
      &open);
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "Backup driver not configured"));
  CHECK_THAT(result.summary, Catch::Contains("backing up the volume"));
  CHECK(open == 0);
}

TEST_CASE("scs-0117-test-backup aborts when the API does not answer like an API", "[checks][scs-0117]") {
  std::size_t open = 99;
  const auto result = backup_restore.run({{"/volumes", 200, "<html>maintenance</html>"}}, &open);
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("/volumes") && Catch::Contains("did not answer with JSON"));
}

TEST_CASE("scs-0117-test-backup: a spent time budget or Ctrl-C ends the waits and still cleans up",
          "[checks][scs-0117][timing]") {
  // The testcase's scope is cancelled from the start; cleanup runs in a scope of its own.
  const auto aborts_and_cleans_up = [](const std::string& reason) {
    std::size_t open = 99;
    const auto result = backup_restore.run({}, &open);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains(reason));
    CHECK(open == 0);
  };
  {
    const scs::CancellationScope spent(std::chrono::steady_clock::now(), nullptr);
    aborts_and_cleans_up("time budget exceeded");
  }
  {
    const std::atomic<bool> interrupted{true};
    const scs::CancellationScope ctrl_c(std::chrono::steady_clock::now() + std::chrono::hours(1),
                                        &interrupted);
    aborts_and_cleans_up("interrupted");
  }
}

TEST_CASE("scs-0117-test-backup aborts when the project's quota refuses the volume: nothing was shown",
          "[checks][scs-0117]") {
  std::size_t open = 99;
  const auto result = backup_restore.run(
      {{"/volumes", 413,
        R"({"overLimit": {"code": 413, "message": "VolumeLimitExceeded: Maximum number of volumes allowed (0) exceeded for quota 'volumes'."}})",
        "POST"},
       {"/volumes/detail", 200, R"({"volumes": []})", "GET"}},
      &open);
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("creating a volume was refused by the project's quota") &&
                                 Catch::Contains("VolumeLimitExceeded"));
  CHECK(open == 0);
}

TEST_CASE("scs-0117-test-backup aborts when a wait runs out of time: slow is not broken",
          "[checks][scs-0117][timing]") {
  // On the virtual wait clock: 2 s polls against a 10 s limit run out after a fixed number of
  // polls, whatever the machine's load, and without sleeping.
  const scs::VirtualWaitScope virtual_waits;
  scs::testing::CreatingCheck slow = backup_restore;
  slow.params = {{"poll_seconds", 2}, {"wait_seconds", 10}};
  const auto result = slow.run({{"/volumes/", 200, R"({"volume": {"status": "creating"}})", "GET"}});
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("creating a volume did not finish in time") &&
                                 Catch::Contains("is still creating after"));
}
