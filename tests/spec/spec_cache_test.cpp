#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/cache_dir.hpp"
#include "core/errors.hpp"
#include "same_spec.hpp"
#include "spec/spec_cache.hpp"
#include "spec/spec_json.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using scs::test::read_text;
using scs::test::require_same;
using scs::test::spec_fixture;
using scs::test::TempDir;
using scs::test::write_text;

#if defined(__GLIBCXX__) && defined(__x86_64__)
// A tripwire for a field added to a spec struct (the sizes of this platform): add it to
// spec_json.cpp and same_spec.hpp, bump spec_cache_format, then update the size here.
static_assert(sizeof(scs::SourceLocation) == 40 && sizeof(scs::TestcaseBinding) == 352 &&
              sizeof(scs::Standard) == 192 && sizeof(scs::ScopeTestcase) == 216 &&
              sizeof(scs::ScopeModule) == 208 && sizeof(scs::ScopeInclude) == 80 &&
              sizeof(scs::ScopeVersion) == 160 && sizeof(scs::TimelineEntry) == 80 &&
              sizeof(scs::Scope) == 296);
#endif

namespace {

const std::string standards_dir = std::string(SCS_SOURCE_DIR) + "/standards";

// The cache entries named `<prefix>…json` in `cache`.
std::vector<fs::path> entries(const fs::path& cache, const std::string& prefix) {
  std::vector<fs::path> found;
  if (!fs::exists(cache)) return found;
  for (const auto& entry : fs::directory_iterator(cache)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".json")) found.push_back(entry.path());
  }
  return found;
}

fs::path only_entry(const fs::path& cache, const std::string& prefix) {
  const auto found = entries(cache, prefix);
  REQUIRE(found.size() == 1);
  return found.front();
}

void set_mode(const fs::path& path, fs::perms mode) {
  fs::permissions(path, mode, fs::perm_options::replace);
}

fs::perms mode_of(const fs::path& path) { return fs::status(path).permissions() & fs::perms::mask; }

constexpr auto private_file = fs::perms::owner_read | fs::perms::owner_write;

// Rewrites an entry as a cache entry another program could have written: valid, at the right
// key, with the first standard's (or the scope's) name changed to `name`, mode 0600.
void plant_name(const fs::path& entry, const std::string& name) {
  auto document = nlohmann::json::parse(read_text(entry));
  auto& value = document.at("value");
  (value.is_array() ? value[0] : value)["name"] = name;
  write_text(entry, document.dump());
  set_mode(entry, private_file);
}

// The two fixture standards, copied into a directory of their own (to be edited).
fs::path copy_fixture_standards(const TempDir& temp) {
  const auto dir = temp / "standards";
  fs::create_directories(dir);
  for (const auto* name : {"scs-0001-alpha.yaml", "scs-0002-beta.yaml"})
    fs::copy_file(spec_fixture(std::string("standards/") + name), dir / name);
  return dir;
}

std::string error_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const scs::SpecError& e) {
    return e.what();
  }
  FAIL("no SpecError");
  return {};
}

}  // namespace

TEST_CASE("spec cache: every official standard survives the cache field by field", "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  for (const auto& dir : {standards_dir, spec_fixture("standards")}) {
    INFO(dir);
    const auto from_yaml = scs::load_standards(dir);
    require_same(scs::load_standards_cached(dir, cache), from_yaml);  // a miss: loads and writes
    require_same(scs::load_standards_cached(dir, cache), from_yaml);  // a hit
    fs::remove(only_entry(cache, "specs-"));                          // the next directory's entry, alone
  }
  // The fixture has params of every YAML type: each keeps its JSON type through the cache.
  auto dir = spec_fixture("standards");
  const auto cached = scs::load_standards_cached(dir, cache);
  const auto from_entry = nlohmann::json::parse(read_text(only_entry(cache, "specs-"))).at("value");
  require_same(from_entry.get<std::vector<scs::Standard>>(), scs::load_standards(dir));
  CHECK(cached[0].testcases[0].params.at("count").is_number_integer());
  CHECK_FALSE(cached[0].testcases[0].params.at("count").is_number_unsigned());
  CHECK(cached[0].testcases[0].params.at("ratio").is_number_float());
}

