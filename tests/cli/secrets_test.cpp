// Secrets never leave the process: a password, an application credential secret and the token
// Keystone hands out appear in no output, report, error message or cassette, whether Keystone
// rejects them, echoes them back, or accepts them and the run is recorded and replayed.
// (The unreachable case is in reports_written_test.cpp, where one run checks both promises.)

#include <catch2/catch.hpp>

#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace {

using Catch::Matchers::Contains;
using scs::test::CloudSandbox;
using scs::test::CollectedRun;
using scs::test::FakeCloud;
using scs::test::TempDir;
using Reply = scs::test::LocalHttpServer::Reply;
using Request = scs::test::LocalHttpServer::Request;

constexpr std::string_view password_canary = "canary-pw-7f3a9";
constexpr std::string_view secret_canary = "canary-acs-51d2e";

const std::vector<std::string>& canaries() {
  static const std::vector<std::string> all = {std::string(password_canary), std::string(secret_canary),
                                               FakeCloud::token_value()};
  return all;
}

void check_no_secret(const std::string& where, const std::string& text) {
  for (const auto& canary : canaries()) {
    INFO(where << " must not contain " << canary << ":\n" << text);
    CHECK(text.find(canary) == std::string::npos);
  }
}

void check_run_keeps_secrets(const CollectedRun& run) {
  check_no_secret("stdout", run.stdout_text);
  check_no_secret("stderr", run.stderr_text);
  for (const auto& report : {run.yaml, run.json, run.junit, run.markdown}) {
    INFO(report.string());
    REQUIRE(std::filesystem::exists(report));
    check_no_secret(report.filename().string(), scs::test::read_text(report));
  }
}

/// clouds.yaml with a password cloud and an application-credential cloud, both holding a canary.
void write_canary_clouds(CloudSandbox& sandbox, const std::string& auth_url) {
  sandbox.write_clouds_yaml(
      "clouds:\n" + scs::test::password_cloud("canary-password", auth_url, std::string(password_canary)) +
      scs::test::application_credential_cloud("canary-appcred", auth_url, std::string(secret_canary)));
}

/// The canary the cloud holds actually went out (else the test proves nothing).
void require_canary_sent(const FakeCloud& cloud, const std::string& canary) {
  bool sent = false;
  for (const auto& request : cloud.requests()) sent = sent || request.body.find(canary) != std::string::npos;
  INFO("the auth request carries " << canary);
  REQUIRE(sent);
}

std::string canary_of(const std::string& cloud) {
  return std::string(cloud == "canary-password" ? password_canary : secret_canary);
}

}  // namespace

TEST_CASE("a rejected password or application credential appears in no output, report or message") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  write_canary_clouds(sandbox, cloud.auth_url());
  const std::string name = GENERATE(as<std::string>{}, "canary-password", "canary-appcred");
  // Each section sets Keystone's answer and checks the run inside the section (--warn
  // NoAssertions). `shown`: what of the echo must reach the output (so it was not just dropped).
  const auto check_run = [&](int expected_code, const std::string& shown) {
    TempDir out;
    auto options = scs::test::iaas_run(name);
    const auto run = scs::test::run_like_main(options, out.path());

    require_canary_sent(cloud, canary_of(name));
    CHECK(run.exit_code == expected_code);
    CHECK_THAT(run.stdout_text, Contains(shown));
    check_run_keeps_secrets(run);
  };
  SECTION("Keystone answers 401") {
    cloud.on_keystone([](const Request&) {
      return Reply::
          with(401,
               R"({"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}})")
              .header("Content-Type", "application/json");
    });
    check_run(78, "");
  }
  SECTION("Keystone answers 401 and echoes the request") {
    cloud.on_keystone([](const Request& request) {
      const nlohmann::json body = {{"error", {{"code", 401}, {"message", "Unauthorized: " + request.body}}}};
      return Reply::with(401, body.dump()).header("Content-Type", "application/json");
    });
    check_run(78, "");
  }
  SECTION("Keystone answers 400 and echoes the request in its message") {
    cloud.on_keystone([](const Request& request) {
      const nlohmann::json body = {
          {"error", {{"code", 400}, {"message", "Invalid input for field 'identity': " + request.body}}}};
      return Reply::with(400, body.dump()).header("Content-Type", "application/json");
    });
    check_run(78, "Invalid input for field 'identity'");
  }
  SECTION("Keystone answers 500 with an HTML page quoting the request") {
    cloud.on_keystone([](const Request& request) {
      return Reply::with(500, "<html><head><title>Error " + request.body + "</title></head></html>")
          .header("Content-Type", "text/html");
    });
    check_run(69, "answered HTTP 500: Error {");
  }
}

