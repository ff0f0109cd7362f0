// scs-0114 over recordings of the real test cloud, and the aspect-list parser on its own.
#include <catch2/catch.hpp>

#include "checks/scs_0114_volume_types.hpp"
#include "tests/support/check_harness.hpp"
#include "tests/support/recorded_run.hpp"

using scs::Status;
using scs::checks::aspect_list_problems;
using scs::checks::parse_aspect_list;
using scs::testing::evidence_mentions;
using scs::testing::mentions;
using scs::testing::outcome_of;
using scs::testing::replay_recording;
using scs::testing::run_check;

TEST_CASE("scs-0114 aspect lists are read from the start of the description", "[checks][scs-0114]") {
  CHECK(parse_aspect_list("[scs:encrypted, replicated] LUKS").aspects ==
        std::vector<std::string>{"encrypted", "replicated"});
  CHECK(parse_aspect_list("[scs:]").aspects == std::vector<std::string>{});
  CHECK_FALSE(parse_aspect_list("Local SSD [scs:encrypted]").aspects);  // not at the start
  CHECK_FALSE(parse_aspect_list("").aspects);
  const auto unclosed = parse_aspect_list("[scs:encrypted LUKS");
  CHECK_FALSE(unclosed.aspects);
  CHECK(unclosed.unclosed);
  CHECK(parse_aspect_list("[scs:a[b]").unclosed);  // no brackets inside the list
}

TEST_CASE("scs-0114 aspect lists must be sorted, unique and standard", "[checks][scs-0114]") {
  CHECK(aspect_list_problems({"encrypted", "replicated"}).empty());
  CHECK(aspect_list_problems({}).empty());
  CHECK(aspect_list_problems({"replicated", "encrypted"}).size() == 1);
  CHECK(aspect_list_problems({"encrypted", "encrypted"}).size() == 1);
  CHECK(aspect_list_problems({"Encrypted"}).size() == 1);      // case-sensitive
  CHECK(aspect_list_problems({"", "encrypted"}).size() == 1);  // an empty item ("[scs:, encrypted]")
}

TEST_CASE("scs-0114-syntax-check passes on well-formed and absent aspect lists", "[checks][scs-0114]") {
  CHECK(outcome_of(replay_recording("compliant", "scs-0114"), "scs-0114-syntax-check").result.status ==
        Status::pass);
  // hdd has no description and local-ssd no aspect list: both allowed.
  CHECK(outcome_of(replay_recording("compliant-edge", "scs-0114"), "scs-0114-syntax-check").result.status ==
        Status::pass);
}

TEST_CASE("scs-0114-syntax-check fails and names each malformed volume type", "[checks][scs-0114]") {
  const auto report = replay_recording("broken-volume-types", "scs-0114");
  const auto& syntax = outcome_of(report, "scs-0114-syntax-check");
  CHECK(syntax.result.status == Status::fail);
  CHECK(syntax.result.evidence.size() == 2);
  CHECK(evidence_mentions(syntax, "volume type replicated-LUKS"));
  CHECK(evidence_mentions(syntax, "not sorted"));
  CHECK(evidence_mentions(syntax, "volume type ssd"));
  CHECK(evidence_mentions(syntax, "unknown aspect 'ssd'"));
}

TEST_CASE("scs-0114 testcases abort when the volume types cannot be read", "[checks][scs-0114]") {
  const std::vector<scs::testing::CannedAnswer> down{{"/types", 503, R"({"error": "down"})"}};
  for (const auto* check : {"volume-type-aspect-syntax", "volume-type-aspect-present"}) {
    INFO(check);
    const auto result = run_check("compliant", check, {{"aspect", "encrypted"}}, down);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("/types"));
  }
}

TEST_CASE("scs-0114 encrypted and replicated types are found by their aspect list", "[checks][scs-0114]") {
  // No scope version runs these recommended testcases, so they are run directly.
  CHECK(run_check("compliant", "volume-type-aspect-present", {{"aspect", "encrypted"}}).status ==
        Status::pass);
  CHECK(run_check("compliant", "volume-type-aspect-present", {{"aspect", "replicated"}}).status ==
        Status::pass);
  // broken-services drops the encrypted types; the replicated one stays.
  const auto encrypted =
      run_check("broken-services", "volume-type-aspect-present", {{"aspect", "encrypted"}});
  CHECK(encrypted.status == Status::fail);
  CHECK(mentions(encrypted, "volume type replicated"));
  CHECK(mentions(encrypted, "does not declare encrypted"));
  CHECK(run_check("broken-services", "volume-type-aspect-present", {{"aspect", "replicated"}}).status ==
        Status::pass);
}

TEST_CASE("scs-0114 checks abort when the project sees no volume type", "[checks][scs-0114]") {
  // Cinder always has a default type: an empty list is the API misbehaving, and judging it
  // would pass the syntax check and fail the aspect checks by accident.
  for (const auto* check : {"volume-type-aspect-present", "volume-type-aspect-syntax"}) {
    const auto result = run_check("compliant", check, {{"aspect", "replicated"}},
                                  {{"/types", 200, R"({"volume_types": []})"}});
    INFO(check);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("/types listed no volume types"));
  }
}
