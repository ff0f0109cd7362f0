// The one lookup of the standards directory: the override, the installed layout beside the
// binary, the source tree of a build, the working directory, and a one-line error otherwise.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/data_dir.hpp"
#include "core/errors.hpp"
#include "tests/support/temp_env.hpp"

namespace fs = std::filesystem;
using scs::find_standards_dir;
using scs::StandardsLookup;

namespace {

// A machine in a directory: /usr/bin with a binary and an installed tree, a source tree with
// a build dir, and a working directory, none of them with a standards folder yet.
struct Machine {
  scs::test::TempDir root{"scs-data-dir"};
  StandardsLookup lookup() const {
    StandardsLookup lookup;
    lookup.binary = root / "usr/bin/scs-conformance";
    lookup.build_dir = root / "src/tree/build";
    lookup.source_dir = root / "src/tree";
    lookup.working_dir = root / "cwd";
    return lookup;
  }
  fs::path make(const fs::path& relative) const {
    fs::create_directories(root / relative);
    return root / relative;
  }
};

}  // namespace

TEST_CASE("the override wins, and must be a directory", "[core][data-dir]") {
  const Machine machine;
  machine.make("usr/share/scs-conformance/standards");
  auto lookup = machine.lookup();
  lookup.override_dir = machine.make("elsewhere/standards");
  CHECK(find_standards_dir(lookup) == machine.root / "elsewhere/standards");
  lookup.override_dir = machine.root / "no-such-dir";
  CHECK_THROWS_WITH(find_standards_dir(lookup),
                    "SCS_STANDARDS_DIR=" + (machine.root / "no-such-dir").string() + " is no directory");
}

TEST_CASE("an installed binary finds <prefix>/share/scs-conformance/standards", "[core][data-dir]") {
  const Machine machine;
  const auto installed = machine.make("usr/share/scs-conformance/standards");
  machine.make("cwd/standards");
  CHECK(find_standards_dir(machine.lookup()) == installed);
}

TEST_CASE("a binary in a build of the source tree finds the tree's standards", "[core][data-dir]") {
  const Machine machine;
  const auto tree = machine.make("src/tree/standards");
  auto lookup = machine.lookup();
  lookup.binary = machine.root / "src/tree/build/src/cli/scs-conformance";
  CHECK(find_standards_dir(lookup) == tree);
  // The same binary copied out of the build does not use the tree: it falls back to ./standards.
  const auto cwd = machine.make("cwd/standards");
  lookup.binary = machine.root / "opt/tools/scs-conformance";
  CHECK(find_standards_dir(lookup) == cwd);
}

TEST_CASE("nothing found is one line naming every place tried", "[core][data-dir]") {
  const Machine machine;
  const auto lookup = machine.lookup();
  CHECK_THROWS_AS(find_standards_dir(lookup), scs::ConfigError);
  try {
    (void)find_standards_dir(lookup);
  } catch (const scs::ConfigError& error) {
    const std::string message = error.what();
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find((machine.root / "usr/share/scs-conformance/standards").string()) != std::string::npos);
    CHECK(message.find((machine.root / "cwd/standards").string()) != std::string::npos);
    CHECK(message.find("SCS_STANDARDS_DIR") != std::string::npos);
  }
}

TEST_CASE("this process's lookup honours $SCS_STANDARDS_DIR and finds its own binary", "[core][data-dir]") {
  scs::test::ScopedEnv env;
  env.set("SCS_STANDARDS_DIR", std::string(SCS_SOURCE_DIR) + "/standards");
  const auto lookup = scs::this_process_lookup();
  REQUIRE(lookup.override_dir);
  CHECK(*lookup.override_dir == fs::path(SCS_SOURCE_DIR) / "standards");
  CHECK(lookup.binary.filename() == "scs-tests-core");
  env.unset("SCS_STANDARDS_DIR");
  // The test binary sits in this tree's build: the tree's standards, wherever the test runs.
  CHECK(fs::equivalent(scs::locate_standards_dir(), fs::path(SCS_SOURCE_DIR) / "standards"));
}
