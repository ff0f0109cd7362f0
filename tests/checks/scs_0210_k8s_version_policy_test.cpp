// scs-0210 version policy: the rules over a dated data set, the data formats and refreshes,
// and the check against a canned API server.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/kaas/version_data_file.hpp"
#include "checks/kaas/version_policy.hpp"
#include "core/errors.hpp"
#include "tests/support/kube_harness.hpp"

using namespace scs::checks::kaas;
using scs::Status;
using scs::testing::at;
using scs::testing::KubeHarness;

namespace {

const std::string fixture =
    std::string(SCS_SOURCE_DIR) + "/tests/checks/fixtures/kaas/k8s-version-data-2025-03.json";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

VersionData test_data() { return parse_version_data(read_json(fixture), "test data"); }

Date day(const char* text) { return *parse_date(text); }

PolicyVerdict judge(const char* version, const char* today) {
  return evaluate_version_policy(*parse_kube_version(version), day(today), test_data());
}

bool any_contains(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

bool violation_mentions(const PolicyVerdict& verdict, const std::string& text) {
  for (const auto& finding : verdict.violations) {
    if (finding.message.find(text) != std::string::npos || finding.subject.find(text) != std::string::npos)
      return true;
  }
  return false;
}

std::string version_answer(const std::string& git_version) {
  return nlohmann::json{
      {"major", "1"}, {"minor", "32"}, {"gitVersion", git_version}, {"platform", "linux/amd64"}}
      .dump();
}

}  // namespace

TEST_CASE("scs-0210 reads gitVersion with and without vendor suffixes", "[checks][scs-0210]") {
  const auto plain = parse_kube_version("v1.31.4");
  REQUIRE(plain);
  CHECK(plain->text() == "1.31.4");
  CHECK(plain->branch() == "1.31");
  CHECK(plain->suffix.empty());
  CHECK(parse_kube_version("1.31.4")->text() == "1.31.4");
  const auto k3s = parse_kube_version("v1.31.4+k3s1");
  REQUIRE(k3s);
  CHECK(k3s->text() == "1.31.4");
  CHECK(k3s->suffix == "+k3s1");
  CHECK(parse_kube_version("v1.31.4-eks-abc123")->suffix == "-eks-abc123");
  CHECK(parse_kube_version("v1.32.0-rc.1")->patch == 0);
  CHECK(parse_kube_version("v1.31.10") > parse_kube_version("v1.31.9"));  // numeric, not textual
  CHECK_FALSE(parse_kube_version("v1.31"));
  CHECK_FALSE(parse_kube_version("main"));
  CHECK_FALSE(parse_kube_version("v1.31.4x"));
  CHECK_FALSE(parse_kube_version(""));
}

TEST_CASE("scs-0210 dates are calendar dates", "[checks][scs-0210]") {
  CHECK(format_date(day("2025-02-28")) == "2025-02-28");
  CHECK(format_date(day("2024-11-20T18:03:11Z")) == "2024-11-20");
  CHECK_FALSE(parse_date("2025-02-30"));
  CHECK_FALSE(parse_date("2025-2-3"));
  CHECK_FALSE(parse_date("yesterday"));
}

TEST_CASE("scs-0210 rule: the branch must not have reached its end of life", "[checks][scs-0210]") {
  const auto after = judge("v1.29.15", "2025-03-01");
  REQUIRE(after.violations.size() == 1);
  CHECK(violation_mentions(after, "cluster version 1.29.15"));
  CHECK(violation_mentions(after, "end of life on 2025-02-28"));
  CHECK(judge("v1.29.15", "2025-02-27").violations.empty());
  // Older than every branch the data knows, and that branch is already gone.
  CHECK(violation_mentions(judge("v1.20.1", "2025-03-01"), "older than 1.29"));
}

TEST_CASE("scs-0210 rule: a newer patch release must be installed within a month", "[checks][scs-0210]") {
  // 1.31.6 came out on 2025-02-12.
  const auto late = judge("v1.31.5", "2025-03-16");  // 32 days
  REQUIRE(late.violations.size() == 1);
  CHECK(violation_mentions(late, "patch release 1.31.6 came out on 2025-02-12 (32 days ago"));
  const auto in_time = judge("v1.31.5", "2025-03-15");  // 31 days: still allowed
  CHECK(in_time.violations.empty());
  CHECK(any_contains(in_time.notes, "must be installed by 2025-03-15"));
  // Several releases behind: the oldest missing one counts.
  CHECK(violation_mentions(judge("v1.31.4", "2025-02-20"), "patch release 1.31.5 came out on 2025-01-15"));
  const auto newest = judge("v1.31.6", "2025-03-01");
  CHECK(newest.violations.empty());
  CHECK(any_contains(newest.notes, "no patch release of 1.31 newer than 1.31.6 is known up to 2025-03-01"));
}

TEST_CASE("scs-0210 rule: critical CVEs within two weeks, warning after two days", "[checks][scs-0210]") {
  // 1.32.1 is affected by CVE-2099-0001, fixed in 1.32.2 (2025-02-12).
  const auto fresh = judge("v1.32.1", "2025-02-13");
  CHECK(fresh.violations.empty());
  CHECK(any_contains(fresh.notes, "CVE-2099-0001"));
  CHECK_FALSE(any_contains(fresh.notes, "WARNING: affected"));
  const auto warned = judge("v1.32.1", "2025-02-15");
  CHECK(warned.violations.empty());
  CHECK(any_contains(warned.notes, "WARNING: affected by critical CVE-2099-0001"));
  const auto late = judge("v1.32.1", "2025-02-27");  // 15 days; the patch rule alone would allow it
  REQUIRE(late.violations.size() == 1);
  CHECK(violation_mentions(late, "CVE-2099-0001 (CVSS 8.1"));
  CHECK(violation_mentions(late, "fixed in 1.32.2"));
  CHECK(judge("v1.32.2", "2025-02-27").violations.empty());
  // No fix on the cluster's branch: the clock starts with the CVE's publication.
  const auto unfixed = judge("v1.30.3", "2025-03-10");
  REQUIRE(unfixed.violations.size() == 1);
  CHECK(violation_mentions(unfixed, "no fix on branch 1.30; fixed in 1.31.0"));
  // CVE-2099-0003 affects everything but scores 5.0: not critical.
  CHECK_FALSE(any_contains(judge("v1.32.2", "2025-02-27").notes, "CVE-2099-0003"));
}

TEST_CASE("scs-0210 rule: the newest minor version within 4 months is noted, not judged",
          "[checks][scs-0210]") {
  // 1.32 came out on 2024-12-11: due by 2025-04-11 in the provider's offer.
  const auto due = judge("v1.31.6", "2025-03-05");
  CHECK(due.violations.empty());
  CHECK_FALSE(any_contains(due.notes, "must be offered"));
  CHECK(any_contains(judge("v1.31.6", "2025-04-12").notes,
                     "Kubernetes 1.32, released 2024-12-11, must be offered since 2025-04-11"));
  CHECK_FALSE(any_contains(judge("v1.32.2", "2025-04-12").notes, "must be offered"));
}

TEST_CASE("scs-0210 rule: a branch newer than the data passes only while the data is young",
          "[checks][scs-0210]") {
  const auto young = judge("v1.33.0", "2025-06-01");
  CHECK(young.violations.empty());
  CHECK_FALSE(young.undetermined);
  CHECK(any_contains(young.notes, "newer than every branch the version data (retrieved 2025-03-01) knows"));
  const auto old = judge("v1.33.0", "2026-04-01");
  REQUIRE(old.undetermined);
  CHECK_THAT(*old.undetermined, Catch::Contains("does not know Kubernetes 1.33"));
}

TEST_CASE("scs-0210 notes name the data set, its age and staleness", "[checks][scs-0210]") {
  const auto verdict = judge("v1.32.2", "2025-03-11");
  CHECK(any_contains(verdict.notes,
                     "version data: test data, retrieved 2025-03-01 (10 days before the check)"));
  // On 2025-11-01 the data knows a single supported branch: it must be outdated.
  CHECK(any_contains(judge("v1.32.2", "2025-11-01").notes, "knows only 1 supported branch(es)"));
}

TEST_CASE("scs-0210 data files are validated", "[checks][scs-0210]") {
  auto document = read_json(fixture);
  document["retrieved"] = "soon";
  CHECK_THROWS_AS(parse_version_data(document, "broken"), scs::ConfigError);
  document = read_json(fixture);
  document["patches"][0]["version"] = "1.29";
  CHECK_THROWS_WITH(parse_version_data(document, "broken"), Catch::Contains("broken: patch 1.29"));
  document = read_json(fixture);
  document.erase("critical_cves");
  CHECK_THROWS_WITH(parse_version_data(document, "broken"), Catch::Contains("critical_cves"));
  // The bundled data set loads and is dated.
  const auto bundled = parse_version_data(
      read_json(std::string(SCS_SOURCE_DIR) + "/standards/data/k8s-version-data.json"), "bundled");
  CHECK_FALSE(bundled.branches.empty());
  CHECK_FALSE(bundled.patches.empty());
  CHECK_FALSE(bundled.cves.empty());
}

TEST_CASE("scs-0210 merges endoflife.date and the CVE feed", "[checks][scs-0210]") {
  auto data = test_data();
  const auto cycles = nlohmann::json::parse(R"([
    {"cycle": "1.33", "releaseDate": "2025-04-23", "eol": "2026-06-28", "latest": "1.33.1", "latestReleaseDate": "2025-05-15"},
    {"cycle": "1.32", "releaseDate": "2024-12-11", "eol": "2026-02-28", "latest": "1.32.5", "latestReleaseDate": "2025-05-15"},
    {"cycle": "1.31", "releaseDate": "2024-08-13", "eol": false, "latest": "1.31.9", "latestReleaseDate": "2025-05-15"},
    {"cycle": "broken"}
  ])");
  merge_endoflife(data, cycles, day("2025-06-01"));
  CHECK(data.branches.size() == 3);
  CHECK(format_date(data.retrieved) == "2025-06-01");
  CHECK_THAT(data.origin, Catch::Contains("endoflife.date"));
  // 1.32.5 (2025-05-15) is now known: 1.32.2 is behind by more than a month.
  const auto verdict = evaluate_version_policy(*parse_kube_version("v1.32.2"), day("2025-06-20"), data);
  CHECK(violation_mentions(verdict, "patch release 1.32.5 came out on 2025-05-15"));
  CHECK(evaluate_version_policy(*parse_kube_version("v1.33.1"), day("2025-06-01"), data).violations.empty());
  CHECK_THROWS(
      merge_endoflife(data, nlohmann::json::parse(R"({"message": "rate limited"})"), day("2025-06-01")));

