#include "run/role_check.hpp"

#include <catch2/catch.hpp>

#include "clients/openstack/openstack.hpp"
#include "core/errors.hpp"

namespace {

scs::TokenInfo token_with(std::vector<std::string> roles) {
  scs::TokenInfo token;
  token.user_name = "alice";
  token.project_name = "scs-project";
  token.roles = std::move(roles);
  return token;
}

}  // namespace

TEST_CASE("the token must hold every role the planned testcases require") {
  CHECK_NOTHROW(scs::check_roles(token_with({"reader", "member"}), "c", {"member"}, false));
  CHECK_NOTHROW(scs::check_roles(token_with({"reader", "member"}), "c", {"reader", "member"}, false));
  CHECK_THROWS_WITH(scs::check_roles(token_with({"reader"}), "c", {"member"}, false),
                    "cloud 'c': the token of user 'alice' lacks the member role in project 'scs-project'");
  CHECK_THROWS_AS(scs::check_roles(token_with({"member"}), "c", {"reader", "member"}, false),
                  scs::ConfigError);
}

TEST_CASE("admin or manager is refused unless privileged roles are allowed") {
  CHECK_THROWS_WITH(
      scs::check_roles(token_with({"member", "admin"}), "c", {"member"}, false),
      Catch::Contains("the token has the role(s) admin") && Catch::Contains("--allow-privileged-roles"));
  CHECK_NOTHROW(scs::check_roles(token_with({"member", "manager"}), "c", {"member"}, true));
}
