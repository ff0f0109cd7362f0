// scs-0125 over recordings of the test cloud's TLS front (tests/cloud/lib/tls.sh): RegionTLS
// (every API behind nginx with Mozilla's intermediate settings), RegionTLSWeak (identity behind
// the deliberately weak port 15001, image behind the good front) and RegionTLSDown (identity
// on a port nobody listens on); and over the plain-http recording of the compliant scenario.
#include <catch2/catch.hpp>

#include <atomic>

#include "cli/run_command.hpp"
#include "tests/support/check_harness.hpp"
#include "tests/support/recorded_run.hpp"

using scs::Status;
using scs::testing::evidence_mentions;
using scs::testing::mentions;
using scs::testing::outcome_of;
using scs::testing::run_check;

namespace {

const scs::Params intermediate{{"profile", "mozilla-tls-intermediate"}, {"ignore", nlohmann::json::array()}};

std::string evidence_text(const scs::Result& result) {
  std::string text;
  for (const auto& finding : result.evidence) text += finding.subject + ": " + finding.message + "\n";
  return text;
}

}  // namespace

TEST_CASE("scs-0125-tls-intermediate passes on the good TLS front", "[checks][scs-0125]") {
  const auto result = run_check("tls-good", "tls-profile-compliance", intermediate);
  INFO(result.summary << "\n" << evidence_text(result));
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Matchers::Contains("9 TLS endpoints follow Mozilla intermediate"));
}

TEST_CASE("scs-0125-tls-intermediate fails naming the weak endpoint and each violation",
          "[checks][scs-0125]") {
  const auto result = run_check("tls-weak", "tls-profile-compliance", intermediate);
  INFO(result.summary << "\n" << evidence_text(result));
  REQUIRE(result.status == Status::fail);
  REQUIRE(result.evidence.size() == 1);  // the image endpoint behind the good front passes
  const auto& finding = result.evidence.front();
  CHECK_THAT(finding.subject, Catch::Matchers::Contains("identity (keystone) https://127.0.0.1:15001/v3"));
  CHECK_THAT(finding.message, Catch::Matchers::Contains("accepts TLSv1;") &&
                                  Catch::Matchers::Contains("accepts TLSv1.1") &&
                                  Catch::Matchers::Contains("accepts cipher ECDHE-RSA-AES128-SHA") &&
                                  Catch::Matchers::Contains("accepts cipher AES128-SHA") &&
                                  Catch::Matchers::Contains("certificate lifetime 825 days > 366"));
  CHECK_FALSE(mentions(result, "19292"));
}

TEST_CASE("scs-0125-tls-intermediate skips what params.ignore names", "[checks][scs-0125]") {
  auto params = intermediate;
  params["ignore"] = {"127.0.0.1:15001"};
  const auto result = run_check("tls-weak", "tls-profile-compliance", params);
  CHECK(result.status == Status::pass);
  REQUIRE(result.notes.size() == 1);
  CHECK_THAT(result.notes.front(), Catch::Matchers::Contains("127.0.0.1:15001"));
}

TEST_CASE("scs-0125-tls-intermediate aborts when an https endpoint cannot be reached", "[checks][scs-0125]") {
  const auto result = run_check("tls-down", "tls-profile-compliance", intermediate);
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Matchers::Contains("cannot reach tls://127.0.0.1:15002"));
}

TEST_CASE("scs-0125-tls-intermediate is not applicable without https endpoints", "[checks][scs-0125]") {
  CHECK(run_check("compliant", "tls-profile-compliance", intermediate).status == Status::not_applicable);
}

TEST_CASE("scs-0125-tls-intermediate aborts on an unknown profile", "[checks][scs-0125]") {
  const auto result = run_check("tls-good", "tls-profile-compliance", {{"profile", "no-such-profile"}});
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Matchers::Contains("no-such-profile.yaml"));
}

TEST_CASE("scs-0125-https-endpoints passes when every public endpoint uses https", "[checks][scs-0125]") {
  const auto result = run_check("tls-good", "https-endpoints");
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Matchers::Contains("all 11 public endpoints use https"));
}

TEST_CASE("scs-0125-https-endpoints fails naming every http endpoint", "[checks][scs-0125]") {
  const auto result = run_check("compliant", "https-endpoints");
  INFO(evidence_text(result));
  REQUIRE(result.status == Status::fail);
  CHECK(mentions(result, "http://127.0.0.1:5000/v3"));
  CHECK(mentions(result, "http://127.0.0.1:8774/v2.1"));
  CHECK(mentions(result, "service compute (nova)"));
  CHECK(result.evidence.size() == 11);
  CHECK_FALSE(mentions(result, "https://"));  // the TLS regions are not the run's region
  const auto ignoring = run_check("compliant", "https-endpoints", {{"ignore", {"127.0.0.1:8774"}}});
  CHECK(ignoring.evidence.size() == 10);
}

TEST_CASE("scs-0125-https-endpoints aborts when the catalog cannot be read", "[checks][scs-0125]") {
  const auto result = run_check("tls-good", "https-endpoints", scs::Params::object(),
                                {{"/v3/auth/tokens", 401, R"({"error": {"message": "rejected"}})"}});
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("authentication failed for cloud 'testcloud-tls'"));
}

namespace {

scs::RunOutcome replay_extras(const std::string& recording, const std::string& tests = {}) {
  scs::RunOptions options;
  options.scope_file = std::string(SCS_SOURCE_DIR) + "/standards/scopes/scs-conformance-extras.yaml";
  options.replay_dir = std::string(SCS_SOURCE_DIR) + "/tests/checks/cassettes/" + recording;
  if (!tests.empty()) options.tests = tests;
  options.quiet = true;
  const std::atomic<bool> interrupted{false};
  return scs::run_scope(options, interrupted);
}

}  // namespace

TEST_CASE("the extras scope runs scs-0125 offline from a recording, with its exit codes",
          "[checks][scs-0125]") {
  const auto good = replay_extras("tls-good");
  CHECK(good.exit_code == scs::ExitCode::pass);
  CHECK(outcome_of(good.report, "scs-0125-tls-intermediate").result.status == Status::pass);
  CHECK(outcome_of(good.report, "scs-0125-https-endpoints").result.status == Status::pass);

  const auto weak = replay_extras("tls-weak");
  CHECK(weak.exit_code == scs::ExitCode::fail);
  CHECK(
      evidence_mentions(outcome_of(weak.report, "scs-0125-tls-intermediate"), "https://127.0.0.1:15001/v3"));

  CHECK(replay_extras("tls-down").exit_code == scs::ExitCode::incomplete);

  const auto selected = replay_extras("tls-good", "scs-0125-tls-intermediate");
  CHECK(outcome_of(selected.report, "scs-0125-tls-intermediate").result.status == Status::pass);
  CHECK(selected.report.outcome("scs-0125-https-endpoints") == nullptr);
}
