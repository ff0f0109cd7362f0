// The OpenStack client against cassettes recorded from the test cloud (see
// record_fixtures_test.cpp), and against a misbehaving local endpoint for the error paths.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/http/cassette.hpp"
#include "clients/http/curl_transport.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"
#include "tests/support/local_http_server.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using scs::test::LocalHttpServer;
using Reply = LocalHttpServer::Reply;

const fs::path fixtures = fs::path(SCS_SOURCE_DIR) / "tests/clients/fixtures/openstack";
constexpr const char* canary = "canary-password-123";

/// The cloud the cassettes were recorded as, with a password that was never sent anywhere.
scs::CloudConfig member() {
  scs::CloudConfig cloud;
  cloud.name = "testcloud-member";
  cloud.auth_type = "password";
  cloud.auth_url = "http://127.0.0.1:5000/v3";
  cloud.username = "scs-member";
  cloud.password = canary;
  cloud.user_domain_name = "Default";
  cloud.project_name = "scs-project";
  cloud.project_domain_name = "Default";
  cloud.region_name = "RegionOne";
  return cloud;
}

json cassette(const std::string& name) {
  std::ifstream in(fixtures / name);
  return json::parse(in);
}

/// The recorded answers to GETs whose URL starts with `prefix`.
std::vector<json> recorded_pages(const json& document, const std::string& prefix) {
  std::vector<json> pages;
  for (const auto& interaction : document["interactions"]) {
    const auto& request = interaction["request"];
    if (request["method"] == "GET" && request["url"].get<std::string>().rfind(prefix, 0) == 0) {
      pages.push_back(interaction["response"]["body"]);
    }
  }
  return pages;
}

std::size_t recorded_items(const std::vector<json>& pages, const std::string& key) {
  std::size_t count = 0;
  for (const auto& page : pages) count += page[key].size();
  return count;
}

/// Keystone from the cassette, everything else from the local server.
class KeystoneFromCassette final : public scs::Transport {
 public:
  KeystoneFromCassette(scs::Transport& keystone, scs::Transport& rest) : keystone_(keystone), rest_(rest) {}
  scs::HttpResponse send(const scs::HttpRequest& request) override {
    return request.url.rfind("http://127.0.0.1:5000/", 0) == 0 ? keystone_.send(request)
                                                               : rest_.send(request);
  }

 private:
  scs::Transport& keystone_;
  scs::Transport& rest_;
};

scs::TransportOptions fast() {
  scs::TransportOptions options;
  options.max_retries = 2;
  options.initial_backoff = std::chrono::milliseconds(5);
  return options;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the token tells roles, user, project and catalog, in one request") {
  scs::ReplayTransport replay(fixtures / "member-session.json");
  scs::OpenStack openstack(member(), replay);
  scs::CallStats stats;
  {
    const scs::MeterScope scope(stats);
    const auto& token = openstack.token();
    CHECK(std::find(token.roles.begin(), token.roles.end(), "member") != token.roles.end());
    CHECK(token.user_name == "scs-member");
    CHECK(token.project_name == "scs-project");
    CHECK_FALSE(token.project_id.empty());
    const auto& catalog = openstack.catalog();
    CHECK(std::any_of(catalog.begin(), catalog.end(),
                      [](const auto& entry) { return entry.type == "compute"; }));
    CHECK(openstack.endpoint_url("compute") == "http://127.0.0.1:8774/v2.1");
    CHECK(openstack.endpoint_url("identity") == "http://127.0.0.1:5000/v3");  // no trailing slash
    CHECK(openstack.endpoint_url("block-storage") == "http://127.0.0.1:8776/v3/" + token.project_id);
    CHECK(openstack.endpoint_url("volume") == openstack.endpoint_url("block-storage"));  // an alias
  }
  CHECK(stats.calls == 1);
}

TEST_CASE("endpoint lookups honour overrides, interface and region") {
  scs::ReplayTransport replay(fixtures / "member-session.json");
  SECTION("an override wins and its %(project_id)s is filled in") {
    auto cloud = member();
    cloud.endpoint_overrides["compute"] = "https://nova.example.com/v2.1/%(project_id)s/";
    scs::OpenStack openstack(cloud, replay);
    CHECK(openstack.endpoint_url("compute") ==
          "https://nova.example.com/v2.1/" + openstack.token().project_id);
  }
  SECTION("a service that is not in the catalog") {
    scs::OpenStack openstack(member(), replay);
    CHECK(error_of([&] { openstack.endpoint_url("dns"); }) ==
          "the catalog of cloud 'testcloud-member' has no 'dns' service");
  }
  SECTION("a region the catalog does not have") {
    auto cloud = member();
    cloud.region_name = "RegionTwo";
    scs::OpenStack openstack(cloud, replay);
    CHECK_THAT(
        error_of([&] { openstack.endpoint_url("compute"); }),
        Catch::StartsWith("the catalog of cloud 'testcloud-member' has no public endpoint for 'compute' in "
                          "region 'RegionTwo' (it has: ") &&
            Catch::Contains("public in RegionOne"));
  }
}

