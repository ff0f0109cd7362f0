// scs-0121: Availability zones. Not written yet: which recordings or canned answers the tests use.
// The passing and failing cases FAIL until they are written, so CI stays red until then.
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::run_check;

TEST_CASE("scs-0121-availability-zones passes on a compliant cloud", "[checks][scs-0121]") {
  // e.g. CHECK(run_check("compliant", "scs-0121-availability-zones").status == Status::pass);
  FAIL("not written yet: the passing case of scs-0121-availability-zones");
}

TEST_CASE("scs-0121-availability-zones fails and names what is wrong", "[checks][scs-0121]") {
  // e.g. canned answers with one offending resource: CHECK the status is Status::fail and that
  // the evidence names the resource (scs::testing::mentions).
  FAIL("not written yet: the failing case of scs-0121-availability-zones");
}

TEST_CASE("scs-0121-availability-zones aborts when the cloud cannot answer", "[checks][scs-0121]") {
  const auto result = run_check("compliant", "scs-0121-availability-zones", scs::Params::object(),
                                {{"/", 500, R"({"error": "boom"})"}});
  CHECK(result.status == Status::abort);
}
