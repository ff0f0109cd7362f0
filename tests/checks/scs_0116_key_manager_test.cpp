// scs-0116-presence over recordings of the real test cloud (no scope version runs it, so the
// check is run directly on each recording's token and catalog).
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::mentions;
using scs::testing::run_check;

TEST_CASE("scs-0116-presence passes when Barbican is in the catalog", "[checks][scs-0116]") {
  const auto result = run_check("compliant", "key-manager-present");
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Contains("http://127.0.0.1:9311"));
}

TEST_CASE("scs-0116-presence fails without a key-manager service", "[checks][scs-0116]") {
  const auto result = run_check("broken-services", "key-manager-present");
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "service key-manager"));
}

TEST_CASE("scs-0116-presence aborts when there is no token to read the catalog from", "[checks][scs-0116]") {
  const auto result = run_check("compliant", "key-manager-present", scs::Params::object(),
                                {{"/v3/auth/tokens", 503, R"({"error": "down"})"}});
  CHECK(result.status == Status::abort);
}
