// The process seam's cassettes: a recording keeps what programs answered and the files they
// left, without secrets; a replay answers from it in order and refuses what it does not hold.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/process/process_cassette.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"
#include "tests/support/temp_env.hpp"

using scs::ProcessOptions;

namespace {

constexpr const char* canary = "canary-secret-4711";

ProcessOptions shell(const std::string& script, std::vector<std::filesystem::path> outputs = {}) {
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c", script};
  options.outputs = std::move(outputs);
  return options;
}

}  // namespace

TEST_CASE("a recorded invocation keeps exit code, output and files, scrubbed of secrets",
          "[clients][process]") {
  const scs::test::TempDir dir("scs-process-cassette");
  const auto cassette = dir / "processes.json";
  const auto result_file = dir / "out/result.txt";
  scs::LocalProcessRunner local;
  {
    scs::RecordingProcessRunner recorder(local, cassette, {canary});
    CHECK(recorder.find("sh").has_value());
    CHECK_FALSE(recorder.find("no-such-program-scs").has_value());
    const auto result =
        recorder.run(shell(fmt::format("mkdir -p {0}; printf 'token {1}\\n' > {0}/result.txt; "
                                       "echo 'out {1}'; echo err >&2; exit 3",
                                       result_file.parent_path().string(), canary),
                           {result_file, dir / "out/never-written.txt"}));
    // The caller gets the real answer …
    CHECK(result.exit_code == 3);
    CHECK(result.out == fmt::format("out {}\n", canary));
    CHECK(result.outputs.at(result_file.string()) == fmt::format("token {}\n", canary));
    CHECK_FALSE(result.outputs.contains((dir / "out/never-written.txt").string()));
  }
  // … the cassette none of the secret.
  const auto text = scs::read_file(cassette);
  CHECK(text.find(canary) == std::string::npos);
  CHECK(text.find("<redacted>") != std::string::npos);
  const auto document = nlohmann::json::parse(text);
  CHECK(document.at("format") == "scs-process-cassette/1");
  CHECK(document.at("lookups").at("no-such-program-scs").is_null());
  const auto& entry = document.at("invocations").at(0);
  CHECK(entry.at("exit_code") == 3);
  CHECK(entry.at("stdout") == "out <redacted>\n");
  CHECK(entry.at("stderr") == "err\n");
  CHECK(entry.at("outputs").at(result_file.string()) == "token <redacted>\n");
}

TEST_CASE("a replay answers recorded invocations in order and refuses unknown ones", "[clients][process]") {
  const scs::test::TempDir dir("scs-process-cassette");
  const auto cassette = dir / "processes.json";
  const auto result_file = dir / "out/result.bin";
  const auto first = shell("echo first");
  const auto writes = shell(fmt::format("mkdir -p {0}; printf 'A\\377\\000B' > {0}/result.bin; echo second",
                                        result_file.parent_path().string()),
                            {result_file});
  std::string recorded_bytes;
  {
    scs::LocalProcessRunner local;
    scs::RecordingProcessRunner recorder(local, cassette);
    (void)recorder.find("sh");
    CHECK(recorder.run(first).out == "first\n");
    recorder.run(writes);
    CHECK(recorder.run(first).out == "first\n");
    recorded_bytes = scs::read_file(result_file);
  }
  REQUIRE(recorded_bytes == std::string("A\xff\0B", 4));  // not UTF-8: stored as base64
  std::filesystem::remove_all(result_file.parent_path());

  scs::ReplayingProcessRunner replay(cassette);
  CHECK(replay.unused() == 3);
  CHECK(replay.find("sh") == scs::find_program("sh"));
  CHECK_THROWS_WITH(replay.find("sonobuoy"), Catch::Contains("did not record a lookup of sonobuoy"));
  CHECK(replay.run(first).out == "first\n");
  const auto answered = replay.run(writes);
  CHECK(answered.out == "second\n");
  CHECK(answered.outputs.at(result_file.string()) == recorded_bytes);
  // The file is back where the recorded program left it, though nothing ran.
  CHECK(scs::read_file(result_file) == recorded_bytes);
  CHECK(replay.run(first).out == "first\n");
  CHECK(replay.unused() == 0);

  // Asked once more than recorded, or for an argv never recorded: an Error naming it.
  CHECK_THROWS_AS(replay.run(first), scs::Error);
  CHECK_THROWS_WITH(replay.run(first), Catch::Contains("no further invocation of: /bin/sh -c echo first"));
  CHECK_THROWS_WITH(replay.run(shell("echo other")),
                    Catch::Contains("no invocation of: /bin/sh -c echo other"));
}

TEST_CASE("a missing or foreign process cassette is a ConfigError naming it", "[clients][process]") {
  const scs::test::TempDir dir("scs-process-cassette");
  CHECK_THROWS_AS(scs::ReplayingProcessRunner(dir / "none.json"), scs::ConfigError);
  const auto foreign = dir.write("http.json", R"({"format": "scs-cassette/1", "interactions": []})");
  CHECK_THROWS_WITH(scs::ReplayingProcessRunner(foreign), Catch::Contains(foreign.string()));
}
