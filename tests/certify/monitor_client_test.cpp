// Uploading to the compliance monitor: body, headers, retries and what each answer means.
// The monitor's own behaviour is tested against the real one (tests/integration/
// monitor_equivalence.py); here a local server gives the answers that are hard to provoke.
#include <sys/stat.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "certify/monitor_client.hpp"
#include "certify/ssh_wire.hpp"
#include "clients/http/curl_transport.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "tests/support/local_http_server.hpp"
#include "tests/support/temp_env.hpp"

using scs::UploadOutcome;
using scs::test::LocalHttpServer;
using Reply = LocalHttpServer::Reply;

namespace {

constexpr std::string_view canary_password = "canary-Pa55w0rd-7f3e";
constexpr std::string_view signature =
    "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n";

scs::UploadResult upload(LocalHttpServer& server, int attempts = 3) {
  scs::TransportOptions options;
  options.max_retries = 0;
  scs::CurlTransport transport(options);
  const scs::MonitorCredentials credentials{"cloud-a", std::string(canary_password)};
  const scs::UploadRequest request{server.url("/").substr(0, server.url("/").size() - 1),
                                   std::string(signature), "subject: cloud-a\n", "application/x-signed-yaml",
                                   "cloud-a"};
  return scs::upload_report(transport, credentials, request, {attempts, std::chrono::milliseconds(1)});
}

Reply detail(long status, const std::string& text) {
  return Reply::with(status, R"({"detail":")" + text + R"("})").header("Content-Type", "application/json");
}

}  // namespace

TEST_CASE("an upload is a POST of signature, '&' and report with Basic auth and the signed content type") {
  LocalHttpServer server;
  server.enqueue(Reply::with(200, "null"));
  const auto result = upload(server);
  CHECK(result.outcome == UploadOutcome::stored);
  CHECK(result.attempts == 1);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/reports");
  CHECK(requests[0].body == std::string(signature) + "&subject: cloud-a\n");
  CHECK(scs::find_header(requests[0].headers, "Content-Type") == "application/x-signed-yaml");
  CHECK(scs::find_header(requests[0].headers, "Authorization") ==
        "Basic " + scs::base64_encode("cloud-a:" + std::string(canary_password)));
}

TEST_CASE("409 'already present' is success: uploading again is harmless") {
  LocalHttpServer server;
  server.enqueue(detail(409, "Conflict: report already present"));
  const auto result = upload(server);
  CHECK(result.outcome == UploadOutcome::already_present);
  CHECK(result.attempts == 1);
}

TEST_CASE("5xx and dropped connections are tried again with backoff, then count as unreachable", "[timing]") {
  LocalHttpServer server;
  // The drop comes first, on a fresh connection: libcurl itself retries a drop on a reused one.
  server.enqueue(Reply::dropped());
  server.enqueue(Reply::with(502, "<html>bad gateway</html>"));
  server.enqueue(Reply::with(200, "null"));
  auto result = upload(server, 4);
  CHECK(result.outcome == UploadOutcome::stored);
  CHECK(result.attempts == 3);

  server.set_handler([](const auto&) { return Reply::with(503, "busy"); });
  result = upload(server, 3);
  CHECK(result.outcome == UploadOutcome::unreachable);
  CHECK(result.attempts == 3);
  CHECK(result.reason == "the monitor answered HTTP 503 (busy) (after 3 attempts)");
}

TEST_CASE("a closed port is unreachable after the attempts", "[timing]") {
  // Held for the whole test: nobody can start listening there (a server's port, once it stops,
  // could be taken by another test under ctest -j).
  const scs::test::ClosedPort closed;
  const int port = closed.port();
  scs::TransportOptions options;
  options.max_retries = 0;
  scs::CurlTransport transport(options);
  const scs::UploadRequest request{fmt::format("http://127.0.0.1:{}", port), std::string(signature), "r", "t",
                                   "s"};
  const auto result = scs::upload_report(transport, {"u", "p"}, request, {2, std::chrono::milliseconds(1)});
  CHECK(result.outcome == UploadOutcome::unreachable);
  CHECK(result.attempts == 2);
  CHECK_THAT(result.reason, Catch::Contains("127.0.0.1"));
}

TEST_CASE("each refusal of the monitor gets a one-line reason naming its cause, never the password") {
  const std::vector<std::pair<Reply, std::string>> cases{
      {detail(401, "Incorrect username or password"), "refused the password of account 'cloud-a' (HTTP 401)"},
      {detail(401, "verification failed"),
       "could not verify the signature with the keys of account 'cloud-a'"},
      {detail(401, "missing signature"), "found no signature"},
      {detail(401, "Permission denied"), "account 'cloud-a' may not upload reports for subject 'cloud-a'"},
      {detail(415, "Unsupported Media Type"),
       "does not accept content type 'application/x-signed-yaml' (HTTP 415)"},
      {detail(422, "bad " + std::string(canary_password)), "refused the report (HTTP 422: bad <redacted>)"},
      // Found with the fuzz harness (tests/fuzz/monitor_answer.cpp): a detail with a line break.
      {detail(422, R"(two\nlines)"), R"(refused the report (HTTP 422: two\nlines))"},
  };
  for (const auto& [reply, expected] : cases) {
    LocalHttpServer server;
    server.enqueue(reply);
    const auto result = upload(server);
    INFO(expected);
    CHECK(result.outcome == UploadOutcome::refused);
    CHECK(result.attempts == 1);
    CHECK_THAT(result.reason, Catch::Contains(expected));
    CHECK(result.reason.find(canary_password) == std::string::npos);
    CHECK(result.reason.find('\n') == std::string::npos);
  }
}

TEST_CASE("credentials come from the environment or a private file, never from elsewhere") {
  scs::test::ScopedEnv env;
  env.unset("SCS_MONITOR_USER");
  env.unset("SCS_MONITOR_PASSWORD");
  CHECK_THROWS_WITH(scs::read_monitor_credentials(std::nullopt), Catch::Contains("SCS_MONITOR_USER"));
  env.set("SCS_MONITOR_USER", "cloud-a");
  env.set("SCS_MONITOR_PASSWORD", std::string(canary_password));
  CHECK(scs::read_monitor_credentials(std::nullopt).password == canary_password);

  const scs::test::TempDir dir("scs-monitor-credentials");
  const auto plain = dir.write("plain", "cloud-b:" + std::string(canary_password) + "\n");
  ::chmod(plain.c_str(), 0600);
  const auto read = scs::read_monitor_credentials(plain);
  CHECK(read.user == "cloud-b");
  CHECK(read.password == canary_password);

  const auto token = dir.write("tokenfile", scs::base64_encode("cloud-c:secret:with:colons"));
  ::chmod(token.c_str(), 0600);
  CHECK(scs::read_monitor_credentials(token).user == "cloud-c");
  CHECK(scs::read_monitor_credentials(token).password == "secret:with:colons");

  ::chmod(plain.c_str(), 0640);
  try {
    (void)scs::read_monitor_credentials(plain);
    FAIL("a group-readable credentials file was read");
  } catch (const scs::ConfigError& error) {
    CHECK_THAT(error.what(), Catch::Contains("readable by others (mode 640)"));
    CHECK(std::string(error.what()).find(canary_password) == std::string::npos);
  }
  const auto garbage = dir.write("garbage", "no colon here!\n");
  ::chmod(garbage.c_str(), 0600);
  CHECK_THROWS_WITH(scs::read_monitor_credentials(garbage), Catch::Contains("ACCOUNT:PASSWORD"));
}
