// `batch`: several subjects, each on its own; the overview; a broken subject is its own error.

#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/batch_command.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace {

namespace fs = std::filesystem;

const std::string source_dir = SCS_SOURCE_DIR;
const std::string recording = source_dir + "/examples/testcloud-compliant";

scs::BatchCommandOptions options_for(const scs::test::TempDir& dir, const std::string& subjects) {
  scs::BatchCommandOptions options;
  options.subjects_file = dir.write("subjects.yaml", subjects).string();
  options.out_dir = (dir / "out").string();
  options.jobs = 2;
  options.standards_dir = source_dir + "/standards";
  return options;
}

}  // namespace

TEST_CASE("batch: every subject is checked on its own, a broken one is only its own error") {
  scs::test::CloudSandbox sandbox;  // no clouds.yaml anywhere: `broken` cannot be resolved
  const scs::test::TempDir dir("scs-batch");
  const auto options = options_for(dir,
                                   "subjects:\n"
                                   "  - name: first\n    replay: " +
                                       recording +
                                       "\n"
                                       "  - name: broken\n    os_cloud: no-such-cloud\n"
                                       "  - name: second\n    replay: " +
                                       recording + "\n    version: v5.1\n");
  const std::atomic<bool> interrupted{false};
  std::ostringstream err;
  const int code = scs::batch_command(options, interrupted, err);
  CHECK(code == 78);  // the worst: broken's configuration error outranks the replays' 0
  const auto index = nlohmann::json::parse(scs::read_file(dir / "out" / "index.json"));
  REQUIRE(index["subjects"].size() == 3);
  const auto& first = index["subjects"][0];
  CHECK(first["subject"] == "first");
  CHECK(first["scope"] == "SCS-compatible IaaS");
  CHECK(first["versions"]["v5.1"] == "PASS");  // the recorded compliant cloud, every testcase replayed
  CHECK(first["exit_code"] == 0);
  CHECK(first["report"] == "first/report.html");
  const auto& broken = index["subjects"][1];
  CHECK(broken["exit_code"] == 78);
  CHECK(broken["error"].get<std::string>().find("no cloud configured") != std::string::npos);
  CHECK(broken["versions"].empty());
  CHECK(index["subjects"][2]["versions"]["v5.1"] == "PASS");
  for (const auto* file : {"report.yaml", "report.json", "report.md", "report.html", "log.txt"})
    CHECK(fs::exists(dir / "out" / "first" / file));
  CHECK(scs::read_file(dir / "out" / "broken" / "log.txt").find("no cloud configured") != std::string::npos);
  CHECK(scs::read_file(dir / "out" / "index.html").find("<a href=\"first/report.html\">first</a>") !=
        std::string::npos);
  CHECK(scs::read_file(dir / "out" / "index.md").find("| [second](second/report.html) |") !=
        std::string::npos);
  CHECK(err.str().empty());  // no progress lines unless asked (a terminal)
}

TEST_CASE("batch: progress names each subject as it finishes, with a counter") {
  const scs::test::TempDir dir("scs-batch");
  auto options = options_for(dir, "subjects:\n  - name: only\n    replay: " + recording + "\n");
  options.progress = true;
  const std::atomic<bool> interrupted{false};
  std::ostringstream err;
  CHECK(scs::batch_command(options, interrupted, err) == 0);
  CHECK(err.str().starts_with("[1/1] only: exit 0"));
}

TEST_CASE("batch: after Ctrl-C nothing more starts, the overview holds what is done, exit 130", "[timing]") {
  const scs::test::TempDir dir("scs-batch");
  const auto options = options_for(dir, "subjects:\n  - name: a\n    replay: " + recording + "\n");
  const std::atomic<bool> interrupted{true};
  std::ostringstream err;
  CHECK(scs::batch_command(options, interrupted, err) == 130);
  CHECK(nlohmann::json::parse(scs::read_file(dir / "out" / "index.json"))["subjects"].empty());
  CHECK_FALSE(fs::exists(dir / "out" / "a"));
}

TEST_CASE("batch: a malformed subjects file is refused with file and line before anything runs") {
  const scs::test::TempDir dir("scs-batch");
  const std::atomic<bool> interrupted{false};
  std::ostringstream err;
  const auto refused = [&](const std::string& text, const std::string& message) {
    const auto options = options_for(dir, text);
    CHECK_THROWS_WITH(scs::batch_command(options, interrupted, err), Catch::Contains(message));
    CHECK_FALSE(fs::exists(dir / "out" / "index.json"));
  };
  refused("subjects:\n  - name: a\n    os_clod: x\n", "subjects.yaml:3: unknown key");
  refused("subjects:\n  - name: a\n    os_clod: x\n", "os_clod");
  refused("subjects:\n  - name: a\n  - name: a\n", "subject 'a' given twice");
  refused("subjects:\n  - name: ../up\n", "is not of [A-Za-z0-9._-]+");
  refused("subjects: []\n", "'subjects' is empty");
  refused("subjects:\n  - name: a\n    scopes: [no-such-scope]\n", "scope file no-such-scope");
  refused("subjects: [\n", "subjects.yaml");
  // Found by fuzzing (tests/fuzz/subjects_file.cpp): a scope name too long for a file name
  // escaped as std::filesystem_error.
  refused("subjects:\n  - name: a\n    scopes: [" + std::string(5000, 'x') + "]\n",
          "subjects.yaml:2: scope file xxx");
}
