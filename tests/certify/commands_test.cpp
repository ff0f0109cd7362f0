// The upload command and run --sign-key/--upload: what is checked before a run, what is sent,
// and the exit codes.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "cli/certify_commands.hpp"
#include "cli/run_certify.hpp"
#include "clients/http/curl_transport.hpp"
#include "core/errors.hpp"
#include "tests/certify/ssh_fixtures.hpp"
#include "tests/support/local_http_server.hpp"
#include "tests/support/temp_env.hpp"

using scs::test::LocalHttpServer;
using scs::test::make_key;
using scs::test::read_text;
using scs::test::sample_report;
using scs::test::TempDir;

namespace {

struct Uploaded {
  int code = -1;
  std::string out, err;
};

Uploaded upload(LocalHttpServer& server, scs::UploadCommandOptions options) {
  options.monitor_url = server.url("/");
  options.policy = {2, std::chrono::milliseconds(1)};
  scs::TransportOptions transport_options;
  transport_options.max_retries = 0;
  scs::CurlTransport transport(transport_options);
  std::ostringstream out, err;
  const int code = scs::upload_reports(options, {"cloud-a", "pw"}, transport, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("upload --sign-key signs first and sends exactly the signed bytes") {
  const TempDir dir("scs-upload");
  const auto key = make_key(dir, "id_ed25519");
  const auto report = dir.write("report.yaml", sample_report());
  LocalHttpServer server;
  server.enqueue(LocalHttpServer::Reply::with(200, "null"));
  scs::UploadCommandOptions options;
  options.reports = {report.string()};
  options.sign_key = key.string();
  const auto result = upload(server, options);
  CHECK(result.code == 0);
  CHECK_THAT(result.out, Catch::Contains("stored"));
  CHECK_THAT(result.out, Catch::Contains("subject cloud-a"));
  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].body == read_text(report.string() + ".sig") + "&" + read_text(report));
}

TEST_CASE("upload refuses without sending: no signature, a signature that does not hold, no report") {
  const TempDir dir("scs-upload");
  const auto key = make_key(dir, "id_ed25519");
  LocalHttpServer server;
  scs::UploadCommandOptions options;

  const auto unsigned_report = dir.write("unsigned.yaml", sample_report());
  options.reports = {unsigned_report.string()};
  auto result = upload(server, options);
  CHECK(result.code == 78);
  CHECK_THAT(result.err, Catch::Contains("sign it first (scs-conformance sign"));

  const auto report = dir.write("report.yaml", sample_report());
  std::ostringstream ignored;
  scs::sign_command({report.string(), key.string(), std::nullopt}, ignored);
  auto changed = read_text(report);
  changed.replace(changed.find(": -1"), 4, ": 1");
  scs::test::write_text(report, changed);
  options.reports = {report.string()};
  result = upload(server, options);
  CHECK(result.code == 78);
  CHECK_THAT(result.err, Catch::Contains("does not hold for"));

  const auto notes = dir.write("notes.txt", "hello\n");
  options.reports = {notes.string()};
  result = upload(server, options);
  CHECK(result.code == 78);
  CHECK_THAT(result.err, Catch::Contains("not a report the compliance monitor can read"));
  CHECK(server.requests().empty());
}

TEST_CASE("several reports are each reported, and the exit code is the worst") {
  const TempDir dir("scs-upload");
  const auto key = make_key(dir, "id_ed25519");
  const auto first = dir.write("a.yaml", sample_report("cloud-a", "run-a"));
  const auto second = dir.write("b.yaml", sample_report("cloud-a", "run-b"));
  LocalHttpServer server;
  server.enqueue(LocalHttpServer::Reply::with(200, "null"));
  server.enqueue(LocalHttpServer::Reply::with(409, R"({"detail":"Conflict: report already present"})"));
  scs::UploadCommandOptions options;
  options.reports = {first.string(), second.string()};
  options.sign_key = key.string();
  auto result = upload(server, options);
  CHECK(result.code == 0);
  CHECK_THAT(result.out, Catch::Contains("a.yaml (subject cloud-a, run run-a)"));
  CHECK_THAT(result.out,
             Catch::Contains("b.yaml (subject cloud-a, run run-b)") && Catch::Contains("already present"));

  server.enqueue(LocalHttpServer::Reply::with(503, "busy"));
  server.enqueue(LocalHttpServer::Reply::with(503, "busy"));
  server.enqueue(LocalHttpServer::Reply::with(401, R"({"detail":"verification failed"})"));
  result = upload(server, options);
  CHECK(result.code == 78);  // a refusal outweighs an unreachable monitor
  CHECK_THAT(result.err, Catch::Contains("HTTP 503") && Catch::Contains("could not verify the signature"));
}

TEST_CASE("run --sign-key/--upload are checked before the run starts") {
  const TempDir dir("scs-run-upload");
  scs::test::ScopedEnv env;
  env.unset("SCS_MONITOR_USER");
  env.unset("SCS_MONITOR_PASSWORD");
  const auto key = make_key(dir, "id_ed25519");
  scs::RunOptions options;
  options.upload_url = "http://127.0.0.1:9";
  options.sign_key = key.string();
  CHECK_THROWS_AS(scs::check_run_certify_options(options), scs::UsageError);  // no -o
  options.output_yaml = (dir / "report.yaml").string();
  CHECK_THROWS_WITH(scs::check_run_certify_options(options), Catch::Contains("SCS_MONITOR_USER"));
  env.set("SCS_MONITOR_USER", "cloud-a");
  env.set("SCS_MONITOR_PASSWORD", "pw");
  CHECK_NOTHROW(scs::check_run_certify_options(options));
  options.sign_key.reset();
  CHECK_THROWS_WITH(scs::check_run_certify_options(options), Catch::Contains("--upload needs --sign-key"));
  options.sign_key = (dir / "missing-key").string();
  CHECK_THROWS_AS(scs::check_run_certify_options(options), scs::ConfigError);
  options.sign_key = key.string();
  options.replay_dir = dir.path().string();
  CHECK_THROWS_WITH(scs::check_run_certify_options(options), Catch::Contains("--replay"));
}

TEST_CASE("a run whose upload failed keeps its verdict in the exit code, plus 80") {
  CHECK(scs::join_run_code({0, true}) == 80);
  CHECK(scs::join_run_code({1, true}) == 81);
  CHECK(scs::join_run_code({2, true}) == 82);
  CHECK(scs::join_run_code({130, true}) == 130);
  CHECK(scs::join_run_code({1, false}) == 1);
  CHECK(scs::split_run_code(82).code == 2);
  CHECK(scs::split_run_code(82).not_uploaded);
  CHECK_FALSE(scs::split_run_code(78).not_uploaded);

  const TempDir dir("scs-run-upload");
  const auto key = make_key(dir, "id_ed25519");
  const auto report_file = dir.write("report.yaml", sample_report());
  scs::test::ScopedEnv env;
  env.set("SCS_MONITOR_USER", "cloud-a");
  env.set("SCS_MONITOR_PASSWORD", "pw");
  scs::RunOptions options;
  options.output_yaml = report_file.string();
  options.sign_key = key.string();
  options.upload_url = "http://127.0.0.1:9";  // nothing listens
  scs::Report report;
  std::ostringstream out, err;
  CHECK(scs::certify_run_report(options, report, 1, out, err) == 81);
  CHECK_THAT(err.str(), Catch::Contains("not uploaded"));
  CHECK(std::filesystem::exists(report_file.string() + ".sig"));

  report.interrupted = true;
  std::ostringstream err2;
  CHECK(scs::certify_run_report(options, report, 130, out, err2) == 130);
  CHECK_THAT(err2.str(), Catch::Contains("not signed or uploaded: the run was interrupted"));
}