  const auto feed = nlohmann::json::parse(R"json({
    "version": "https://jsonfeed.org/version/1.1",
    "items": [
      {"id": "CVE-2099-0001", "content_text": "CVSS Rating: High (8.1)"},
      {"id": "CVE-2099-0100", "url": "https://github.com/kubernetes/kubernetes/issues/1",
       "content_text": "CVSS Rating: Critical (9.1) CVSS:3.1/AV:N"},
      {"id": "CVE-2099-0101", "content_text": "CVSS Rating: Medium (5.5)"}
    ]})json");
  merge_cve_feed(data, feed);
  CHECK(any_contains(data.remarks, "WARNING: critical CVE-2099-0100 (CVSS 9.1)"));
  CHECK(any_contains(data.remarks, "1 CVE(s) of the feed are not in the version data"));
  CHECK_FALSE(any_contains(data.remarks, "CVE-2099-0001 ("));
  CHECK_THROWS(merge_cve_feed(data, nlohmann::json::parse(R"({"title": "no items"})")));
}

TEST_CASE("version-policy-check passes a current cluster offline and notes the suffix",
          "[checks][scs-0210]") {
  KubeHarness api;
  api.answer_json("GET", "/version", version_answer("v1.32.2+k3s1"));
  const auto result =
      api.run("k8s-version-policy", {{"data", fixture}}, {{"offline", "true"}}, at("2025-03-01"));
  INFO(result.summary);
  CHECK(result.status == Status::pass);
  CHECK(any_contains(result.notes, "suffix '+k3s1' is ignored"));
  CHECK(any_contains(result.notes, "offline run"));
  CHECK(any_contains(result.notes,
                     "version data: bundled k8s-version-data-2025-03.json, retrieved 2025-03-01"));
  CHECK(api.count("GET", "endoflife.date") == 0);  // offline: no refresh
}