TEST_CASE("spec cache: every bundled scope survives the cache field by field", "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  std::vector<std::string> scopes{spec_fixture("scope-mini.yaml")};
  for (const auto& entry : fs::directory_iterator(standards_dir + "/scopes")) {
    if (entry.path().extension() == ".yaml") scopes.push_back(entry.path().string());
  }
  REQUIRE(scopes.size() >= 5);
  for (const auto& path : scopes) {
    const auto from_yaml = scs::load_scope(path);
    require_same(scs::load_scope_cached(path, cache), from_yaml);
    require_same(scs::load_scope_cached(path, cache), from_yaml);
  }
  CHECK(entries(cache, "scope-").size() == scopes.size());
  for (const auto& entry : entries(cache, "scope-")) CHECK(mode_of(entry) == private_file);
  CHECK(mode_of(cache) == fs::perms::owner_all);
}

TEST_CASE("spec cache: an entry is read (a planted one shows), and a changed file is a new key",
          "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  const auto dir = copy_fixture_standards(temp).string();
  scs::load_standards_cached(dir, cache);
  plant_name(only_entry(cache, "specs-"), "from the cache");
  CHECK(scs::load_standards_cached(dir, cache)[0].name == "from the cache");

  const auto alpha = fs::path(dir) / "scs-0001-alpha.yaml";
  auto text = read_text(alpha);
  text.replace(text.find("Alpha things"), 12, "Alpha edited");
  write_text(alpha, text);
  const auto edited = scs::load_standards_cached(dir, cache);
  CHECK(edited[0].name == "Alpha edited");
  CHECK(entries(cache, "specs-").size() == 2);
  CHECK(scs::load_standards_cached(dir, cache)[0].name == "Alpha edited");

  // A new file in the directory changes the key as well: this one is empty, so an error.
  write_text(fs::path(dir) / "scs-0003-gamma.yaml", "");
  CHECK_THROWS_AS(scs::load_standards_cached(dir, cache), scs::SpecError);
  CHECK(entries(cache, "specs-").size() == 2);
  fs::remove(fs::path(dir) / "scs-0003-gamma.yaml");
  CHECK(scs::load_standards_cached(dir, cache)[0].name == "Alpha edited");

  // Scopes the same way.
  const auto scope = temp.write("scope.yaml", read_text(spec_fixture("scope-mini.yaml")));
  scs::load_scope_cached(scope.string(), cache);
  plant_name(only_entry(cache, "scope-"), "planted scope");
  CHECK(scs::load_scope_cached(scope.string(), cache).name == "planted scope");
  auto scope_text = read_text(scope);
  const auto name_at = scope_text.find("\nname: ");
  REQUIRE(name_at != std::string::npos);
  scope_text.insert(name_at + 7, "Edited ");
  write_text(scope, scope_text);
  const auto reloaded = scs::load_scope_cached(scope.string(), cache);
  require_same(reloaded, scs::load_scope(scope.string()));
  CHECK(reloaded.name.starts_with("Edited "));
  CHECK(entries(cache, "scope-").size() == 2);
}

TEST_CASE("spec cache: a corrupt or misshapen entry falls back to YAML and is rewritten", "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  const auto dir = copy_fixture_standards(temp).string();
  const auto from_yaml = scs::load_standards(dir);
  scs::load_standards_cached(dir, cache);
  const auto entry = only_entry(cache, "specs-");
  const auto good = read_text(entry);
  auto wrong_shape = nlohmann::json::parse(good);
  wrong_shape["value"][0]["testcases"][0]["source"]["line"] = "six";
  for (const auto& bad : {std::string("{\"key\": \"trunc"), std::string(), std::string("[]"),
                          good.substr(0, good.size() / 2), wrong_shape.dump()}) {
    write_text(entry, bad);
    set_mode(entry, private_file);
    require_same(scs::load_standards_cached(dir, cache), from_yaml);
    CHECK(read_text(entry) == good);
    CHECK(mode_of(entry) == private_file);
  }
}

