// run_scope() against misbehaving endpoints: whatever Keystone or Nova do, the run does not
// crash, the report says why, and the exit code says who is to blame (78 credentials, 69 the
// cloud could not be asked, 2 a testcase could not decide).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

#include <fmt/format.h>

#include "cli/run_command.hpp"
#include "core/errors.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using scs::ExitCode;
using scs::test::CloudSandbox;
using scs::test::FakeCloud;
using scs::test::LocalHttpServer;
using scs::test::TempDir;
using Reply = LocalHttpServer::Reply;
using Request = LocalHttpServer::Request;

const std::atomic<bool> not_interrupted{false};

std::string html_page(const std::string& title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html><head><title>{}</title></head>\n<body><h1>{}</h1></body></html>\n", title,
      title);
}

/// A clouds.yaml with one cloud `fake` at `auth_url` (1 s API timeout), and the options of a run
/// of the IaaS scope against it.
scs::RunOptions run_against(CloudSandbox& sandbox, const std::string& auth_url,
                            const std::string& extra = "api_timeout: 1") {
  sandbox.write_clouds_yaml("clouds:\n" + scs::test::password_cloud("fake", auth_url, "not-a-secret", extra));
  return scs::test::iaas_run("fake");
}

/// The run could not start: the exit code, the reason in the report, and every implemented
/// testcase ABORTs with that same reason (the not implemented ones stay MISSING).
void require_aborted_run(const scs::RunOutcome& outcome, ExitCode expected) {
  CHECK(outcome.exit_code == expected);
  REQUIRE(outcome.report.aborted_run.has_value());
  CHECK_FALSE(outcome.report.aborted_run->empty());
  CHECK(outcome.report.aborted_run->find('\n') == std::string::npos);
  std::size_t implemented = 0;
  for (const auto& testcase : outcome.report.outcomes) {
    if (!testcase.implemented) continue;
    ++implemented;
    INFO(testcase.id);
    CHECK(testcase.result.status == scs::Status::abort);
    CHECK(testcase.result.summary == *outcome.report.aborted_run);
  }
  CHECK(implemented > 0);
}

const scs::TestcaseOutcome& outcome_of(const scs::Report& report, std::string_view id) {
  const auto* found = report.outcome(id);
  INFO(id);
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

// --- wrong credentials ------------------------------------------------------------------------

TEST_CASE(
    "wrong credentials (a replayed Keystone 401) are exit 78 and every testcase ABORTs with the reason") {
  CloudSandbox sandbox;
  auto options = scs::test::wrong_password_run();

  const auto outcome = scs::run_scope(options, not_interrupted);

  require_aborted_run(outcome, ExitCode::configuration_error);
  CHECK_THAT(*outcome.report.aborted_run, Contains("authentication failed for cloud 'testcloud-member'") &&
                                              Contains("http://127.0.0.1:5000/v3/auth/tokens") &&
                                              Contains("HTTP 401"));
  CHECK(outcome.report.cloud == fmt::format("replay:{}", *options.replay_dir));
}

TEST_CASE("a live Keystone answering 401 is exit 78 naming the cloud and the URL") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_keystone([](const Request&) {
    return Reply::
        with(401,
             R"({"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}})")
            .header("Content-Type", "application/json");
  });
  const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), not_interrupted);

  require_aborted_run(outcome, ExitCode::configuration_error);
  CHECK_THAT(*outcome.report.aborted_run, Contains("cloud 'fake'") && Contains(cloud.token_url()));
  CHECK(cloud.count("/v3/auth/tokens") == 1);  // a rejected password is not retried
  CHECK(cloud.count("/compute") == 0);         // and nothing runs without a token
}

// --- Keystone misbehaves ----------------------------------------------------------------------