TEST_CASE("version-policy-check fails an outdated cluster and names its version", "[checks][scs-0210]") {
  KubeHarness api;
  api.answer_json("GET", "/version", version_answer("v1.29.10-eks-1234"));
  const auto result =
      api.run("k8s-version-policy", {{"data", fixture}}, {{"offline", "true"}}, at("2025-03-20"));
  CHECK(result.status == Status::fail);
  REQUIRE(result.evidence.size() == 2);  // end of life, and 1.29.15 long out
  CHECK(result.evidence[0].subject == "cluster version 1.29.10");
  CHECK_THAT(result.evidence[0].message, Catch::Contains("end of life"));
  CHECK_THAT(result.evidence[1].message, Catch::Contains("1.29.15"));
}

TEST_CASE("version-policy-check aborts when the version cannot be read or judged", "[checks][scs-0210]") {
  {
    KubeHarness api;
    api.answer_json("GET", "/version", version_answer("main"));
    const auto result =
        api.run("k8s-version-policy", {{"data", fixture}}, {{"offline", "true"}}, at("2025-03-10"));
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("gitVersion 'main'"));
  }
  {
    KubeHarness api;
    api.answer({"GET", "/version", 500, R"({"kind": "Status", "code": 500})"});
    const auto result =
        api.run("k8s-version-policy", {{"data", fixture}}, {{"offline", "true"}}, at("2025-03-10"));
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("/version"));
    CHECK_THAT(result.summary, !Catch::Contains(std::string(KubeHarness::token)));
  }
  {
    KubeHarness api;  // a branch the old data does not know, a year after it was taken
    api.answer_json("GET", "/version", version_answer("v1.35.0"));
    const auto result =
        api.run("k8s-version-policy", {{"data", fixture}}, {{"offline", "true"}}, at("2026-11-26"));
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("without --offline"));
  }
  {
    KubeHarness api;
    api.answer_json("GET", "/version", version_answer("v1.32.2"));
    const auto result = api.run("k8s-version-policy", {{"data", "/nonexistent/data.json"}},
                                {{"offline", "true"}}, at("2025-03-10"));
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("/nonexistent/data.json"));
  }
}

