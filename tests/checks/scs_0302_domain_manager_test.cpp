// scs-0302: Domain manager. Not written yet: which recordings or canned answers the tests use.
// The passing and failing cases FAIL until they are written, so CI stays red until then.
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::run_check;

TEST_CASE("scs-0302-domain-manager passes on a compliant cloud", "[checks][scs-0302]") {
  // e.g. CHECK(run_check("compliant", "scs-0302-domain-manager").status == Status::pass);
  FAIL("not written yet: the passing case of scs-0302-domain-manager");
}

TEST_CASE("scs-0302-domain-manager fails and names what is wrong", "[checks][scs-0302]") {
  // e.g. canned answers with one offending resource: CHECK the status is Status::fail and that
  // the evidence names the resource (scs::testing::mentions).
  FAIL("not written yet: the failing case of scs-0302-domain-manager");
}

TEST_CASE("scs-0302-domain-manager aborts when the cloud cannot answer", "[checks][scs-0302]") {
  const auto result = run_check("compliant", "scs-0302-domain-manager", scs::Params::object(),
                                {{"/", 500, R"({"error": "boom"})"}});
  CHECK(result.status == Status::abort);
}
