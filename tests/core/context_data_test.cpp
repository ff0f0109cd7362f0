// Checks get data only through the Context: files of <standards>/data, read once per run.
#include <catch2/catch.hpp>

#include "core/context.hpp"
#include "core/errors.hpp"
#include "tests/support/temp_env.hpp"

TEST_CASE("Context::data_file reads <standards>/data once and names a missing file", "[core][context]") {
  const scs::test::TempDir standards("scs-standards");
  standards.write("data/rules.yaml", "okToFail: []\n");
  scs::Context context(nullptr, nullptr);
  context.with_standards_dir(standards.path());
  CHECK(context.standards_dir() == standards.path());
  CHECK(context.data_path("rules.yaml") == standards / "data/rules.yaml");
  CHECK(context.data_file("rules.yaml") == "okToFail: []\n");
  // Read once per run: a change on disk during the run is not seen.
  standards.write("data/rules.yaml", "changed\n");
  CHECK(context.data_file("rules.yaml") == "okToFail: []\n");
  // An absolute name is read as it is.
  const auto elsewhere = standards.write("elsewhere.json", "{}");
  CHECK(context.data_file(elsewhere.string()) == "{}");

  const auto missing = (standards / "data/missing.yaml").string();
  CHECK_THROWS_AS(context.data_file("missing.yaml"), scs::ConfigError);
  CHECK_THROWS_WITH(context.data_file("missing.yaml"),
                    Catch::StartsWith("cannot read the data file " + missing + ": "));
}

TEST_CASE("a Context without a process runner refuses to start programs", "[core][context]") {
  const scs::Context context(nullptr, nullptr);
  CHECK_THROWS_AS(context.processes(), scs::Error);
}