TEST_CASE("version-policy-check refreshes online, and falls back to the bundled data", "[checks][scs-0210]") {
  {
    KubeHarness api;
    api.answer_json("GET", "/version", version_answer("v1.35.0"));
    api.answer_json(
        "GET", "https://endoflife.date/api/kubernetes.json",
        R"([{"cycle": "1.35", "releaseDate": "2026-10-15", "eol": "2027-12-28", "latest": "1.35.0",
                         "latestReleaseDate": "2026-10-15"},
                        {"cycle": "1.34", "releaseDate": "2026-06-15", "eol": "2027-08-28", "latest": "1.34.3",
                         "latestReleaseDate": "2026-10-15"},
                        {"cycle": "1.33", "releaseDate": "2026-02-15", "eol": "2027-04-28", "latest": "1.33.9",
                         "latestReleaseDate": "2026-10-15"}])");
    api.answer_json("GET", "official-cve-feed/index.json", R"({"items": []})");
    const auto result = api.run("k8s-version-policy", {{"data", fixture}}, {}, at("2026-11-26"));
    INFO(result.summary);
    CHECK(result.status == Status::pass);
    CHECK(any_contains(result.notes, "refreshed from https://endoflife.date/api/kubernetes.json"));
    CHECK(any_contains(result.notes, "compared with the official Kubernetes CVE feed"));
  }
  {
    KubeHarness api;  // both sources answer 404: the bundled data decides, and says so
    api.answer_json("GET", "/version", version_answer("v1.32.2"));
    const auto result = api.run("k8s-version-policy", {{"data", fixture}}, {}, at("2025-03-10"));
    CHECK(result.status == Status::pass);
    CHECK(
        any_contains(result.notes, "online refresh of the release data failed (GET https://endoflife.date"));
    CHECK(any_contains(result.notes, "online refresh of the CVE list failed"));
    CHECK(api.count("GET", "endoflife.date") == 1);
  }
}

