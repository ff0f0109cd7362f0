// scs-0115: the testcases that create resources, over recordings of the real test cloud (each made with
// `scs-conformance run --record tests/checks/cassettes/creating-NNNN -t scs-NNNN-…`), with
// canned answers for what the test cloud cannot do. Every test also asserts that nothing is
// left open in the journal.
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::mentions;

const scs::testing::CreatingCheck default_rules{"creating-0115", "security-group-default-rules", "9e3ead"};

TEST_CASE("scs-0115-default-rules passes on a new group (Zed has no default-rules API)",
          "[checks][scs-0115]") {
  std::size_t open = 99;
  const auto result = default_rules.run({}, &open);
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Contains("scs-conformance-9e3ead-1-secgroup"));
  CHECK(open == 0);
}

TEST_CASE("scs-0115-default-rules judges the default-rules API where it exists", "[checks][scs-0115]") {
  const std::string good = R"({"default_security_group_rules": [
    {"id": "e1", "direction": "egress", "ethertype": "IPv4", "used_in_default_sg": true, "used_in_non_default_sg": true},
    {"id": "e2", "direction": "egress", "ethertype": "IPv6", "used_in_default_sg": true, "used_in_non_default_sg": true},
    {"id": "i1", "direction": "ingress", "ethertype": "IPv4", "remote_group_id": "PARENT",
     "used_in_default_sg": true, "used_in_non_default_sg": false}]})";
  const std::string bad = R"({"default_security_group_rules": [
    {"id": "e1", "direction": "egress", "ethertype": "IPv4", "used_in_default_sg": true, "used_in_non_default_sg": true},
    {"id": "ssh", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": 22,
     "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0", "used_in_default_sg": true, "used_in_non_default_sg": true}]})";
  CHECK(default_rules.run({{"/default-security-group-rules", 200, good}}).status == Status::pass);
  const auto failed = default_rules.run({{"/default-security-group-rules", 200, bad}});
  CHECK(failed.status == Status::fail);
  CHECK(mentions(failed, "default rule ssh"));
  CHECK(mentions(failed, "egress IPv6"));
  const auto aborted = default_rules.run({{"/default-security-group-rules", 500, R"({"NeutronError": {}})"}});
  CHECK(aborted.status == Status::abort);
  CHECK_THAT(aborted.summary, Catch::Contains("/v2.0/default-security-group-rules answered HTTP 500"));
}