TEST_CASE("spec cache: a directory others may write, or an entry others may read, is not used",
          "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  const auto dir = copy_fixture_standards(temp).string();
  scs::load_standards_cached(dir, cache);
  const auto entry = only_entry(cache, "specs-");
  plant_name(entry, "planted");
  REQUIRE(scs::load_standards_cached(dir, cache)[0].name == "planted");  // the entry is read

  SECTION("a cache directory with mode 0777: neither read nor written") {
    set_mode(cache, fs::perms::all);
    CHECK(scs::load_standards_cached(dir, cache)[0].name == "Alpha things");
    CHECK(nlohmann::json::parse(read_text(entry))["value"][0]["name"] == "planted");
    set_mode(cache, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_write);
    CHECK(scs::load_standards_cached(dir, cache)[0].name == "Alpha things");
  }
  SECTION("an entry with mode 0644: not read, replaced by a private one") {
    set_mode(entry, private_file | fs::perms::group_read | fs::perms::others_read);
    CHECK(scs::load_standards_cached(dir, cache)[0].name == "Alpha things");
    CHECK(mode_of(entry) == private_file);
    CHECK(nlohmann::json::parse(read_text(entry))["value"][0]["name"] == "Alpha things");
  }
  SECTION("an entry that is a symlink to a good one: not read") {
    const auto elsewhere = temp / "elsewhere.json";
    fs::rename(entry, elsewhere);
    fs::create_symlink(elsewhere, entry);
    CHECK(scs::load_standards_cached(dir, cache)[0].name == "Alpha things");
  }
  SECTION("a cache directory that is a symlink: not used") {
    const auto link = temp / "link";
    fs::create_directory_symlink(cache, link);
    CHECK(scs::load_standards_cached(dir, link)[0].name == "Alpha things");
  }
}

TEST_CASE("spec cache: errors are those of the plain loaders, and nothing broken is cached",
          "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  const auto dir = copy_fixture_standards(temp);
  const auto alpha = dir / "scs-0001-alpha.yaml";
  write_text(alpha, scs::test::replace_line(read_text(alpha), 6, "  - idd: scs-0001-first"));
  const auto plain = error_of([&] { scs::load_standards(dir.string()); });
  CHECK(plain.starts_with(alpha.string() + ":6: "));
  CHECK(error_of([&] { scs::load_standards_cached(dir.string(), cache); }) == plain);
  CHECK(error_of([&] { scs::load_standards_cached(dir.string(), cache); }) == plain);

  const auto duplicate = spec_fixture("standards-duplicate");
  CHECK(error_of([&] { scs::load_standards_cached(duplicate, cache); }) ==
        error_of([&] { scs::load_standards(duplicate); }));
  const auto missing = (temp / "no-such-dir").string();
  CHECK(error_of([&] { scs::load_standards_cached(missing, cache); }) ==
        error_of([&] { scs::load_standards(missing); }));

  const auto scope = temp.write("scope.yaml", read_text(spec_fixture("scope-mini.yaml")) + "bogus: 1\n");
  CHECK(error_of([&] { scs::load_scope_cached(scope.string(), cache); }) ==
        error_of([&] { scs::load_scope(scope.string()); }));
  const auto no_scope = (temp / "no-scope.yaml").string();
  CHECK(error_of([&] { scs::load_scope_cached(no_scope, cache); }) ==
        error_of([&] { scs::load_scope(no_scope); }));
  CHECK(entries(cache, "specs-").empty());
  CHECK(entries(cache, "scope-").empty());
}

TEST_CASE("spec cache: at most 8 entries of a kind are kept, the one just written among them",
          "[spec][cache]") {
  const TempDir temp("scs-spec-cache");
  const auto cache = temp / "cache";
  const auto text = read_text(spec_fixture("scope-mini.yaml"));
  for (std::size_t i = 0; i < 11; ++i) {
    const auto scope = temp.write("scope.yaml", text + "# edit " + std::to_string(i) + "\n");
    const auto before = entries(cache, "scope-");
    scs::load_scope_cached(scope.string(), cache);
    const auto after = entries(cache, "scope-");
    CHECK(after.size() == std::min<std::size_t>(i + 1, 8));
    const auto written = std::count_if(after.begin(), after.end(), [&](const auto& entry) {
      return std::find(before.begin(), before.end(), entry) == before.end();
    });
    CHECK(written == 1);
  }
}

TEST_CASE("spec cache: no cache directory loads plainly, SCS_NO_SPEC_CACHE turns the cache off",
          "[spec][cache]") {
  scs::test::ScopedEnv env;
  env.set("XDG_CACHE_HOME", "/somewhere/cache");
  env.unset("SCS_NO_SPEC_CACHE");
  CHECK(scs::spec_cache_directory() == fs::path("/somewhere/cache/scs-conformance"));
  env.set("SCS_NO_SPEC_CACHE", "0");
  CHECK(scs::spec_cache_directory() == fs::path("/somewhere/cache/scs-conformance"));
  env.set("SCS_NO_SPEC_CACHE", "1");
  CHECK_FALSE(scs::spec_cache_directory());
  require_same(scs::load_standards_cached(spec_fixture("standards"), std::nullopt),
               scs::load_standards(spec_fixture("standards")));
}