TEST_CASE("flavors: one listing with extra specs embedded (microversion 2.61)") {
  const auto document = cassette("member-session.json");
  const auto pages = recorded_pages(document, "http://127.0.0.1:8774/v2.1/flavors/detail?is_public=None");
  REQUIRE_FALSE(pages.empty());
  const std::size_t listed = pages.front()["flavors"].size();  // the unpaginated listing comes first

  scs::ReplayTransport replay(fixtures / "member-session.json");
  scs::OpenStack openstack(member(), replay);
  scs::CallStats stats;
  {
    const scs::MeterScope scope(stats);
    const auto& flavors = openstack.flavors();
    REQUIRE(flavors.size() == listed);
    for (const auto& flavor : flavors) {
      INFO(flavor.name);
      CHECK_FALSE(flavor.id.empty());
      CHECK(flavor.vcpus > 0);
      CHECK(flavor.ram_mib > 0);
      if (flavor.name.rfind("SCS-", 0) == 0) CHECK(flavor.extra_specs.count("scs:name-v2") == 1);
    }
    CHECK(std::any_of(flavors.begin(), flavors.end(), [](const auto& f) { return !f.extra_specs.empty(); }));
  }
  CHECK(stats.calls == 2);  // the token and one listing: nothing else
}

TEST_CASE("flavors are fetched once, whoever asks and from how many threads") {
  scs::ReplayTransport replay(fixtures / "member-session.json");
  scs::OpenStack openstack(member(), replay);
  scs::CallStats first;
  std::vector<scs::CallStats> stats(8);
  std::vector<std::thread> threads;
  for (auto& counted : stats) {
    threads.emplace_back([&openstack, &counted] {
      const scs::MeterScope scope(counted);
      CHECK_FALSE(openstack.flavors().empty());
    });
  }
  for (auto& thread : threads) thread.join();
  scs::CallStats total;
  for (const auto& counted : stats) total += counted;
  CHECK(total.calls == 2);
  CHECK(&openstack.flavors() == &openstack.flavors());
}

TEST_CASE("get_all follows each service's next links") {
  const auto document = cassette("member-session.json");
  scs::ReplayTransport replay(fixtures / "member-session.json");
  scs::OpenStack openstack(member(), replay);
  openstack.token();
  const auto check = [&](const char* service, const char* path, const char* key,
                         std::string_view microversion, const std::string& prefix) {
    INFO(service << " " << path);
    const auto pages = recorded_pages(document, prefix);
    REQUIRE(pages.size() >= 2);  // recorded with a small limit, to have several pages
    scs::CallStats stats;
    std::vector<json> items;
    {
      const scs::MeterScope scope(stats);
      items = openstack.get_all(service, path, key, microversion);
    }
    CHECK(items.size() == recorded_items(pages, key));
    CHECK(stats.calls == pages.size());
    std::set<std::string> ids;
    for (const auto& item : items) ids.insert(item["id"].get<std::string>());
    CHECK(ids.size() == items.size());  // no page twice
    return items.size();
  };
  // Nova: flavors_links with absolute hrefs.
  const auto flavors = check("compute", "/flavors/detail?is_public=None&limit=10", "flavors", "compute 2.61",
                             "http://127.0.0.1:8774/v2.1/flavors/detail?is_public=None&limit=10");
  CHECK(flavors == openstack.flavors().size());
  // Glance: "next" relative to the endpoint.
  check("image", "/v2/images?limit=2", "images", {}, "http://127.0.0.1:9292/v2/images?limit=2");
  // Neutron: networks_links.
  check("network", "/v2.0/networks?limit=1", "networks", {}, "http://127.0.0.1:9696/v2.0/networks?limit=1");
  // Cinder: volume_type_links (not volume_types_links).
  check("block-storage", "/types?limit=2", "volume_types", {},
        "http://127.0.0.1:8776/v3/" + openstack.token().project_id + "/types?limit=2");
}