TEST_CASE("Keystone answering an HTML page is exit 69 and the reason names the URL") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  // Each section sets Keystone's answer and checks the run (inside the section, so that a
  // section without assertions is an error: --warn NoAssertions).
  const auto check_run = [&](const std::string& expected) {
    const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), not_interrupted);
    require_aborted_run(outcome, ExitCode::unavailable);
    CHECK_THAT(*outcome.report.aborted_run, Contains(cloud.token_url()) && Contains(expected));
    CHECK(cloud.count("/compute") == 0);
  };
  SECTION("200 with a page and no token (a captive portal)") {
    cloud.on_keystone([](const Request&) {
      return Reply::with(200, html_page("Welcome to the hotel network")).header("Content-Type", "text/html");
    });
    check_run("X-Subject-Token");
  }
  SECTION("201 with a token header but an HTML body") {
    cloud.on_keystone([](const Request&) {
      return Reply::with(201, html_page("Keystone is down for maintenance"))
          .header("Content-Type", "text/html; charset=utf-8")
          .header("X-Subject-Token", FakeCloud::token_value());
    });
    check_run(
        "did not answer with JSON (HTTP 201, text/html; charset=utf-8): Keystone is down for maintenance");
  }
  SECTION("a proxy's 502 error page") {
    cloud.on_keystone([](const Request&) {
      return Reply::with(502, html_page("502 Bad Gateway")).header("Content-Type", "text/html");
    });
    check_run("answered HTTP 502: 502 Bad Gateway");
  }
}

TEST_CASE("Keystone answering truncated JSON is exit 69 and the reason says so") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  const std::string full = cloud.token_reply().body;
  const auto check_run = [&](const std::string& expected) {
    const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), not_interrupted);
    require_aborted_run(outcome, ExitCode::unavailable);
    CHECK_THAT(*outcome.report.aborted_run, Contains(expected));
    CHECK_THAT(*outcome.report.aborted_run, Contains("127.0.0.1"));
  };
  SECTION("the connection closes before Content-Length bytes came") {
    cloud.on_keystone(
        [&cloud, &full](const Request&) { return cloud.token_reply().cut_at(full.size() / 2); });
    check_run(fmt::format("cannot reach http://127.0.0.1:{}", cloud.port()));
  }
  SECTION("the document itself is cut off") {
    cloud.on_keystone([&full](const Request&) {
      return Reply::with(201, full.substr(0, full.size() / 2))
          .header("Content-Type", "application/json")
          .header("X-Subject-Token", FakeCloud::token_value());
    });
    check_run("incomplete or malformed JSON document");
  }
}

TEST_CASE("Keystone answering 500 is exit 69 at once: a POST the server may have acted on is not repeated") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_keystone([](const Request&) {
    return Reply::
        with(500,
             R"({"error": {"code": 500, "message": "An unexpected error prevented the server from fulfilling your request.", "title": "Internal Server Error"}})")
            .header("Content-Type", "application/json");
  });
  const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), not_interrupted);

  require_aborted_run(outcome, ExitCode::unavailable);
  CHECK_THAT(*outcome.report.aborted_run,
             Contains(fmt::format("POST {} answered HTTP 500: An unexpected error", cloud.token_url())));
  CHECK(cloud.count("/v3/auth/tokens") == 1);
}

TEST_CASE("Keystone answering 503 on every try is retried, then the run gives up with exit 69", "[timing]") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_keystone([](const Request&) { return Reply::with(503, html_page("Service Unavailable")); });
  const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), not_interrupted);

  require_aborted_run(outcome, ExitCode::unavailable);
  CHECK_THAT(*outcome.report.aborted_run, Contains(cloud.token_url()) && Contains("HTTP 503"));
  const auto attempts = cloud.count("/v3/auth/tokens");
  CHECK(attempts > 1);                                   // retried …
  CHECK(attempts <= 5);                                  // … but not for ever
  CHECK(outcome.report.totals.calls == attempts);        // every attempt is counted
  CHECK(outcome.report.totals.retries == attempts - 1);  // a bounded number of attempts, not a clock
}

TEST_CASE("a Keystone that hangs ends the run after api_timeout, with exit 69", "[timing]") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  // Hangs for as long as the test runs (a delayed reply ends when the server stops): only the
  // API timeout can end the token request, and the reason says it did. No wall-clock bound.
  cloud.on_keystone([&cloud](const Request&) { return cloud.token_reply().after(600s); });
  auto options = run_against(sandbox, cloud.auth_url(), "api_timeout: 1");
  options.budget = 2s;
  const auto outcome = scs::run_scope(options, not_interrupted);

  require_aborted_run(outcome, ExitCode::unavailable);
  CHECK_THAT(*outcome.report.aborted_run, Contains("127.0.0.1") && Contains("no answer within 1000 ms"));
  CHECK(cloud.count("/v3/auth/tokens") >= 1);
}

