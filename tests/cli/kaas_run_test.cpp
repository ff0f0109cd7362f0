// run_scope() with the official SCS-compatible KaaS scope against the fake Kubernetes API
// (tests/support/fake_kube_api): the run connects only the cluster, preflights it, reports
// every KaaS testcase, records and replays the Kubernetes exchanges without secrets.
//
// To extend when the KaaS checks land: fill `expected_on` below with the status each testcase
// must have on each fixture cluster; a testcase not listed there must still be MISSING.

#include <catch2/catch.hpp>

#include <atomic>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "core/errors.hpp"
#include "core/result.hpp"
#include "run/recording_info.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/support/fake_kube_api.hpp"

namespace {

using namespace std::chrono_literals;
using scs::ExitCode;
using scs::Status;
using scs::test::base64;
using scs::test::FakeKubeApi;
using scs::test::TempDir;

const std::atomic<bool> not_interrupted{false};

constexpr const char* kaas_ids[] = {"cncf-k8s-conformance", "kaas-networking-check", "version-policy-check"};
constexpr const char* token = "good-token";

/// Expected statuses of implemented KaaS testcases per fixture cluster (e.g. {"good",
/// {{"version-policy-check", Status::pass}}}).
/// On the good cluster (v1.35.3) version-policy-check FAILs: the bundled data (no network in
/// tests) knows patch releases of 1.35 that came out months ago (1.35.4 on 2026-04-14), and
/// after 2027-02-28 the branch's end of life; the e2e suites ABORT because neither sonobuoy nor
/// hydrophone is installed. Their PASS paths are tested in tests/checks/scs_02*_test.cpp and
/// tests/checks/kaas_fake_cluster_test.cpp.
const std::map<std::string, std::map<std::string, Status>> expected_on = {
    {"good",
     {{"version-policy-check", Status::fail},
      {"cncf-k8s-conformance", Status::abort},
      {"kaas-networking-check", Status::abort}}}};

/// Why each of them ABORTs there, in a live run: an ABORT for another reason is not the ABORT
/// meant.
const std::map<std::string, std::string> live_abort_reasons = {
    {"cncf-k8s-conformance", "install sonobuoy (https://sonobuoy.io) or hydrophone"},
    {"kaas-networking-check", "install sonobuoy (https://sonobuoy.io) or hydrophone"}};
/// … and in a replay of that run, which starts no programs at all.
const std::map<std::string, std::string> replay_abort_reasons = {
    {"cncf-k8s-conformance", "this run cannot start programs (it has no process runner)"},
    {"kaas-networking-check", "this run cannot start programs (it has no process runner)"}};

/// A kubeconfig for `api` (context "fake-ctx") and the options of a quiet KaaS run with it.
scs::RunOptions kaas_run(const FakeKubeApi& api, const TempDir& dir, const std::string& user_token = token) {
  const auto file = dir / "kubeconfig.yaml";
  scs::test::write_text(
      file,
      "apiVersion: v1\nkind: Config\ncurrent-context: fake-ctx\nclusters:\n- name: fake\n"
      "  cluster:\n    server: " +
          api.server() + "\n    certificate-authority-data: " + base64(api.pki().ca_pem) +
          "\nusers:\n- name: tester\n  user:\n    token: " + user_token +
          "\ncontexts:\n- name: fake-ctx\n  context:\n    cluster: fake\n    user: tester\n");
  scs::RunOptions options;
  options.scope_file = SCS_SOURCE_DIR "/standards/scopes/scs-compatible-kaas.yaml";
  options.kubeconfig = file.string();
  options.work_dir = (dir / "work").string();
  options.execution_mode = "serial";
  options.quiet = true;
  options.budget = std::chrono::seconds(120);  // a cap, never reached: load cannot end a testcase early
  options.argv = {"run", "--kubeconfig", file.string()};
  return options;
}

void require_kaas_outcomes(const scs::RunOutcome& outcome, const std::string& cluster,
                           const std::map<std::string, std::string>& abort_reasons) {
  const auto expected =
      expected_on.count(cluster) != 0 ? expected_on.at(cluster) : std::map<std::string, Status>{};
  for (const auto* id : kaas_ids) {
    INFO(id);
    const auto it = std::find_if(outcome.report.outcomes.begin(), outcome.report.outcomes.end(),
                                 [&](const auto& testcase) { return testcase.id == id; });
    REQUIRE(it != outcome.report.outcomes.end());
    if (const auto want = expected.find(id); want != expected.end()) {
      REQUIRE(it->implemented);
      CHECK(it->result.status == want->second);
      if (want->second == Status::abort)
        CHECK_THAT(it->result.summary, Catch::Contains(abort_reasons.at(id)));
    } else {
      CHECK_FALSE(it->implemented);  // reported MISSING until its check is merged
    }
  }
}

}  // namespace

