// Properties of the renderers that goldens alone would not explain: the monitor report parses
// back to what we meant, and hostile text is escaped in every format.

#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "reports/renderers.hpp"
#include "sample_reports.hpp"

namespace {

std::vector<std::string> keys(const YAML::Node& map) {
  std::vector<std::string> result;
  for (const auto& entry : map) result.push_back(entry.first.Scalar());
  return result;
}

}  // namespace

TEST_CASE("the monitor report has the official keys in the official order", "[reports][yaml]") {
  const auto text = scs::render_yaml(scs::test::mixed_report());
  REQUIRE(text.rfind("---\n", 0) == 0);
  const auto doc = YAML::Load(text);
  // `versions` must not appear at the top: the monitor would read the report as old-style.
  CHECK(keys(doc) == std::vector<std::string>{"spec", "checked_at", "reference_date", "subject", "run",
                                              "scs_conformance"});
  CHECK(keys(doc["spec"]) == std::vector<std::string>{"uuid", "name", "url"});
  CHECK(keys(doc["run"]) == std::vector<std::string>{"uuid", "argv", "assignment", "sections",
                                                     "forced_version", "forced_tests", "invocations"});
  CHECK(doc["run"]["sections"].IsNull());
  CHECK(doc["run"]["forced_version"].IsNull());
  CHECK(doc["run"]["forced_tests"].as<std::string>() == "scs-0100|scs-0123");
  CHECK(doc["checked_at"].as<std::string>() == "2026-11-26 16:22:07.483283");

  const auto invocations = doc["run"]["invocations"];
  REQUIRE(invocations.size() == 1);
  const auto invocation = invocations.begin()->second;
  CHECK(invocations.begin()->first.as<std::string>() == doc["run"]["uuid"].as<std::string>());
  CHECK(keys(invocation) == std::vector<std::string>{"id", "cmd", "results", "rc", "stdout", "stderr", "info",
                                                     "warning", "error", "critical"});
  const auto results = invocation["results"];
  CHECK(results["scs-0100-semantics-check"].as<int>() == -1);
  CHECK(results["scs-0100-syntax-check"].as<int>() == 1);
  CHECK(results["scs-0116-permissions"].as<int>() == 0);
  CHECK(results["scs-0123-swift-s3"].as<int>() == 1);          // N/A is a pass for the monitor
  CHECK_FALSE(results["scs-0101-entropy-avail"].IsDefined());  // not run: absent = missing
  CHECK(invocation["rc"].as<int>() == 1);
  CHECK(invocation["stdout"][0].as<std::string>() == "scs-0100-semantics-check: FAIL");
  CHECK(
      invocation["cmd"].as<std::string>() ==
      "scs-conformance run --os-cloud demo --subject demo-cloud --tests 'scs-0100|scs-0123' -o report.yaml");
  CHECK(invocation["error"].as<int>() == 3);  // the FAIL summary and its two findings
}

TEST_CASE("strings that YAML 1.1 or 1.2 would misread are quoted, others stay plain", "[reports][yaml]") {
  const std::vector<std::string> quoted{"yes",
                                        "No",
                                        "on",
                                        "y",
                                        "null",
                                        "~",
                                        "",
                                        "2026-08-21",
                                        "2026-08-21 10:00:00",
                                        "1.5",
                                        "-2",
                                        "0x1F",
                                        "0o17",
                                        "1_000",
                                        "12:30",
                                        ".inf",
                                        "1e5",
                                        "0.1.0" /* a float by the YAML 1.1 spec */,
                                        "<<",
                                        "- x",
                                        "-",
                                        " padded ",
                                        "a: b",
                                        "a #b",
                                        "key:",
                                        "'quoted'",
                                        "\"double\"",
                                        "line\nbreak",
                                        "tab\there",
                                        "[list]",
                                        "{map}",
                                        "&anchor",
                                        "*alias",
                                        "!tag",
                                        "%x",
                                        "@x",
                                        "`x`",
                                        "|",
                                        ">",
                                        "#comment",
                                        "---",
                                        "? x"};
  const std::vector<std::string> plain{"-s",   "--os-cloud", "scs-0100|scs-0123",
                                       "v5.1", "ünïcödé",    "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f",
                                       "a:b",  "a#b",        "report.yaml"};
  auto report = scs::test::mixed_report();
  report.argv = quoted;
  report.argv.insert(report.argv.end(), plain.begin(), plain.end());
  report.subject = "yes";
  const auto doc = YAML::Load(scs::render_yaml(report));
  CHECK(doc["subject"].Tag() == "!");  // quoted, so no loader resolves it to a bool
  CHECK(doc["subject"].as<std::string>() == "yes");
  const auto argv = doc["run"]["argv"];
  REQUIRE(argv.size() == report.argv.size());
  for (std::size_t i = 0; i < report.argv.size(); ++i) {
    CAPTURE(report.argv[i]);
    CHECK(argv[i].as<std::string>() == report.argv[i]);
    CHECK(argv[i].Tag() == (i < quoted.size() ? "!" : "?"));  // "!" = written quoted
  }
}

TEST_CASE("JSON carries everything, including evidence and calls", "[reports][json]") {
  const auto json = nlohmann::json::parse(scs::render_json(scs::test::mixed_report()));
  CHECK(json["verdict"] == "FAIL");
  CHECK(json["exit_code"] == 1);
  CHECK(json["versions"].size() == 2);
  CHECK(json["versions"][1]["decides_exit"] == true);
  const auto& semantics = json.at("testcases").at(0);  // sorted by id
  REQUIRE(semantics.at("id") == "scs-0100-semantics-check");
  CHECK(semantics.at("evidence").at(1).at("subject") == "flavor SCS-4V-8 <old> & \"tmp\"|x");
  CHECK(semantics.at("calls").at("calls") == 3);
  CHECK(json["counts"]["missing"] == 3);  // not implemented, not selected, no outcome at all
}

TEST_CASE("JUnit escapes markup in attributes and text", "[reports][junit]") {
  const auto xml = scs::render_junit(scs::test::mixed_report());
  CHECK(xml.find("flavor SCS-4V-8 &lt;old&gt; &amp; \"tmp\"|x: has 2 vCPUs") != std::string::npos);
  CHECK(xml.find("<old>") == std::string::npos);
  CHECK(xml.find("<testcase classname=\"scs-0100\" name=\"scs-0100-semantics-check\" time=\"1.234\">") !=
        std::string::npos);
  CHECK(xml.find("<skipped message=\"N/A: no object-store endpoint in the catalog\"/>") != std::string::npos);
  CHECK(xml.find("name=\"scs-0116-presence\"") != std::string::npos);  // required, no outcome: skipped
}

TEST_CASE("text output lists every offending object, and colour is optional", "[reports][text]") {
  const auto plain = scs::render_text(scs::test::mixed_report(), false);
  CHECK(plain.find("    - flavor SCS-2V-4: RAM is 3.9 GiB (3994 MiB), the name promises 4 GiB\n") !=
        std::string::npos);
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(scs::render_text(scs::test::mixed_report(), true).find("\x1b[1;31mFAIL\x1b[0m") != std::string::npos);
}