TEST_CASE("a Keystone that drops the connection is exit 69 naming the host", "[timing]") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_keystone([](const Request&) { return Reply::dropped(); });
  const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), not_interrupted);

  require_aborted_run(outcome, ExitCode::unavailable);
  CHECK_THAT(*outcome.report.aborted_run, StartsWith("cannot reach http://127.0.0.1:"));
}

// --- a good token, then a collection misbehaves -------------------------------------------------

TEST_CASE("a flavor listing answered with HTML ABORTs the flavor testcases naming the URL: exit 2, not 69") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_compute([](const Request&) {
    return Reply::with(200, html_page("Session expired")).header("Content-Type", "text/html");
  });
  auto options = run_against(sandbox, cloud.auth_url());
  options.tests = "scs-010[03]";
  const auto outcome = scs::run_scope(options, not_interrupted);

  // The cloud answered; it is the testcases that could not decide.
  CHECK(outcome.exit_code == ExitCode::incomplete);
  CHECK_FALSE(outcome.report.aborted_run.has_value());
  const auto& syntax = outcome_of(outcome.report, "scs-0100-syntax-check");
  CHECK(syntax.result.status == scs::Status::abort);
  CHECK_THAT(syntax.result.summary, Contains(cloud.compute_url() + "/flavors/detail") &&
                                        Contains("did not answer with JSON") && Contains("Session expired"));
  std::size_t ran = 0;
  for (const auto& testcase : outcome.report.outcomes) {
    if (!testcase.implemented) continue;
    ++ran;
    INFO(testcase.id);
    CHECK(testcase.result.status == scs::Status::abort);
    CHECK(testcase.result.summary == syntax.result.summary);  // the failure is memoised: one reason
  }
  CHECK(ran > 2);
  CHECK(cloud.count("/compute/v2.1/flavors/detail") == 1);  // asked once, not once per testcase
}

TEST_CASE("a flavor listing that hangs ABORTs the testcases at their time budget: exit 2, in seconds",
          "[timing]") {
  // The listing would end by the API timeout (60 s) or the reply (120 s); only the budget (2 s)
  // ends it in seconds. The upper bounds stay far below 60 s, so a loaded machine (slow start,
  // late thread wake-ups) cannot fail the test, yet none is met without the budget.
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_compute([](const Request&) { return Reply::with(200, "{}").after(120s); });
  auto options = run_against(sandbox, cloud.auth_url(), "api_timeout: 60");
  options.tests = "scs-0100";
  options.budget = 2s;
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = scs::run_scope(options, not_interrupted);
  const auto took = std::chrono::steady_clock::now() - started;

  CHECK(outcome.exit_code == ExitCode::incomplete);
  CHECK_FALSE(outcome.report.aborted_run.has_value());
  // Both testcases wait for the one memoised listing. The one that sent it ABORTs at its own
  // budget; the other one gets the listing's failure when that budget ends, which is after its
  // own only if it started no later (thread start order is up to the scheduler). Then it says
  // why the listing is not asked again.
  const std::string own_budget = "exceeded its time budget of 2 s";
  const std::string shared_read =
      "an earlier read of this collection took longer than its testcase's time budget";
  int at_own_budget = 0;
  for (const auto* id : {"scs-0100-syntax-check", "scs-0100-semantics-check"}) {
    const auto& testcase = outcome_of(outcome.report, id);
    INFO(id << ": " << testcase.result.summary << " after " << testcase.elapsed.count() << " ms");
    CHECK(testcase.result.status == scs::Status::abort);
    CHECK_THAT(testcase.result.summary, StartsWith(own_budget) || StartsWith(shared_read));
    if (testcase.result.summary.starts_with(own_budget)) {
      ++at_own_budget;
      CHECK(testcase.elapsed >= 2s);
    }
    CHECK(testcase.elapsed < 30s);
  }
  CHECK(at_own_budget >= 1);
  CHECK(took < 30s);
}

TEST_CASE("a good fake cloud runs to the end: verdicts, not an aborted run") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  auto options = run_against(sandbox, cloud.auth_url());
  options.tests = "scs-0100";
  const auto outcome = scs::run_scope(options, not_interrupted);

  CHECK_FALSE(outcome.report.aborted_run.has_value());
  CHECK(outcome_of(outcome.report, "scs-0100-syntax-check").result.status == scs::Status::pass);
  CHECK(outcome.report.subject == "fake");
  CHECK(outcome.report.totals.calls >= 2);  // the token and the flavors
}

