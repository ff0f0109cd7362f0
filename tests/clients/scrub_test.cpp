#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "clients/http/scrub.hpp"

using scs::Scrubber;

TEST_CASE("secret headers are recognised whatever their case") {
  for (const char* name : {"X-Auth-Token", "x-subject-token", "X-Service-Token", "Authorization", "Cookie",
                           "Set-Cookie", "X-Container-Meta-Temp-URL-Key", "X-Amz-Security-Token"}) {
    INFO(name);
    CHECK(scs::is_secret_header(name));
  }
  for (const char* name : {"Content-Type", "X-OpenStack-Request-Id", "OpenStack-API-Version", "Vary"}) {
    INFO(name);
    CHECK_FALSE(scs::is_secret_header(name));
  }
}

TEST_CASE("secret JSON keys are matched by name and suffix, not by substring") {
  for (const char* key :
       {"password", "Password", "secret", "application_credential_secret", "original_password", "adminPass",
        "passphrase", "payload", "private_key", "auth_token", "temp_url_sig", "client-secret"}) {
    INFO(key);
    CHECK(scs::is_secret_key(key));
  }
  for (const char* key :
       {"password_expires_at", "secret_ref", "secret_type", "name", "id", "access", "key_name"}) {
    INFO(key);
    CHECK_FALSE(scs::is_secret_key(key));
  }
}

TEST_CASE("known secrets are removed from text in every spelling") {
  Scrubber scrubber({"canary-password-123", "pa ss/wörd\""});
  CHECK(scrubber.text("x canary-password-123 y") == "x <redacted> y");
  CHECK(scrubber.text("q=pa%20ss%2Fw%C3%B6rd%22") == "q=<redacted>");
  CHECK(scrubber.text(R"({"d": "pa ss/wörd\""})") == R"({"d": "<redacted>"})");
  CHECK(scrubber.text("nothing here") == "nothing here");
  scrubber.add_secret("");  // ignored, not "replace everything"
  CHECK(scrubber.text("abc") == "abc");
}

TEST_CASE("URLs lose user passwords and secret query parameters") {
  Scrubber scrubber({"canary-token-456"});
  CHECK(scrubber.url("https://user:canary@host:5000/v3?a=1") == "https://user:<redacted>@host:5000/v3?a=1");
  CHECK(scrubber.url("https://host/x?limit=2&password=hunter2&temp_url_sig=abc") ==
        "https://host/x?limit=2&password=<redacted>&temp_url_sig=<redacted>");
  CHECK(scrubber.url("https://host/tokens/canary-token-456") == "https://host/tokens/<redacted>");
  CHECK(scrubber.url("https://host/v2.1/flavors/detail?is_public=None") ==
        "https://host/v2.1/flavors/detail?is_public=None");
}

TEST_CASE("JSON bodies lose secret values, nested credential blobs included") {
  Scrubber scrubber({"canary-password-123"});
  const auto body = nlohmann::json::parse(R"({
    "auth": {"identity": {"methods": ["password", "token"],
             "password": {"user": {"name": "u", "password": "whatever-it-is"}},
             "token": {"id": "gAAAA-token"}}},
    "user": {"password_expires_at": null, "description": "pw is canary-password-123"},
    "credential": {"type": "ec2", "blob": "{\"access\": \"AK\", \"secret\": \"ec2-canary\"}"},
    "application_credential": {"id": "ac1", "secret": "ac-canary"}
  })");
  const auto scrubbed = scrubber.json(body);
  const std::string text = scrubbed.dump();
  CHECK(text.find("whatever-it-is") == std::string::npos);
  CHECK(text.find("gAAAA-token") == std::string::npos);
  CHECK(text.find("canary") == std::string::npos);
  CHECK(scrubbed["auth"]["identity"]["password"]["user"]["name"] == "u");
  CHECK(scrubbed["user"]["password_expires_at"].is_null());
  CHECK(scrubbed["credential"]["blob"].get<std::string>().find("\"access\":\"AK\"") != std::string::npos);
  CHECK(scrubbed["application_credential"]["id"] == "ac1");
}

TEST_CASE("secret headers keep their name and lose their value") {
  Scrubber scrubber;
  const auto headers = scrubber.headers({{"X-Auth-Token", "t"}, {"Content-Type", "application/json"}});
  CHECK(headers == scs::Headers{{"X-Auth-Token", "<redacted>"}, {"Content-Type", "application/json"}});
}
