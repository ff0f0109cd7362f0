// The one file reader: bytes as they are, and a one-line error naming the file and the cause.
#include <catch2/catch.hpp>

#include <string>

#include "core/errors.hpp"
#include "core/files.hpp"
#include "tests/support/temp_env.hpp"

TEST_CASE("read_file returns the exact bytes and write_file writes them back", "[core][files]") {
  const scs::test::TempDir dir("scs-files");
  const std::string bytes("line 1\r\n\0binary\xff\n", 17);
  scs::write_file(dir / "sub/dir/file.bin", bytes);
  CHECK(scs::read_file(dir / "sub/dir/file.bin") == bytes);
  scs::write_file(dir / "sub/dir/file.bin", "shorter");
  CHECK(scs::read_file(dir / "sub/dir/file.bin") == "shorter");
}

TEST_CASE("read_file of a missing file is a ConfigError naming it and the cause", "[core][files]") {
  const scs::test::TempDir dir("scs-files");
  const auto missing = dir / "nothing-here.yaml";
  CHECK_THROWS_AS(scs::read_file(missing, "the data file"), scs::ConfigError);
  CHECK_THROWS_WITH(scs::read_file(missing, "the data file"),
                    "cannot read the data file " + missing.string() + ": No such file or directory");
  CHECK_THROWS_WITH(scs::read_file(dir.path()), Catch::Contains("Is a directory"));
}