TEST_CASE("an interrupted run is exit 130, and its report says so", "[timing]") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  const std::atomic<bool> interrupted{true};
  const auto outcome = scs::run_scope(run_against(sandbox, cloud.auth_url()), interrupted);

  CHECK(outcome.exit_code == ExitCode::interrupted);
  CHECK(outcome.report.interrupted);
  const auto& testcase = outcome_of(outcome.report, "scs-0100-syntax-check");
  CHECK(testcase.result.status == scs::Status::abort);
  CHECK_THAT(testcase.result.summary, Contains("interrupted"));
  CHECK(cloud.count("/compute") == 0);
}

// --- errors before the first request ------------------------------------------------------------

// ARCHITECTURE.md: the runner "resolves everything before the first request"; a mistyped
// command line must not send the password anywhere.
TEST_CASE("usage and configuration errors are raised before the first request") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  auto options = run_against(sandbox, cloud.auth_url());

  SECTION("an unknown cloud names the cloud, the file and the clouds it has") {
    options.os_cloud = "no-such-cloud";
    try {
      (void)scs::run_scope(options, not_interrupted);
      FAIL("no error");
    } catch (const scs::ConfigError& error) {
      CHECK_THAT(error.what(), Contains("'no-such-cloud'") &&
                                   Contains((sandbox.dir() / "clouds.yaml").string()) &&
                                   Contains("available: fake"));
    }
  }
  SECTION("an unknown version: the message names the versions the scope has") {
    options.version = "nope";
    try {
      (void)scs::run_scope(options, not_interrupted);
      FAIL("no error");
    } catch (const scs::UsageError& error) {
      CHECK_THAT(error.what(), Contains("'nope'") && Contains("v5.1") && Contains("v4"));
    }
  }
  SECTION("a tests filter that is not a regular expression") {
    options.tests = "(";
    CHECK_THROWS_AS(scs::run_scope(options, not_interrupted), scs::UsageError);
  }
  SECTION("an assignment that is not KEY=VALUE") {
    options.assignments = {"os_cloud"};
    CHECK_THROWS_AS(scs::run_scope(options, not_interrupted), scs::UsageError);
  }
  SECTION("a recording directory without recording.yaml") {
    TempDir empty;
    options.replay_dir = empty.path().string();
    CHECK_THROWS_WITH(scs::run_scope(options, not_interrupted), Contains("is not a recording"));
  }
  CHECK(cloud.requests().empty());
}

TEST_CASE("a usage error is reported at once, even when Keystone hangs", "[timing]") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_keystone([&cloud](const Request&) { return cloud.token_reply().after(600s); });
  auto options = run_against(sandbox, cloud.auth_url(), "api_timeout: 4");
  options.version = "nope";
  CHECK_THROWS_AS(scs::run_scope(options, not_interrupted), scs::UsageError);
  // "At once": before the first request, so the hanging Keystone was never asked (rather than
  // a wall-clock bound that a loaded machine could trip). The early token request starts only
  // once the options have been checked against the scope.
  CHECK(cloud.requests().empty());
}

TEST_CASE("a spec error abandons the early token request instead of waiting for Keystone", "[timing]") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  cloud.on_keystone([&cloud](const Request&) { return cloud.token_reply().after(600s); });
  auto options = run_against(sandbox, cloud.auth_url(), "api_timeout: 600");
  TempDir standards;
  standards.write("scs-0100-broken.yaml", "id: scs-0100\nname: [unclosed\n");
  scs::test::ScopedEnv env;
  env.set("SCS_STANDARDS_DIR", standards.path().string());
  // The token is asked for while the standards load; the broken standard ends the run. Waiting
  // for the request would take the whole api_timeout: the bound is far from both.
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(scs::run_scope(options, not_interrupted), scs::SpecError);
  CHECK(std::chrono::steady_clock::now() - started < 60s);
}

TEST_CASE("an error in clouds.yaml costs no request, though the cloud's token is asked for early") {
  CloudSandbox sandbox;
  FakeCloud cloud;
  auto options = run_against(sandbox, cloud.auth_url(), "verify: not-a-boolean");
  CHECK_THROWS_AS(scs::run_scope(options, not_interrupted), scs::ConfigError);
  CHECK(cloud.requests().empty());
}