namespace {

const std::string bundled_file = std::string(SCS_SOURCE_DIR) + "/standards/data/k8s-version-data.json";

PolicyVerdict judge_bundled(const char* version, const char* today) {
  return evaluate_version_policy(
      *parse_kube_version(version), day(today),
      parse_version_data(read_json(bundled_file), "bundled k8s-version-data.json"));
}

std::string everything(const PolicyVerdict& verdict) {
  std::string text;
  for (const auto& finding : verdict.violations) text += finding.message + "\n";
  for (const auto& note : verdict.notes) text += note + "\n";
  return text;
}

constexpr const char* scs_eol_file =
    "https://github.com/SovereignCloudStack/standards/blob/main/Tests/kaas/scs_0210_version_policy/"
    "k8s-eol-data.yml";

}  // namespace

TEST_CASE("scs-0210 bundled data judges 1.33 to 1.37 on 2026-12-07 offline, naming its sources",
          "[checks][scs-0210]") {
  // 1.33 ended on 2026-06-28 (not a year after the old data's date, as before).
  const auto old = judge_bundled("v1.33.10", "2026-12-07");
  CHECK_FALSE(old.undetermined);
  CHECK(violation_mentions(
      old, fmt::format("reached its end of life on 2026-06-28 (per {}, read 2026-12-07)", scs_eol_file)));
  CHECK(judge_bundled("v1.33.10", "2026-06-27").violations.empty());  // the day before
  // 1.34 ended on 2026-10-27.
  const auto ended = judge_bundled("v1.34.9", "2026-12-07");
  CHECK_FALSE(ended.undetermined);
  CHECK(violation_mentions(ended, "reached its end of life on 2026-10-27"));
  // 1.35: supported until 2027-02-28; its newest known patch 1.35.9 passes, an older one fails.
  const auto current = judge_bundled("v1.35.9", "2026-12-07");
  CHECK_FALSE(current.undetermined);
  CHECK(current.violations.empty());
  CHECK_THAT(everything(current),
             Catch::Contains(fmt::format(
                 "branch 1.35 is supported until 2027-02-28 (per {}, read 2026-12-07)", scs_eol_file)));
  CHECK_THAT(everything(current),
             Catch::Contains(
                 "the newest it knows is 1.35.9 of 2026-09-15 (per https://kubernetes.io/releases/1.35/, "
                 "read 2026-12-07); later ones are unknown to it"));
  const auto behind = judge_bundled("v1.35.3", "2026-12-07");
  CHECK_FALSE(behind.undetermined);
  CHECK(violation_mentions(behind, "patch release 1.35.4 came out on 2026-04-14"));
  CHECK(violation_mentions(behind, "per https://kubernetes.io/releases/1.35/, read 2026-12-07"));
  // 1.36: supported until 2027-06-28.
  const auto newer = judge_bundled("v1.36.4", "2026-12-07");
  CHECK_FALSE(newer.undetermined);
  CHECK(newer.violations.empty());
  CHECK_THAT(everything(newer), Catch::Contains("branch 1.36 is supported until 2027-06-28"));
  CHECK(violation_mentions(judge_bundled("v1.36.0", "2026-12-07"),
                           "patch release 1.36.1 came out on 2026-05-13"));
  // 1.37 (from kubernetes.io, not in the SCS file) is known too.
  const auto newest = judge_bundled("v1.37.1", "2026-12-07");
  CHECK(newest.violations.empty());
  CHECK_FALSE(newest.undetermined);
  CHECK_THAT(everything(newest), Catch::Contains("branch 1.37 is supported until 2027-10-28 (per "
                                                 "https://kubernetes.io/releases/1.37/, read 2026-12-07)"));
}