TEST_CASE("a Nova older than 2.61: the extra specs are asked per flavor") {
  const auto document = cassette("old-nova-flavors.json");
  const auto specs_pages = recorded_pages(document, "http://127.0.0.1:8774/v2.1/flavors/");
  const auto listing = recorded_pages(document, "http://127.0.0.1:8774/v2.1/flavors/detail");
  REQUIRE(listing.size() == 2);  // the 406, then the listing without microversion
  const std::size_t listed = listing.back()["flavors"].size();

  scs::ReplayTransport replay(fixtures / "old-nova-flavors.json");
  scs::OpenStack openstack(member(), replay);
  scs::CallStats stats;
  {
    const scs::MeterScope scope(stats);
    const auto& flavors = openstack.flavors();
    REQUIRE(flavors.size() == listed);
    for (const auto& flavor : flavors) {
      if (flavor.name.rfind("SCS-", 0) == 0) CHECK(flavor.extra_specs.count("scs:name-v2") == 1);
    }
  }
  // token + 406 + listing + one request per flavor, all charged to the caller.
  CHECK(stats.calls == 1 + 2 + listed);
  CHECK(specs_pages.size() == 2 + listed);
  CHECK(replay.unused() == 0);
}

TEST_CASE("a wrong password is a ConfigError that names the cloud, not the password, asked once") {
  scs::ReplayTransport replay(fixtures / "wrong-password.json");
  scs::OpenStack openstack(member(), replay);
  scs::CallStats stats;
  const scs::MeterScope scope(stats);
  const std::string expected =
      "authentication failed for cloud 'testcloud-member' at http://127.0.0.1:5000/v3/auth/tokens: the "
      "password or "
      "application credential was rejected (HTTP 401)";
  CHECK_THROWS_MATCHES(openstack.token(), scs::ConfigError, Catch::Matchers::Message(expected));
  CHECK_THROWS_MATCHES(openstack.flavors(), scs::ConfigError, Catch::Matchers::Message(expected));
  CHECK(stats.calls == 1);
  CHECK(expected.find(canary) == std::string::npos);
}

