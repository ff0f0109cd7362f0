// The report is written even when the run fails: after wrong credentials and after an
// unreachable Keystone, every requested report file exists, parses, and says why the run could
// not start.

#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using scs::test::CloudSandbox;
using scs::test::CollectedRun;
using scs::test::TempDir;

/// Every scalar of a YAML document, one per line (the report's long lines are folded and
/// quoted, so the parsed text is what to search).
std::string scalars_of(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar() + "\n";
  std::string text;
  if (node.IsSequence()) {
    for (const auto& item : node) text += scalars_of(item);
  } else if (node.IsMap()) {
    for (const auto& item : node) text += scalars_of(item.first) + scalars_of(item.second);
  }
  return text;
}

/// Every report exists, parses as its format, and carries `reason` as the reason the run could
/// not start; every implemented testcase is an ABORT / <error>.
void check_reports_of_aborted_run(const CollectedRun& run, const std::string& reason) {
  for (const auto& path : {run.yaml, run.json, run.junit, run.markdown}) {
    INFO(path.string());
    REQUIRE(std::filesystem::exists(path));
    CHECK(std::filesystem::file_size(path) > 0);
  }

  const auto yaml_text = scs::test::read_text(run.yaml);
  CHECK_THAT(yaml_text, StartsWith("---"));
  YAML::Node yaml;
  REQUIRE_NOTHROW(yaml = YAML::Load(yaml_text));
  REQUIRE(yaml.IsMap());
  CHECK(yaml["spec"]["uuid"].as<std::string>() == "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f");
  CHECK(yaml["subject"].IsScalar());
  CHECK(yaml["run"]["invocations"].IsMap());
  CHECK_THAT(scalars_of(yaml), Contains("ERROR: run could not start: " + reason));

  nlohmann::json json;
  REQUIRE_NOTHROW(json = nlohmann::json::parse(scs::test::read_text(run.json)));
  REQUIRE(json.at("aborted_run").is_string());
  CHECK_THAT(json.at("aborted_run").get<std::string>(), Contains(reason));
  std::size_t implemented = 0;
  for (const auto& testcase : json.at("testcases")) {
    if (!testcase.at("implemented").get<bool>()) continue;
    ++implemented;
    INFO(testcase.at("id").get<std::string>());
    CHECK(testcase.at("status") == "ABORT");
    CHECK_THAT(testcase.at("summary").get<std::string>(), Contains(reason));  // aborted for that reason
  }
  CHECK(implemented > 0);

  const auto junit = scs::test::read_text(run.junit);
  INFO(junit);
  CHECK(scs::test::xml_problem(junit) == "");
  std::size_t errors = 0;
  for (auto at = junit.find("<error"); at != std::string::npos; at = junit.find("<error", at + 1)) ++errors;
  CHECK(errors == implemented);

  CHECK_THAT(scs::test::read_text(run.markdown), Contains(reason));
  CHECK_THAT(run.stdout_text, Contains(reason));
}

}  // namespace

TEST_CASE("after wrong credentials every report is written, parses and says why") {
  CloudSandbox sandbox;
  auto options = scs::test::wrong_password_run();
  TempDir out;

  const auto run = scs::test::run_like_main(options, out.path());

  CHECK(run.exit_code == 78);
  CHECK_FALSE(run.threw);  // the reason goes into the reports, not into an exception
  check_reports_of_aborted_run(run, "authentication failed for cloud 'testcloud-member'");
}

TEST_CASE(
    "after an unreachable Keystone every report is written and parses, exit 69 names the host, no secret "
    "leaks") {
  CloudSandbox sandbox;
  constexpr std::string_view canary = "canary-pw-7f3a9";
  sandbox.write_clouds_yaml(
      "clouds:\n" + scs::test::password_cloud("closed", "http://127.0.0.1:1/v3", std::string(canary)));
  TempDir out;

  const auto run = scs::test::run_like_main(scs::test::iaas_run("closed"), out.path());

  CHECK(run.exit_code == 69);
  CHECK_FALSE(run.threw);
  check_reports_of_aborted_run(run, "cannot reach http://127.0.0.1:1");
  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"stdout", run.stdout_text},
                                                        {"stderr", run.stderr_text},
                                                        {"yaml", scs::test::read_text(run.yaml)},
                                                        {"json", scs::test::read_text(run.json)},
                                                        {"junit", scs::test::read_text(run.junit)},
                                                        {"markdown", scs::test::read_text(run.markdown)}}) {
    INFO(name);
    CHECK(text.find(canary) == std::string::npos);
  }
}

TEST_CASE("the JSON report's exit_code is the process's exit code, also when the run could not start") {
  CloudSandbox sandbox;
  auto options = scs::test::wrong_password_run();
  TempDir out;

  const auto run = scs::test::run_like_main(options, out.path());

  REQUIRE(run.exit_code == 78);
  const auto json = nlohmann::json::parse(scs::test::read_text(run.json));
  CHECK(json.at("exit_code") == run.exit_code);
}

TEST_CASE("the XML checker used above rejects what is not well-formed") {
  CHECK(scs::test::xml_problem(R"(<?xml version="1.0"?><a x="1"><b/>t &amp; u<![CDATA[<>]]></a>)").empty());
  CHECK_FALSE(scs::test::xml_problem("<a><b></a></b>").empty());
  CHECK_FALSE(scs::test::xml_problem("<a>").empty());
  CHECK_FALSE(scs::test::xml_problem("<a>x & y</a>").empty());
  CHECK_FALSE(scs::test::xml_problem("<a x=1></a>").empty());
  CHECK_FALSE(scs::test::xml_problem("<a></a><b></b>").empty());
  CHECK_FALSE(scs::test::xml_problem("").empty());
}