TEST_CASE("scs-0210 an end of life not announced is unknown: not failed, never guessed",
          "[checks][scs-0210]") {
  auto document = read_json(fixture);
  document["branches"].push_back({{"branch", "1.33"},
                                  {"released", "2025-04-23"},
                                  {"end_of_life", nullptr},
                                  {"source", "https://example.invalid/scs-0210-test-fixture"},
                                  {"retrieved", "2025-03-01"}});
  const auto data = parse_version_data(document, "test data");
  const auto verdict = evaluate_version_policy(*parse_kube_version("v1.33.0"), day("2025-05-01"), data);
  CHECK(verdict.violations.empty());
  CHECK_FALSE(verdict.undetermined);
  CHECK(any_contains(verdict.notes,
                     "branch 1.33: end of life unknown (not announced in the version data, per "
                     "https://example.invalid/scs-0210-test-fixture, read 2025-03-01): not judged "
                     "as end of life"));
  CHECK(any_contains(verdict.notes, "so at least until 2026-04-23"));
  // Years later it is still not failed as end of life; a branch the data does not know at all
  // still cannot be judged (ABORT).
  CHECK(evaluate_version_policy(*parse_kube_version("v1.33.0"), day("2027-05-01"), data).violations.size() ==
        0);
  CHECK(evaluate_version_policy(*parse_kube_version("v1.34.0"), day("2027-05-01"), data).undetermined);
  // The run-time refresh reads endoflife.date's "eol": false the same way.
  auto refreshed = test_data();
  merge_endoflife(refreshed,
                  nlohmann::json::parse(R"([{"cycle": "1.33", "releaseDate": "2025-04-23", "eol": false,
      "latest": "1.33.0", "latestReleaseDate": "2025-04-23"}])"),
                  day("2025-05-01"));
  REQUIRE(refreshed.branches.size() == 1);
  CHECK_FALSE(refreshed.branches[0].end_of_life);
  CHECK(refreshed.branches[0].provenance.source == "https://endoflife.date/api/kubernetes.json");
  // Strict reading (refresh-data) names the cycle and the missing field.
  CHECK_THROWS_WITH(merge_endoflife(refreshed, nlohmann::json::parse(R"([{"cycle": "1.33", "eol": false}])"),
                                    day("2025-05-01"), Strictness::strict),
                    Catch::Contains("cycle 1.33: 'releaseDate' missing"));
}

TEST_CASE("scs-0210 data entries must name their source and retrieval date", "[checks][scs-0210]") {
  auto document = read_json(fixture);
  document["branches"][0].erase("source");
  CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                    Catch::Contains("broken: branch 1.29: 'source' missing"));
  document = read_json(fixture);
  document["patches"][0]["source"] = "somewhere";
  CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                    Catch::Contains("'source' is not an http(s) URL"));
  document = read_json(fixture);
  document["critical_cves"][0]["retrieved"] = "2025-03-02";  // after the file's own date
  CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                    Catch::Contains("is after the file's 'retrieved'"));
  document = read_json(fixture);
  document["branches"][0].erase("end_of_life");  // unknown must be said (null), not left out
  CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                    Catch::Contains("'end_of_life' missing (null when unknown)"));
  // The bundled file: every entry cited, and it is written in the format refresh-data writes.
  const auto bundled_json = read_json(bundled_file);
  const auto bundled = parse_version_data(bundled_json, "bundled");
  CHECK(format_date(bundled.retrieved) == "2026-12-07");
  for (const auto& branch : bundled.branches) CHECK_FALSE(branch.provenance.source.empty());
  CHECK(scs::checks::kaas::version_data_to_json(bundled) == bundled_json);
}