TEST_CASE("KaaS run: connects the cluster only, preflights /version, reports every KaaS testcase") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir;
  const auto outcome = scs::run_scope(kaas_run(api, dir), not_interrupted);
  CHECK_FALSE(outcome.report.aborted_run.has_value());
  CHECK(outcome.report.subject == "fake-ctx");  // the context names the subject
  CHECK(outcome.report.cloud == "fake-ctx");
  CHECK(outcome.report.scope_name == "SCS-compatible KaaS");
  CHECK(outcome.report.assignment.at("execution_mode") == "serial");
  CHECK(outcome.report.assignment.at("subject_root") == (dir / "work").string());
  CHECK(outcome.report.assignment.count("os_cloud") == 0);
  require_kaas_outcomes(outcome, "good", live_abort_reasons);
  // version-policy-check FAILs on the good cluster (see expected_on): exit 1.
  CHECK(outcome.exit_code == ExitCode::fail);
  const auto requests = api.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests.front().target == "/version");
  CHECK(requests.front().user == "kube-admin");
  CHECK(outcome.report.totals.calls >= 1);
}

TEST_CASE("KaaS run: --subject names the subject") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir;
  auto options = kaas_run(api, dir);
  options.subject = "cluster-of-provider-x";
  CHECK(scs::run_scope(options, not_interrupted).report.subject == "cluster-of-provider-x");
}

TEST_CASE("KaaS run: a wrong token is one clear error, exit 78, no secret") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir;
  const auto outcome = scs::run_scope(kaas_run(api, dir, "wrong-secret-token"), not_interrupted);
  CHECK(outcome.exit_code == ExitCode::configuration_error);
  REQUIRE(outcome.report.aborted_run.has_value());
  CHECK(outcome.report.aborted_run->find(
            "credentials of user 'tester' in context 'fake-ctx' were not accepted") != std::string::npos);
  CHECK(outcome.report.aborted_run->find("wrong-secret-token") == std::string::npos);
}

TEST_CASE("KaaS run: a cluster answering /version with an HTML page is unreachable, exit 69") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  api.inject({"GET", "/version", 502, true, 0ms, -1});
  const TempDir dir;
  auto options = kaas_run(api, dir);
  const auto outcome = scs::run_scope(options, not_interrupted);
  CHECK(outcome.exit_code == ExitCode::unavailable);
  REQUIRE(outcome.report.aborted_run.has_value());
  CHECK(outcome.report.aborted_run->find(api.server()) != std::string::npos);
}

TEST_CASE("KaaS run: an unknown execution mode is a usage error") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir;
  auto options = kaas_run(api, dir);
  options.execution_mode.reset();
  options.assignments = {"execution_mode=sometimes"};
  CHECK_THROWS_AS(scs::run_scope(options, not_interrupted), scs::UsageError);
}

TEST_CASE("KaaS run: --record keeps the cluster without secrets, --replay repeats the run offline") {
  const TempDir dir;
  const auto recording = dir / "recording";
  scs::RunOutcome recorded;
  {
    FakeKubeApi api(FakeKubeApi::fixture("good"));
    auto options = kaas_run(api, dir);
    options.record_dir = recording.string();
    recorded = scs::run_scope(options, not_interrupted);
    const auto info = scs::read_recording_info(recording);
    REQUIRE(info.kube.has_value());
    CHECK(info.kube->context == "fake-ctx");
    CHECK(info.kube->server == api.server());
    CHECK(info.kube->user == "tester");
    CHECK_FALSE(info.has_cloud());
  }
  const auto recorded_files = scs::test::files_below(recording);
  REQUIRE(recorded_files.size() >= 2);  // recording.yaml and a cassette
  for (const auto& [path, text] : recorded_files) {
    INFO(path);
    CHECK(text.find(token) == std::string::npos);
  }
  CHECK(scs::test::read_text(recording / "recording.yaml").find("token") == std::string::npos);

  // The fake API is gone: everything comes from the cassette.
  scs::RunOptions replay;
  replay.scope_file = SCS_SOURCE_DIR "/standards/scopes/scs-compatible-kaas.yaml";
  replay.replay_dir = recording.string();
  replay.quiet = true;
  const auto replayed = scs::run_scope(replay, not_interrupted);
  CHECK(replayed.exit_code == recorded.exit_code);
  CHECK_FALSE(replayed.report.aborted_run.has_value());
  CHECK(replayed.report.subject == "fake-ctx");
  CHECK(replayed.report.outcomes.size() == recorded.report.outcomes.size());
  require_kaas_outcomes(replayed, "good", replay_abort_reasons);

  // The IaaS scope cannot be replayed from a KaaS recording: it says so.
  replay.scope_file = SCS_SOURCE_DIR "/standards/scopes/scs-compatible-iaas.yaml";
  CHECK_THROWS_WITH(scs::run_scope(replay, not_interrupted),
                    Catch::Matchers::Contains("the recording has no OpenStack cloud"));
}

