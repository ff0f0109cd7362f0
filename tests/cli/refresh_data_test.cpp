// `scs-conformance refresh-data` run as a process against recorded answers (hand-written
// cassettes in tests/cli/fixtures/refresh-data, labelled as test fixtures): the regenerated data
// equals the golden file, an unannounced end of life stays unknown, and every broken answer is
// one line on stderr, exit 69, and no output file (an existing one is left as it was).

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "checks/kaas/version_data_file.hpp"
#include "checks/kaas/version_policy.hpp"
#include "tests/support/temp_env.hpp"

namespace {

namespace fs = std::filesystem;
using scs::test::TempDir;

const fs::path fixtures = fs::path(SCS_SOURCE_DIR) / "tests/cli/fixtures/refresh-data";

struct Process {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the binary with `arguments` (shell-quoted by the caller), stdout and stderr captured.
Process run(const std::string& arguments, const TempDir& dir) {
  const auto err_file = dir / "stderr.txt";
  const auto command = std::string(SCS_BINARY) + " " + arguments + " 2>'" + err_file.string() + "'";
  Process result;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = scs::test::read_text(err_file);
  return result;
}

std::string refresh(const std::string& cassette, const fs::path& output) {
  return "refresh-data --input '" + (fixtures / "input-data.json").string() + "' --replay '" +
         (fixtures / cassette).string() + "' --date 2026-12-07 --output '" + output.string() + "'";
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("refresh-data regenerates the version data from recorded answers", "[cli][refresh-data]") {
  const TempDir dir;
  const auto output = dir / "k8s-version-data.json";
  const auto result = run(refresh("good.json", output), dir);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(lines(result.out) == 1);
  CHECK_THAT(result.out,
             Catch::Contains("4 branch(es) (0 without an announced end of life), 20 patch release(s)"));
  const auto written = scs::test::read_text(output);
  CHECK(written == scs::test::read_text(fixtures / "expected-k8s-version-data.json"));
  // It reads back, every entry with its source and date, the new ones stamped by the API.
  const auto data = scs::checks::kaas::parse_version_data(nlohmann::json::parse(written), "regenerated");
  REQUIRE(data.branches.size() == 4);
  for (const auto& branch : data.branches) {
    CHECK(branch.provenance.source == "https://endoflife.date/api/kubernetes.json");
    CHECK(scs::checks::kaas::format_date(branch.provenance.retrieved) == "2026-12-07");
  }
  CHECK(data.cves.size() == 3);  // the feed gives no fixed versions: carried over with their sources
  CHECK(data.cves[0].provenance.source == "https://github.com/kubernetes/kubernetes/issues/128885");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++files;
  CHECK(files == 2);  // the data and stderr.txt: the temporary file was renamed into place
  // Without --output the data goes to stdout, the summary to stderr.
  const auto to_stdout = run(refresh("good.json", "-"), dir);
  CHECK(to_stdout.exit_code == 0);
  CHECK(to_stdout.out == written);
  CHECK_THAT(to_stdout.err, Catch::Contains("refresh-data: 4 branch(es)"));
}

TEST_CASE("refresh-data keeps an end of life that is not announced unknown", "[cli][refresh-data]") {
  const TempDir dir;
  const auto output = dir / "data.json";
  const auto result = run(refresh("eol-not-announced.json", output), dir);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("(1 without an announced end of life)"));
  const auto document = nlohmann::json::parse(scs::test::read_text(output));
  const auto& newest = document["branches"].back();
  CHECK(newest["branch"] == "1.37");
  CHECK(newest["end_of_life"].is_null());
  // … and the check judges it: supported, end of life unknown, not an ABORT.
  const auto data = scs::checks::kaas::parse_version_data(document, "regenerated");
  const auto verdict = scs::checks::kaas::evaluate_version_policy(
      *scs::checks::kaas::parse_kube_version("v1.37.1"), *scs::checks::kaas::parse_date("2026-12-07"), data);
  CHECK(verdict.violations.empty());
  CHECK_FALSE(verdict.undetermined);
}

TEST_CASE("refresh-data: a broken answer is one line, exit 69, and nothing written", "[cli][refresh-data]") {
  const struct {
    const char* cassette;
    const char* message;
  } cases[] = {
      {"unreachable.json", "cannot reach https://endoflife.date:443: Could not resolve host"},
      {"server-error.json", "GET https://endoflife.date/api/kubernetes.json answered HTTP 503"},
      {"html.json", "did not answer with JSON (HTTP 200, text/html; charset=UTF-8): Just a moment..."},
      {"truncated.json",
       "did not answer with JSON (HTTP 200, application/json): incomplete or malformed JSON"},
      {"missing-field.json", "https://endoflife.date/api/kubernetes.json: cycle 1.36: 'eol' missing"},
      {"feed-not-a-feed.json", "official-cve-feed/index.json answered without an 'items' list"},
  };
  for (const auto& broken : cases) {
    INFO(broken.cassette);
    const TempDir dir;
    const auto output = dir / "data.json";
    scs::test::write_text(output, "the previous data\n");
    const auto result = run(refresh(broken.cassette, output), dir);
    CHECK(result.exit_code == 69);
    CHECK(result.out.empty());
    CHECK(lines(result.err) == 1);
    CHECK_THAT(result.err, Catch::StartsWith("scs-conformance: error: ") && Catch::Contains(broken.message));
    CHECK(scs::test::read_text(output) == "the previous data\n");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++files;
    CHECK(files == 2);  // data.json and stderr.txt: no temporary file left behind
  }
}

TEST_CASE("refresh-data: a bad date or input is a usage or configuration error", "[cli][refresh-data]") {
  const TempDir dir;
  const auto bad_date =
      run("refresh-data --replay '" + (fixtures / "good.json").string() + "' --date 7.12.2026", dir);
  CHECK(bad_date.exit_code == 64);
  CHECK_THAT(bad_date.err, Catch::Contains("--date '7.12.2026' is not a date YYYY-MM-DD"));
  const auto missing = run("refresh-data --input /nonexistent/data.json --replay '" +
                               (fixtures / "good.json").string() + "' --date 2026-12-07",
                           dir);
  CHECK(missing.exit_code == 78);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/data.json"));
  const auto help = run("refresh-data --help", dir);
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--replay") && Catch::Contains("--output"));
}
