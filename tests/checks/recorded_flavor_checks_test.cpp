// scs-0100 and scs-0103 over recordings of the real test cloud (tests/checks/cassettes/): the
// registered checks, bound by the real standards/ files and run by the real runner.
#include <catch2/catch.hpp>

#include "tests/support/recorded_run.hpp"

using scs::Status;
using scs::testing::evidence_mentions;
using scs::testing::outcome_of;
using scs::testing::replay_recording;

TEST_CASE("flavor checks pass on the compliant scenario", "[checks][scs-0100][scs-0103]") {
  const auto report = replay_recording("compliant", "scs-010[03]");
  REQUIRE(report.outcomes.size() == 17);
  for (const auto& outcome : report.outcomes) {
    INFO(outcome.id << ": " << outcome.result.summary);
    CHECK(outcome.result.status == Status::pass);
  }
  CHECK(report.totals.calls == 2);  // one token, one flavor list shared by all 17 testcases
}

TEST_CASE("flavor checks tolerate what the standards allow", "[checks][scs-0100][scs-0103]") {
  // A v1 name, an over-delivering flavor, a non-SCS flavor.
  const auto report = replay_recording("compliant-edge", "scs-010[03]");
  REQUIRE(report.outcomes.size() == 17);
  for (const auto& outcome : report.outcomes) {
    INFO(outcome.id << ": " << outcome.result.summary);
    CHECK(outcome.result.status == Status::pass);
  }
}

TEST_CASE("flavor checks fail and name each culprit", "[checks][scs-0100][scs-0103]") {
  const auto report = replay_recording("broken-flavors", "scs-010[03]");

  const auto& syntax = outcome_of(report, "scs-0100-syntax-check");
  CHECK(syntax.result.status == Status::fail);
  CHECK(evidence_mentions(syntax, "SCS-2x-4"));

  const auto& semantics = outcome_of(report, "scs-0100-semantics-check");
  CHECK(semantics.result.status == Status::fail);
  CHECK(evidence_mentions(semantics, "SCS-2V-8"));

  const auto& ram = outcome_of(report, "scs-0103-flavor-2v-8");
  CHECK(ram.result.status == Status::fail);
  CHECK(evidence_mentions(ram, "7680"));

  const auto& missing = outcome_of(report, "scs-0103-flavor-4v-16");
  CHECK(missing.result.status == Status::fail);
  CHECK_THAT(missing.result.summary, Catch::Contains("SCS-4V-16 missing"));

  CHECK(outcome_of(report, "scs-0103-flavor-1l-1").result.status == Status::fail);
  CHECK(evidence_mentions(outcome_of(report, "scs-0103-flavor-1l-1"), "scs:cpu-type"));
  CHECK(outcome_of(report, "scs-0103-flavor-8v-32").result.status == Status::fail);
  CHECK(outcome_of(report, "scs-0103-flavor-1v-4").result.status == Status::pass);
}

TEST_CASE("flavor checks abort when Nova cannot be reached", "[checks][scs-0100][scs-0103]") {
  const auto report = replay_recording("apis-down", "scs-010[03]");
  REQUIRE(report.outcomes.size() == 17);
  for (const auto& outcome : report.outcomes) {
    INFO(outcome.id);
    CHECK(outcome.result.status == Status::abort);
    CHECK_THAT(outcome.result.summary, Catch::Contains("cannot reach http://127.0.0.1:8774"));
  }
  // The unreachable flavor list was asked for once, not once per testcase (memoised failure).
  CHECK(report.totals.calls >= 1);
  CHECK(report.totals.calls <= 6);
}