TEST_CASE("one run certifies a subject against the IaaS and the KaaS scope: one report per scope") {
  scs::test::CloudSandbox sandbox;
  scs::test::FakeCloud cloud;
  sandbox.write_clouds_yaml("clouds:\n" +
                            scs::test::password_cloud("fake", cloud.auth_url(), "not-a-secret"));
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir;
  auto options = kaas_run(api, dir);
  options.scope_file = SCS_SOURCE_DIR "/standards/scopes/scs-compatible-iaas.yaml";
  options.extra_scope_files = {SCS_SOURCE_DIR "/standards/scopes/scs-compatible-kaas.yaml"};
  options.os_cloud = "fake";
  options.subject = "provider-x";
  options.output_yaml = (dir / "report.yaml").string();
  const int code = scs::run_command(options, not_interrupted);
  CHECK((code == 0 || code == 1 || code == 2));
  const auto iaas = scs::test::read_text(dir / "report-scs-compatible-iaas.yaml");
  const auto kaas = scs::test::read_text(dir / "report-scs-compatible-kaas.yaml");
  CHECK(iaas.find("SCS-compatible IaaS") != std::string::npos);
  CHECK(kaas.find("SCS-compatible KaaS") != std::string::npos);
  CHECK(iaas.find("provider-x") != std::string::npos);
  CHECK(kaas.find("provider-x") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "report.yaml"));
  CHECK(cloud.count("/v3/auth/tokens") >= 1);          // the IaaS run used the cloud …
  CHECK(api.requests().front().target == "/version");  // … the KaaS run the cluster

  options.replay_dir = (dir / "nowhere").string();
  CHECK_THROWS_AS(scs::run_command(options, not_interrupted), scs::UsageError);
}

TEST_CASE("KaaS run --offline judges 1.34, 1.35 and 1.36 clusters from the bundled data, without ABORT") {
  // The cluster's version is the fixture's /version answer; the rest of the good cluster stays.
  for (const char* git_version : {"v1.34.9", "v1.35.9", "v1.36.4"}) {
    INFO(git_version);
    const TempDir dir;
    auto cluster = nlohmann::json::parse(scs::test::read_text(FakeKubeApi::fixture("good")));
    cluster["version"]["gitVersion"] = git_version;
    cluster["version"]["minor"] = std::string(git_version).substr(3, 2);
    scs::test::write_text(dir / "cluster.json", cluster.dump());
    FakeKubeApi api(dir / "cluster.json");
    auto options = kaas_run(api, dir);
    options.offline = true;
    options.tests = "version-policy-check";
    const auto outcome = scs::run_scope(options, not_interrupted);
    REQUIRE_FALSE(outcome.report.aborted_run.has_value());
    const auto it = std::find_if(outcome.report.outcomes.begin(), outcome.report.outcomes.end(),
                                 [](const auto& testcase) { return testcase.id == "version-policy-check"; });
    REQUIRE(it != outcome.report.outcomes.end());
    const auto& result = it->result;
    INFO(result.summary);
    CHECK((result.status == Status::pass || result.status == Status::fail));
    const auto notes = fmt::format("{}", fmt::join(result.notes, "\n"));
    CHECK_THAT(notes, Catch::Contains("offline run: the bundled version data was not refreshed"));
    CHECK_THAT(notes, Catch::Contains("version data: bundled k8s-version-data.json, retrieved 2026-12-07"));
    // The verdict names the source of the end-of-life date it relied on, and when it was read.
    std::string cited = notes;
    for (const auto& finding : result.evidence) cited += finding.message;
    CHECK_THAT(cited,
               Catch::Contains("per https://github.com/SovereignCloudStack/standards/blob/main/Tests/kaas/"
                               "scs_0210_version_policy/k8s-eol-data.yml, read 2026-12-07"));
  }
}
