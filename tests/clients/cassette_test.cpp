#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "clients/http/cassette.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"
#include "tests/support/temp_env.hpp"

namespace {

namespace fs = std::filesystem;
using scs::HttpRequest;
using scs::HttpResponse;

/// An inner transport for the recorder: answers with whatever the test says.
class ScriptedTransport final : public scs::Transport {
 public:
  explicit ScriptedTransport(std::function<HttpResponse(const HttpRequest&)> answer)
      : answer_(std::move(answer)) {}
  HttpResponse send(const HttpRequest& request) override { return answer_(request); }

 private:
  std::function<HttpResponse(const HttpRequest&)> answer_;
};

HttpResponse json_answer(long status, std::string body, scs::Headers headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return {status, std::move(headers), std::move(body)};
}

}  // namespace

TEST_CASE("a recorded exchange replays with the same status, headers and body") {
  const scs::test::TempDir dir("scs-cassette");
  const auto file = scs::new_cassette_path(dir.path() / "runs", "testcloud");
  CHECK(file.parent_path() == dir.path() / "runs");
  CHECK(file.filename().string().rfind("testcloud-", 0) == 0);
  {
    ScriptedTransport inner([](const HttpRequest& request) -> HttpResponse {
      if (request.url.ends_with("/html"))
        return {502, {{"Content-Type", "text/html"}}, "<html>Bad gateway</html>"};
      if (request.url.ends_with("/down"))
        throw scs::UnreachableError("cannot reach http://h:1: Connection refused");
      return json_answer(200, R"({"flavors": [{"id": "1", "name": "SCS-1V-2"}]})",
                         {{"Vary", "A"}, {"Vary", "B"}});
    });
    scs::RecordingTransport recorder(inner, file);
    CHECK(recorder.send({"GET", "http://h/v2.1/flavors", {{"Accept", "application/json"}}, ""}).status ==
          200);
    CHECK(recorder.send({"GET", "http://h/html", {}, ""}).status == 502);
    CHECK_THROWS_AS(recorder.send({"GET", "http://h/down", {}, ""}), scs::UnreachableError);
  }
  const auto document = nlohmann::json::parse(scs::test::read_text(file));
  CHECK(document["format"] == "scs-cassette/1");
  REQUIRE(document["interactions"].size() == 3);
  CHECK(document["interactions"][0]["response"]["body"]["flavors"][0]["name"] == "SCS-1V-2");
  CHECK(document["interactions"][0]["response"]["headers"]["Vary"] == "A, B");
  CHECK(document["interactions"][1]["response"]["text"] == "<html>Bad gateway</html>");

  scs::ReplayTransport replay(file);
  CHECK(replay.unused() == 3);
  const auto ok = replay.send({"GET", "http://h/v2.1/flavors", {}, ""});
  CHECK(ok.status == 200);
  CHECK(ok.header("content-type") == "application/json");
  CHECK(nlohmann::json::parse(ok.body)["flavors"][0]["id"] == "1");
  const auto html = replay.send({"GET", "http://h/html", {}, ""});
  CHECK(html.status == 502);
  CHECK(html.body == "<html>Bad gateway</html>");
  CHECK_THROWS_WITH(replay.send({"GET", "http://h/down", {}, ""}),
                    "cannot reach http://h:1: Connection refused");
  CHECK(replay.unused() == 0);
}

TEST_CASE("no canary secret reaches the cassette file") {
  const scs::test::TempDir dir("scs-cassette");
  const auto file = dir.path() / "canary.json";
  const std::vector<std::string> secrets = {"canary-password-123", "canary-appcred-secret"};
  {
    ScriptedTransport inner([](const HttpRequest& request) -> HttpResponse {
      if (request.url.ends_with("/auth/tokens")) {
        return json_answer(201, R"({"token": {"roles": [{"name": "member"}]}})",
                           {{"X-Subject-Token", "canary-token-456"}});
      }
      if (request.url.find("/credentials") != std::string::npos) {
        return json_answer(200, R"({"credentials": [{"type": "ec2",
            "blob": "{\"access\": \"ak\", \"secret\": \"canary-ec2-secret\"}"}],
            "application_credential": {"secret": "canary-new-appcred"},
            "note": "echo canary-token-456 and canary-password-123"})");
      }
      return json_answer(200, "{}");
    });
    scs::RecordingTransport recorder(inner, file, secrets);
    recorder.send({"POST",
                   "http://h/v3/auth/tokens",
                   {{"Content-Type", "application/json"}},
                   R"({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "u",
                       "domain": {"name": "Default"}, "password": "canary-password-123"}}}}})"});
    recorder.send({"GET",
                   "http://h/v3/credentials?password=canary-password-123",
                   {{"X-Auth-Token", "canary-token-456"}},
                   ""});
    recorder.send({"GET", "http://h/v3/other/canary-token-456", {{"X-Auth-Token", "canary-token-456"}}, ""});
    recorder.send({"POST",
                   "http://h/v3/auth/tokens",
                   {},
                   R"({"auth": {"identity": {"methods": ["application_credential"],
                       "application_credential": {"id": "ac", "secret": "canary-appcred-secret"}}}})"});
  }
  const std::string text = scs::test::read_text(file);
  CHECK(text.find("canary") == std::string::npos);
  CHECK(text.find("<redacted>") != std::string::npos);
  CHECK(text.find("\"name\": \"u\"") != std::string::npos);  // what is not secret stays readable
}

