#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "clients/openstack/keystone_auth.hpp"
#include "core/errors.hpp"

namespace {

using nlohmann::json;

json body_for(const scs::CloudConfig& cloud) { return json::parse(scs::keystone::auth_request_body(cloud)); }

scs::CloudConfig password_cloud() {
  scs::CloudConfig cloud;
  cloud.auth_type = "password";
  cloud.username = "u";
  cloud.password = "pw";
  cloud.user_domain_name = "Default";
  return cloud;
}

}  // namespace

TEST_CASE("the token URL is built from auth_url with or without a version") {
  using scs::keystone::token_url;
  CHECK(token_url("https://k:5000/v3") == "https://k:5000/v3/auth/tokens");
  CHECK(token_url("https://k:5000/v3/") == "https://k:5000/v3/auth/tokens");
  CHECK(token_url("https://k:5000") == "https://k:5000/v3/auth/tokens");
  CHECK(token_url("https://k/identity/") == "https://k/identity/v3/auth/tokens");
  CHECK(token_url("https://k:5000/v2.0") == "https://k:5000/v3/auth/tokens");
}

TEST_CASE("password auth: the user by name and domain or by id, the project by name and domain or by id") {
  auto cloud = password_cloud();
  cloud.project_name = "p";
  cloud.project_domain_id = "default";
  CHECK(body_for(cloud) == json::parse(R"({"auth": {
      "identity": {"methods": ["password"],
                   "password": {"user": {"name": "u", "domain": {"name": "Default"}, "password": "pw"}}},
      "scope": {"project": {"name": "p", "domain": {"id": "default"}}}}})"));

  cloud.user_id = "uid";
  cloud.project_id = "pid";
  CHECK(body_for(cloud) == json::parse(R"({"auth": {
      "identity": {"methods": ["password"], "password": {"user": {"id": "uid", "password": "pw"}}},
      "scope": {"project": {"id": "pid"}}}})"));
}

TEST_CASE("a domain scope, and no scope at all") {
  auto cloud = password_cloud();
  cloud.domain_name = "D";
  CHECK(body_for(cloud)["auth"]["scope"] == json::parse(R"({"domain": {"name": "D"}})"));
  cloud.domain_name.clear();
  CHECK_FALSE(body_for(cloud)["auth"].contains("scope"));
}

TEST_CASE("application credentials by id, or by name and user, never with a scope") {
  scs::CloudConfig cloud;
  cloud.auth_type = "v3applicationcredential";
  cloud.application_credential_id = "acid";
  cloud.application_credential_secret = "s";
  cloud.project_name = "ignored";
  CHECK(body_for(cloud) == json::parse(R"({"auth": {"identity": {"methods": ["application_credential"],
      "application_credential": {"id": "acid", "secret": "s"}}}})"));

  cloud.application_credential_id.clear();
  cloud.application_credential_name = "ci";
  cloud.username = "u";
  cloud.user_domain_id = "default";
  CHECK(body_for(cloud)["auth"]["identity"]["application_credential"] ==
        json::parse(R"({"name": "ci", "secret": "s", "user": {"name": "u", "domain": {"id": "default"}}})"));
}

TEST_CASE("token auth rescopes an existing token") {
  scs::CloudConfig cloud;
  cloud.auth_type = "v3token";
  cloud.token = "tok";
  cloud.project_id = "pid";
  CHECK(body_for(cloud) ==
        json::parse(R"({"auth": {"identity": {"methods": ["token"], "token": {"id": "tok"}},
      "scope": {"project": {"id": "pid"}}}})"));
}

TEST_CASE("a token answer gives user, project, roles and catalog") {
  const auto info = scs::keystone::parse_token(json::parse(R"({"token": {
      "user": {"id": "uid", "name": "u"}, "project": {"id": "pid", "name": "p"},
      "roles": [{"id": "1", "name": "member"}, {"id": "2", "name": "reader"}],
      "catalog": [{"type": "compute", "name": "nova", "endpoints": [
          {"interface": "public", "region": "R1", "region_id": "R1", "url": "https://nova/v2.1"},
          {"interface": "internal", "region": "R1", "url": "http://nova.internal/v2.1"}]}]}})"));
  CHECK(info.user_id == "uid");
  CHECK(info.project_name == "p");
  CHECK(info.roles == std::vector<std::string>{"member", "reader"});
  REQUIRE(info.catalog.size() == 1);
  CHECK(info.catalog[0].type == "compute");
  REQUIRE(info.catalog[0].endpoints.size() == 2);
  CHECK(info.catalog[0].endpoints[1].region == "R1");
  CHECK(info.catalog[0].endpoints[1].url == "http://nova.internal/v2.1");
  CHECK_THROWS_AS(scs::keystone::parse_token(json::parse(R"({"error": {}})")), scs::UnreachableError);
}