TEST_CASE("get_json: microversion headers, token, and answers that are not API answers") {
  scs::ReplayTransport keystone(fixtures / "member-session.json");
  LocalHttpServer server;
  scs::CurlTransport curl(fast());
  KeystoneFromCassette transport(keystone, curl);
  scs::OpenStack openstack(member(), transport);

  SECTION("JSON, with both microversion headers and the token") {
    server.enqueue(Reply::with(200, R"({"servers": []})").header("Content-Type", "application/json"));
    CHECK(openstack.get_json("compute", server.url("/v2.1/servers"), "compute 2.61") ==
          json{{"servers", json::array()}});
    const auto request = server.requests().at(0);
    CHECK(scs::find_header(request.headers, "OpenStack-API-Version") == "compute 2.61");
    CHECK(scs::find_header(request.headers, "X-OpenStack-Nova-API-Version") == "2.61");
    CHECK_FALSE(scs::find_header(request.headers, "X-Auth-Token").empty());
    CHECK(scs::find_header(request.headers, "Accept") == "application/json");
  }
  SECTION("an HTML page") {
    server.enqueue(
        Reply::with(200, "<html><head><title>Down for maintenance</title></head><body>…</body></html>")
            .header("Content-Type", "text/html"));
    const auto url = server.url("/v2.1/flavors");
    CHECK_THROWS_MATCHES(
        openstack.get_json("compute", url), scs::UnreachableError,
        Catch::Matchers::Message(
            fmt::format("GET {} did not answer with JSON (HTTP 200, text/html): Down for maintenance", url)));
  }
  SECTION("a truncated JSON document") {
    server.enqueue(
        Reply::with(200, R"({"flavors": [{"id": "1", "na)").header("Content-Type", "application/json"));
    const auto url = server.url("/v2.1/flavors");
    CHECK_THROWS_MATCHES(
        openstack.get_json("compute", url), scs::UnreachableError,
        Catch::Matchers::Message(fmt::format("GET {} did not answer with JSON (HTTP 200, application/json): "
                                             "incomplete or malformed JSON document of 28 bytes",
                                             url)));
  }
  SECTION("5xx after every retry is an HttpError with the fault message") {
    server.set_handler([](const auto&) {
      return Reply::with(503, R"({"computeFault": {"code": 503, "message": "Nova is\nresting"}})")
          .header("Content-Type", "application/json");
    });
    const auto url = server.url("/v2.1/flavors");
    scs::CallStats stats;
    {
      const scs::MeterScope scope(stats);
      CHECK_THROWS_MATCHES(
          openstack.get_json("compute", url), scs::HttpError,
          Catch::Matchers::Message(fmt::format("GET {} answered HTTP 503: Nova is resting", url)));
    }
    CHECK(server.requests().size() == 3);
    CHECK(stats.calls == 4);  // the token from the cassette, then three attempts
    CHECK(stats.retries == 2);
  }
  SECTION("a 404 is an HttpError with its status") {
    server.enqueue(
        Reply::with(404, R"({"itemNotFound": {"code": 404, "message": "Flavor x could not be found."}})"));
    try {
      openstack.get_json("compute", server.url("/v2.1/flavors/x"));
      FAIL("no error");
    } catch (const scs::HttpError& error) {
      CHECK(error.status() == 404);
      CHECK_THAT(error.what(), Catch::EndsWith("answered HTTP 404: Flavor x could not be found."));
    }
  }
}

TEST_CASE("a server that echoes the password does not get it into an error message") {
  LocalHttpServer server;
  scs::CurlTransport curl(fast());
  auto cloud = member();
  cloud.auth_url = server.url("/identity/v3");
  scs::OpenStack openstack(cloud, curl);
  server.enqueue(
      Reply::with(400, fmt::format(R"({{"error": {{"code": 400, "message": "bad password {}"}}}})", canary))
          .header("Content-Type", "application/json"));
  const std::string message = error_of([&] { openstack.token(); });
  CHECK_THAT(message,
             Catch::StartsWith("authentication failed for cloud 'testcloud-member' at " +
                               server.url("/identity/v3/auth/tokens") + " (HTTP 400): bad password "));
  CHECK_THAT(message, !Catch::Contains(canary));
  const auto sent = server.requests().at(0);
  CHECK(sent.body.find(canary) != std::string::npos);  // it was sent, but only there
}

TEST_CASE("an API error that echoes a secret is scrubbed") {
  scs::ReplayTransport keystone(fixtures / "member-session.json");
  LocalHttpServer server;
  scs::CurlTransport curl(fast());
  KeystoneFromCassette transport(keystone, curl);
  scs::OpenStack openstack(member(), transport);
  server.enqueue(Reply::with(409, fmt::format(R"({{"conflict": {{"message": "{} is taken"}}}})", canary)));
  const std::string message =
      error_of([&] { openstack.get_json("compute", server.url("/v2.1/x?password=hunter2")); });
  CHECK_THAT(message, Catch::EndsWith("answered HTTP 409: <redacted> is taken"));
  CHECK_THAT(message, Catch::Contains("password=<redacted>"));
  CHECK_THAT(message, !Catch::Contains(canary) && !Catch::Contains("hunter2"));
}

namespace {
/// Answers every request with the same body.
class FixedAnswer final : public scs::Transport {
 public:
  explicit FixedAnswer(std::string body) : body_(std::move(body)) {}
  scs::HttpResponse send(const scs::HttpRequest&) override {
    return {200, {{"Content-Type", "application/json"}}, body_};
  }

 private:
  std::string body_;
};
}  // namespace

// Found with the fuzz harness (tests/fuzz/openstack_api.cpp): listing entries of the wrong shape
// (an id that is a number, an entry that is no object, a vCPU count beyond int) escaped as
// nlohmann's type_error or converted out of range.
TEST_CASE("listings whose entries have the wrong shape are errors naming the cloud") {
  scs::ReplayTransport keystone(fixtures / "member-session.json");
  const std::vector<std::string> bodies = {
      R"({"flavors": [{"id": 5, "name": "x", "extra_specs": {}}]})",
      R"({"flavors": [7]})",
      R"({"flavors": [{"id": "f", "vcpus": 1e300, "extra_specs": {}}]})",
      R"({"flavors": [{"id": "f", "vcpus": 4294967296, "extra_specs": {}}]})",
      R"({"flavors": [{"id": "f", "ram": -1, "extra_specs": {}}]})",
  };
  for (const auto& body : bodies) {
    INFO(body);
    FixedAnswer rest(body);
    KeystoneFromCassette transport(keystone, rest);
    scs::OpenStack openstack(member(), transport);
    CHECK_THROWS_AS(openstack.flavors(), scs::UnreachableError);
    CHECK_THROWS_WITH(openstack.flavors(), Catch::Contains("the flavors of cloud 'testcloud-member'"));
  }
  FixedAnswer rest(R"({"volume_types": [{"id": "v", "name": ["a"]}]})");
  KeystoneFromCassette transport(keystone, rest);
  scs::OpenStack openstack(member(), transport);
  CHECK_THROWS_AS(openstack.volume_types(), scs::UnreachableError);
  CHECK_THROWS_WITH(openstack.volume_types(),
                    Catch::Contains("the volume types of cloud 'testcloud-member'"));
}
