// What the monitor reads from a report, checked before signing and uploading.
#include <catch2/catch.hpp>

#include "certify/report_identity.hpp"
#include "tests/certify/ssh_fixtures.hpp"
#include "tests/support/temp_env.hpp"

using scs::read_report_identity;
using scs::ReportFormatError;

TEST_CASE("a report's identity: scope, subject, run and results") {
  const auto report = read_report_identity(scs::test::sample_report("cloud-a", "run-1"), "r.yaml");
  REQUIRE(report.documents.size() == 1);
  const auto& identity = report.documents.front();
  CHECK(report.format == scs::ReportFormat::yaml);
  CHECK(identity.scope_uuid == "50393e6f-2ae1-4c5c-a62c-3b75f2abef3f");
  CHECK(identity.scope_name == "SCS-compatible IaaS");
  CHECK(identity.subject == "cloud-a");
  CHECK(identity.run_uuid == "run-1");
  CHECK(identity.results == 3);
  CHECK(scs::monitor_content_type(report.format) == "application/x-signed-yaml");
}

TEST_CASE("the golden YAML reports of the renderer are ones the monitor can read") {
  for (const auto* name : {"passing.yaml", "mixed.yaml"}) {
    const auto golden = scs::test::read_text(std::string(SCS_SOURCE_DIR) + "/tests/reports/golden/" + name);
    const auto report = read_report_identity(golden, name);
    REQUIRE(report.documents.size() == 1);
    CHECK(report.documents.front().subject == "demo-cloud");
    CHECK(report.documents.front().results >= 5);
  }
}

TEST_CASE("a JSON report is sent as JSON, and several YAML documents are all read") {
  const auto json = read_report_identity(
      R"({"spec": {"uuid": "u"}, "subject": "s", "checked_at": "2026-12-07 10:00:00", "run": {"uuid": "r",
          "invocations": {"r": {"results": {"a": 1}}}}})",
      "r.json");
  CHECK(json.format == scs::ReportFormat::json);
  CHECK(scs::monitor_content_type(json.format) == "application/x-signed-json");
  const auto two =
      read_report_identity(scs::test::sample_report("a", "1") + scs::test::sample_report("b", "2"), "r");
  CHECK(two.documents.size() == 2);
}

TEST_CASE("what the monitor could not file is refused, naming the field") {
  const auto refused = [](const std::string& text) {
    try {
      (void)read_report_identity(text, "r.yaml");
    } catch (const ReportFormatError& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  auto report = scs::test::sample_report();
  CHECK_THAT(refused(""), Catch::Contains("it is empty"));
  CHECK_THAT(refused("- a\n- b\n"), Catch::Contains("not a mapping"));
  CHECK_THAT(refused("spec: [\n"),
             Catch::Contains("r.yaml is not a report the compliance monitor can read: line"));
  auto without_subject = report;
  without_subject.replace(without_subject.find("subject: cloud-a"), 16, "subjekt: cloud-a");
  CHECK_THAT(refused(without_subject), Catch::Contains("no subject"));
  auto bad_result = report;
  bad_result.replace(bad_result.find(": -1"), 4, ": 7");
  CHECK_THAT(refused(bad_result), Catch::Contains("result of scs-0100-semantics-check is not 1, 0 or -1"));
  auto no_results = report.substr(0, report.find("      results:"));
  CHECK_THAT(refused(no_results), Catch::Contains(".results"));
}

// Found by fuzzing (tests/fuzz/report.cpp): yaml-cpp's LoadAll never returned on a stray ','
// at the top level, filling memory with empty documents.
TEST_CASE("a report with a stray ',' outside any collection is malformed, not an endless parse") {
  for (const char* text : {"\"\",", ",", "[a],", "{\n  \"subject\": \"x\"\n},"}) {
    INFO(text);
    CHECK_THROWS_AS(scs::read_report_identity(text, "report.yaml"), scs::ReportFormatError);
  }
}