TEST_CASE("scs-0210 data file versions have no suffix (Found by fuzzing)", "[checks][scs-0210]") {
  // A suffix was read, ignored by the rules (1.30.2-rc.1 counted as the release 1.30.2) and
  // dropped by the writer: what refresh-data wrote was not what it read.
  for (const char* version : {"1.30.2-rc.1", "v1.30.2+k3s1"}) {
    auto document = read_json(fixture);
    document["patches"][0]["version"] = version;
    CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                      Catch::Contains(fmt::format("'version' is not a version X.Y.Z: '{}'", version)));
    document = read_json(fixture);
    document["critical_cves"][0]["affected"][0]["fixed"] = version;
    CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                      Catch::Contains("'fixed' is not a version X.Y.Z"));
  }
  auto document = read_json(fixture);
  document["patches"][0]["version"] = "v1.30.2";  // the "v" of gitVersion is no data
  const auto data = parse_version_data(document, "tolerated");
  CHECK(parse_version_data(version_data_to_json(data), "written").patches[0].version.text() == "1.30.2");
}

TEST_CASE("scs-0210 entries and answers of another type are one-line errors (Found by fuzzing)",
          "[checks][scs-0210]") {
  // nlohmann's value() threw its type_error (no scs::Error, so no exit code, and a message that
  // names no file) for an entry that is no object or a key that is no string.
  auto document = read_json(fixture);
  document["branches"][0] = 42;
  CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                    Catch::Contains("broken: branch ?: 'branch' missing"));
  document = read_json(fixture);
  document["patches"][0]["version"] = 1.29;
  CHECK_THROWS_WITH(parse_version_data(document, "broken"),
                    Catch::Contains("broken: patch ?: 'version' missing"));
  document = read_json(fixture);
  document["critical_cves"][0]["id"] = nullptr;
  CHECK_THROWS_AS(parse_version_data(document, "broken"), scs::ConfigError);

  // endoflife.date: a cycle as a number is unusable (lenient: skipped) or refused (strict).
  const auto cycles = nlohmann::json::parse(R"([
    {"cycle": 1.33, "releaseDate": "2025-04-23", "eol": false, "latest": "1.33.1", "latestReleaseDate": "2025-05-15"},
    {"cycle": "1.32", "releaseDate": "2024-12-11", "eol": false, "latest": 5, "latestReleaseDate": null}
  ])");
  auto data = test_data();
  merge_endoflife(data, cycles, day("2025-06-01"));
  CHECK(data.branches.size() == 1);
  data = test_data();
  CHECK_THROWS_AS(merge_endoflife(data, cycles, day("2025-06-01"), Strictness::strict),
                  scs::UnreachableError);
  // The CVE feed: a content_text or url that is no string is read as missing.
  const auto feed = nlohmann::json::parse(R"json({"items": [
    {"id": "CVE-2099-0200", "content_text": ["CVSS Rating: Critical (9.8)"], "url": 7}]})json");
  data = test_data();
  merge_cve_feed(data, feed, Strictness::strict);
  CHECK(any_contains(data.remarks, "1 CVE(s) of the feed are not in the version data"));
}

TEST_CASE("scs-0210 a remark from the CVE feed is one line (Found by fuzzing)", "[checks][scs-0210]") {
  // The feed's id and url went into the remark as they came, line breaks included; remarks are
  // notes of the check's result, printed one per line.
  const auto feed = nlohmann::json::parse(R"json({"items": [
    {"id": "CVE-2099-0300\nforged line", "url": "https://www.cve.org/\r\nx",
     "content_text": "CVSS Rating: Critical (9.8)"}]})json");
  auto data = test_data();
  merge_cve_feed(data, feed, Strictness::strict);
  REQUIRE(any_contains(data.remarks, "WARNING: critical CVE-2099-0300\\nforged line (CVSS 9.8)"));
  for (const auto& remark : data.remarks) CHECK(remark.find_first_of("\r\n") == std::string::npos);
}