TEST_CASE("a recorded run and its replay keep every secret out of cassettes, reports and output") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  write_canary_clouds(sandbox, cloud.auth_url());
  const std::string name = GENERATE(as<std::string>{}, "canary-password", "canary-appcred");
  TempDir out;
  const auto recording = out / "recording";

  auto options = scs::test::iaas_run(name);
  options.record_dir = recording.string();
  const auto recorded = scs::test::run_like_main(options, out / "recorded");

  require_canary_sent(cloud, canary_of(name));
  REQUIRE(cloud.count("/compute/v2.1/flavors/detail") > 0);  // the token worked: requests carried it
  INFO("stderr: " << recorded.stderr_text);
  CHECK_FALSE(recorded.threw);
  check_run_keeps_secrets(recorded);
  std::size_t cassettes = 0;
  for (const auto& [path, text] : scs::test::files_below(recording)) {
    check_no_secret(path.string(), text);
    if (path.extension() != ".json") continue;
    ++cassettes;
    const auto cassette = nlohmann::json::parse(text);
    CHECK(cassette.at("interactions").size() >= 2);
    CHECK_THAT(text, Contains("<redacted>"));  // the secrets were there, and were replaced
  }
  CHECK(cassettes == 1);

  auto replay = scs::test::iaas_run(name);
  replay.os_cloud.reset();
  replay.replay_dir = recording.string();
  const auto before = cloud.requests().size();
  const auto replayed = scs::test::run_like_main(replay, out / "replayed");

  CHECK(cloud.requests().size() == before);  // offline
  INFO("stderr: " << replayed.stderr_text);
  CHECK_FALSE(replayed.threw);
  CHECK(replayed.exit_code == recorded.exit_code);
  check_run_keeps_secrets(replayed);
  // Same verdicts per testcase as the recorded run.
  const auto verdicts = [](const std::filesystem::path& json_report) {
    std::map<std::string, std::string> by_id;
    // Kept in a variable: a range-for over parse(…).at(…) reads the parsed document after its end.
    const auto report = nlohmann::json::parse(scs::test::read_text(json_report));
    for (const auto& testcase : report.at("testcases")) {
      by_id[testcase.at("id").get<std::string>()] =
          testcase.at("status").dump() + " " + testcase.at("summary").dump();
    }
    return by_id;
  };
  CHECK(verdicts(replayed.json) == verdicts(recorded.json));
}

TEST_CASE("a cached token keeps every secret out of output and reports, and the cache holds no password") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  write_canary_clouds(sandbox, cloud.auth_url());
  const std::string name = GENERATE(as<std::string>{}, "canary-password", "canary-appcred");
  // Keystone's answer with an expiry (the cache keeps only tokens whose end it knows), and the
  // validation a cached token gets.
  cloud.on_keystone([&cloud](const Request& request) {
    auto reply = cloud.token_reply();
    auto body = nlohmann::json::parse(reply.body);
    body["token"]["expires_at"] = "2099-01-01T00:00:00.000000Z";
    reply.body = body.dump();
    if (request.method == "GET") reply.status = 200;
    return reply;
  });
  TempDir out;
  const char* cache = std::getenv("XDG_CACHE_HOME");
  REQUIRE(cache != nullptr);  // the test process's own (catch_main.cpp), never the user's

  const auto first = scs::test::run_like_main(scs::test::iaas_run(name), out / "first");
  const auto second = scs::test::run_like_main(scs::test::iaas_run(name), out / "second");
  require_canary_sent(cloud, canary_of(name));
  INFO("stderr: " << first.stderr_text << second.stderr_text);
  CHECK_FALSE(first.threw);
  CHECK_FALSE(second.threw);
  const auto token_source = [](const std::filesystem::path& report) {
    return nlohmann::json::parse(scs::test::read_text(report)).at("run").value("token", "");
  };
  CHECK(token_source(first.json) == "new");
  CHECK(token_source(second.json) == "cached");
  CHECK(cloud.count("/v3/auth/tokens") == 2);  // one issued, one validated
  check_run_keeps_secrets(first);
  check_run_keeps_secrets(second);

  std::size_t entries = 0;
  for (const auto& [path, text] : scs::test::files_below(std::filesystem::path(cache) / "scs-conformance")) {
    if (!path.filename().string().starts_with("token-")) continue;
    INFO(path.string());
    CHECK(text.find(password_canary) == std::string::npos);
    CHECK(text.find(secret_canary) == std::string::npos);
    // Entries of this fake cloud (its port is its own): one, with the token it issued.
    if (path.extension() == ".json" && text.find(cloud.auth_url()) != std::string::npos) {
      ++entries;
      CHECK(text.find(FakeCloud::token_value()) != std::string::npos);
    }
  }
  CHECK(entries == 1);  // the token itself is what the cache is for: there, and only there
}
