// scs-0116 over recordings of the real test cloud: presence on each recording's token and
// catalog; permissions (creates a secret) over its own recording, with canned refusals.
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::mentions;
using scs::testing::run_check;

const scs::testing::CreatingCheck member_permissions{"creating-0116", "key-manager-member-permissions",
                                                     "ed3203"};

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
  CHECK_THAT(result.summary, Catch::Contains("POST http://127.0.0.1:5000/v3/auth/tokens answered HTTP 503"));
}

// scs-0116-permissions over a recording made with `scs-conformance run --record
// tests/checks/cassettes/creating-0116 -t scs-0116-perm`.

TEST_CASE("scs-0116-permissions passes: member creates, lists, reads and deletes a secret",
          "[checks][scs-0116]") {
  std::size_t open = 99;
  const auto result = member_permissions.run({}, &open);
  CHECK(result.status == Status::pass);
  CHECK(open == 0);
}

TEST_CASE("scs-0116-permissions fails on a 403 and names the step", "[checks][scs-0116]") {
  const auto result =
      member_permissions.run({{"/v1/secrets", 403, R"({"code": 403, "title": "Forbidden"})"}});
  CHECK(result.status == Status::fail);
  CHECK_THAT(result.summary, Catch::Contains("create a secret"));
}

TEST_CASE("scs-0116-permissions aborts on other errors, N/A without a key manager", "[checks][scs-0116]") {
  const auto broken = member_permissions.run({{"/v1/secrets", 500, R"({"code": 500})"}});
  CHECK(broken.status == Status::abort);
  CHECK_THAT(broken.summary, Catch::Contains("POST http://127.0.0.1:9311/v1/secrets answered HTTP 500"));
  CHECK(run_check("broken-services", "key-manager-member-permissions").status == Status::not_applicable);
}
