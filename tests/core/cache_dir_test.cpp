#include <catch2/catch.hpp>

#include <filesystem>

#include "core/cache_dir.hpp"
#include "core/private_file.hpp"
#include "tests/support/temp_env.hpp"

namespace fs = std::filesystem;
using scs::test::ScopedEnv;
using scs::test::TempDir;

namespace {

fs::perms mode_of(const fs::path& path) { return fs::symlink_status(path).permissions() & fs::perms::mask; }

constexpr auto private_file = fs::perms::owner_read | fs::perms::owner_write;

}  // namespace

TEST_CASE("cache_directory: an absolute $XDG_CACHE_HOME, else $HOME/.cache", "[core][cache]") {
  ScopedEnv env;
  env.set("HOME", "/home/someone");
  env.set("XDG_CACHE_HOME", "/var/cache/someone");
  CHECK(scs::cache_directory() == fs::path("/var/cache/someone/scs-conformance"));
  env.set("XDG_CACHE_HOME", "relative/cache");  // invalid by the XDG spec: ignored
  CHECK(scs::cache_directory() == fs::path("/home/someone/.cache/scs-conformance"));
  env.unset("XDG_CACHE_HOME");
  CHECK(scs::cache_directory() == fs::path("/home/someone/.cache/scs-conformance"));
  env.set("XDG_CACHE_HOME", "");
  CHECK(scs::cache_directory() == fs::path("/home/someone/.cache/scs-conformance"));
  env.unset("HOME");
  CHECK_FALSE(scs::cache_directory());
  env.set("HOME", "relative");
  CHECK_FALSE(scs::cache_directory());
}

TEST_CASE("ensure_private_directory makes 0700 directories and refuses others' or shared ones",
          "[core][cache]") {
  const TempDir temp("scs-cache-dir");
  const auto dir = temp / "a" / "b" / "scs-conformance";
  CHECK(scs::ensure_private_directory(dir));
  CHECK(mode_of(temp / "a") == fs::perms::owner_all);
  CHECK(mode_of(dir) == fs::perms::owner_all);
  CHECK(scs::ensure_private_directory(dir));  // exists already

  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read |
                           fs::perms::group_exec | fs::perms::others_exec);
  CHECK(scs::ensure_private_directory(dir));  // 0755: others may read, not write
  fs::permissions(dir, fs::perms::all);
  CHECK_FALSE(scs::ensure_private_directory(dir));
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_write);
  CHECK_FALSE(scs::ensure_private_directory(dir));

  const auto target = temp / "target";
  fs::create_directory(target);
  fs::permissions(target, fs::perms::owner_all);
  fs::create_directory_symlink(target, temp / "link");
  CHECK_FALSE(scs::ensure_private_directory(temp / "link"));
  scs::test::write_text(temp / "file", "x");
  CHECK_FALSE(scs::ensure_private_directory(temp / "file"));
  CHECK_FALSE(scs::ensure_private_directory(temp / "file" / "below"));
  CHECK_FALSE(scs::ensure_private_directory(fs::path()));
}

TEST_CASE("private files: written 0600 in one step, read only when nobody else could", "[core][cache]") {
  const TempDir temp("scs-private-file");
  const auto file = temp / "entry.json";
  REQUIRE(scs::write_private_file(file, "first"));
  CHECK(mode_of(file) == private_file);
  CHECK(scs::read_private_file(file) == "first");
  REQUIRE(scs::write_private_file(file, std::string(200'000, 'x')));
  CHECK(scs::read_private_file(file) == std::string(200'000, 'x'));
  CHECK(std::distance(fs::directory_iterator(temp.path()), fs::directory_iterator()) ==
        1);  // no temporary left

  fs::permissions(file, private_file | fs::perms::group_read);
  CHECK_FALSE(scs::read_private_file(file));
  fs::permissions(file, private_file | fs::perms::others_write);
  CHECK_FALSE(scs::read_private_file(file));
  fs::permissions(file, private_file);
  fs::create_symlink(file, temp / "link.json");
  CHECK_FALSE(scs::read_private_file(temp / "link.json"));
  CHECK_FALSE(scs::read_private_file(temp / "missing.json"));
  CHECK_FALSE(scs::read_private_file(temp.path()));
  CHECK_FALSE(scs::write_private_file(temp / "missing-dir" / "entry.json", "x"));
}