TEST_CASE("replay matches method, URL, microversion and the normalised body") {
  const scs::test::TempDir dir("scs-cassette");
  const auto file = dir.path() / "match.json";
  {
    int counter = 0;
    ScriptedTransport inner([&counter](const HttpRequest&) {
      return json_answer(200, "{\"n\": " + std::to_string(++counter) + "}");
    });
    scs::RecordingTransport recorder(inner, file);
    recorder.send({"GET", "http://h/a", {}, ""});
    recorder.send({"GET", "http://h/a", {}, ""});
    recorder.send({"GET", "http://h/a", {{"OpenStack-API-Version", "compute 2.61"}}, ""});
    recorder.send({"POST", "http://h/v3/auth/tokens", {}, R"({"auth": {"user": "u", "password": "one"}})"});
  }
  scs::ReplayTransport replay(file);
  SECTION("identical requests are answered in recorded order, then the last one again") {
    CHECK(replay.send({"GET", "http://h/a", {}, ""}).body == R"({"n":1})");
    CHECK(replay.send({"GET", "http://h/a", {}, ""}).body == R"({"n":2})");
    CHECK(replay.send({"GET", "http://h/a", {}, ""}).body == R"({"n":2})");
  }
  SECTION("the microversion selects a different answer") {
    CHECK(replay.send({"GET", "http://h/a", {{"OpenStack-API-Version", "compute 2.61"}}, ""}).body ==
          R"({"n":3})");
    CHECK_THROWS_WITH(
        replay.send({"GET", "http://h/a", {{"OpenStack-API-Version", "compute 2.1"}}, ""}),
        Catch::Contains("GET http://h/a (OpenStack-API-Version: compute 2.1) is not in the cassette"));
  }
  SECTION("a body matches whatever its key order and secret values") {
    const auto answer =
        replay.send({"POST", "http://h/v3/auth/tokens", {}, R"({"auth":{"password":"two","user":"u"}})"});
    CHECK(answer.body == R"({"n":4})");
    CHECK_THROWS_AS(
        replay.send({"POST", "http://h/v3/auth/tokens", {}, R"({"auth":{"user":"v","password":"x"}})"}),
        scs::Error);
  }
  SECTION("a request not in the cassette names method and URL") {
    CHECK_THROWS_WITH(replay.send({"DELETE", "http://h/b", {}, ""}),
                      Catch::StartsWith("DELETE http://h/b is not in the cassette"));
  }
}

TEST_CASE("replayed calls are counted like real ones") {
  const scs::test::TempDir dir("scs-cassette");
  const auto file = dir.path() / "count.json";
  {
    ScriptedTransport inner([](const HttpRequest&) { return json_answer(200, R"({"a": 1})"); });
    scs::RecordingTransport recorder(inner, file);
    recorder.send({"GET", "http://h/a", {}, ""});
  }
  scs::ReplayTransport replay(file);
  scs::CallStats stats;
  {
    const scs::MeterScope scope(stats);
    replay.send({"GET", "http://h/a", {}, ""});
    replay.send({"GET", "http://h/a", {}, ""});
  }
  CHECK(stats.calls == 2);
  CHECK(stats.retries == 0);
  CHECK(stats.bytes_received == 2 * std::string(R"({"a":1})").size());
}

TEST_CASE("a cassette directory replays all its files, a broken file is a ConfigError") {
  const scs::test::TempDir dir("scs-cassette");
  for (const char* name : {"a", "b"}) {
    ScriptedTransport inner([](const HttpRequest&) { return json_answer(200, "{}"); });
    scs::RecordingTransport recorder(inner, dir.path() / (std::string(name) + ".json"));
    recorder.send({"GET", std::string("http://h/") + name, {}, ""});
  }
  scs::ReplayTransport replay(dir.path());
  CHECK(replay.send({"GET", "http://h/a", {}, ""}).status == 200);
  CHECK(replay.send({"GET", "http://h/b", {}, ""}).status == 200);

  std::ofstream(dir.path() / "broken.json") << "{\"format\": \"something else\"}";
  CHECK_THROWS_AS(scs::ReplayTransport(dir.path() / "broken.json"), scs::ConfigError);
  CHECK_THROWS_WITH(scs::ReplayTransport(dir.path() / "missing.json"),
                    Catch::Contains("cannot read the cassette"));
}

// Found by fuzzing (tests/fuzz/http_cassette.cpp): a number JSON cannot hold escaped as
// nlohmann's out_of_range instead of a ConfigError naming the cassette.
TEST_CASE("a cassette with a number out of range is not a cassette") {
  const scs::test::TempDir dir("scs-cassette-range");
  const auto file =
      dir.write("cassette.json", R"({"format": "scs-cassette/1", "interactions": [], "x": 1e400})");
  CHECK_THROWS_AS(scs::ReplayTransport(file), scs::ConfigError);
  CHECK_THROWS_WITH(scs::ReplayTransport(file),
                    Catch::Contains("not a cassette") && Catch::Contains("cassette.json"));
}
