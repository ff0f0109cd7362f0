// Renderer golden files: tests/reports/golden/<report>.<format>. After an intended change,
// rewrite them with SCS_UPDATE_GOLDEN=1 and review the diff.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "reports/renderers.hpp"
#include "sample_reports.hpp"

namespace {

std::string golden_path(const std::string& name) {
  return std::string(SCS_SOURCE_DIR) + "/tests/reports/golden/" + name;
}

bool updating_golden() {
  const char* update = std::getenv("SCS_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

/// The golden file's text; fails the test when it is missing or empty.
std::string read_golden(const std::string& name) {
  const auto path = golden_path(name);
  std::ifstream in(path, std::ios::binary);
  INFO("golden file " << path << " (rewrite with SCS_UPDATE_GOLDEN=1)");
  REQUIRE(in.good());
  std::stringstream expected;
  expected << in.rdbuf();
  REQUIRE_FALSE(expected.str().empty());
  return expected.str();
}

void check_golden(const std::string& name, const std::string& actual) {
  const auto path = golden_path(name);
  if (updating_golden()) {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("rewrote " << path);
  }
  INFO("golden file " << path << " (rewrite with SCS_UPDATE_GOLDEN=1)");
  CHECK(actual == read_golden(name));
}

const std::vector<std::pair<std::string, std::function<std::string(const scs::Report&)>>>& formats() {
  static const std::vector<std::pair<std::string, std::function<std::string(const scs::Report&)>>> all{
      {"yaml", scs::render_yaml},
      {"json", scs::render_json},
      {"xml", scs::render_junit},
      {"md", scs::render_markdown},
      {"html", scs::render_html},
      {"txt", [](const scs::Report& r) { return scs::render_text(r, false); }},
      {"ansi.txt", [](const scs::Report& r) { return scs::render_text(r, true); }},
  };
  return all;
}

}  // namespace

TEST_CASE("renderers match their golden files", "[reports][golden]") {
  const std::vector<std::pair<std::string, scs::Report>> reports{{"mixed", scs::test::mixed_report()},
                                                                 {"passing", scs::test::passing_report()},
                                                                 {"manual", scs::test::manual_report()}};
  for (const auto& [report_name, report] : reports) {
    for (const auto& [extension, render] : formats()) {
      SECTION(report_name + "." + extension) { check_golden(report_name + "." + extension, render(report)); }
    }
  }
}

TEST_CASE("renderers are pure: rendering again, or a report built again, gives the golden text",
          "[reports][golden]") {
  REQUIRE(formats().size() == 7);
  const auto report = scs::test::mixed_report();
  for (const auto& [extension, render] : formats()) {
    CAPTURE(extension);
    const auto golden = read_golden("mixed." + extension);
    CHECK(render(report) == golden);
    CHECK(render(report) == golden);  // the first rendering changed nothing
    CHECK(render(scs::test::mixed_report()) == golden);
  }
}
