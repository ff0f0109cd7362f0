// The token cache's rules (issue: expiry margin, key change, 401 renewal, bad mode refused),
// on the cache alone and through the OpenStack client against a local Keystone stand-in that
// answers with scripted replies.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/http/curl_transport.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/token_cache.hpp"
#include "core/errors.hpp"
#include "tests/support/local_http_server.hpp"
#include "tests/support/temp_env.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using scs::test::LocalHttpServer;
using Reply = LocalHttpServer::Reply;
using Clock = std::chrono::system_clock;

constexpr const char* canary_password = "canary-password-7c1e";
constexpr const char* canary_token = "canary-token-gAAAAB3x";

const Clock::time_point now = Clock::from_time_t(1'796'672'400);  // 2026-12-07T19:40:00Z

scs::CloudConfig cloud(const std::string& auth_url = "http://127.0.0.1:5000/v3") {
  scs::CloudConfig config;
  config.name = "cached";
  config.auth_type = "password";
  config.auth_url = auth_url;
  config.username = "scs-member";
  config.password = canary_password;
  config.user_domain_name = "Default";
  config.project_name = "scs-project";
  config.project_domain_name = "Default";
  config.region_name = "RegionOne";
  return config;
}

std::string keystone_time(Clock::time_point when) {
  const auto seconds = Clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000000Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

/// Keystone's answer for a token, with a catalog whose compute endpoint is `compute_url`.
json token_answer(Clock::time_point expires_at, const std::string& compute_url,
                  std::vector<std::string> roles = {"member", "reader"}) {
  json role_list = json::array();
  for (const auto& role : roles) role_list.push_back({{"id", role + "-id"}, {"name", role}});
  return {
      {"token",
       {{"expires_at", keystone_time(expires_at)},
        {"user", {{"id", "u-1"}, {"name", "scs-member"}}},
        {"project", {{"id", "p-1"}, {"name", "scs-project"}}},
        {"roles", role_list},
        {"catalog",
         {{{"type", "compute"},
           {"name", "nova"},
           {"endpoints", {{{"interface", "public"}, {"region", "RegionOne"}, {"url", compute_url}}}}}}}}}};
}

scs::CachedToken cached(Clock::time_point expires_at, const std::string& value = canary_token) {
  return {value, token_answer(expires_at, "http://127.0.0.1:8774/v2.1"), expires_at};
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const auto& line) { return line.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE(
    "token cache: a stored token loads again, in a 0700 directory as a 0600 file without the password") {
  const scs::test::TempDir temp("scs-token-cache");
  const auto directory = temp / "cache/scs-conformance";
  scs::TokenCache cache(directory, std::chrono::minutes(15), [] { return now; });
  CHECK_FALSE(cache.load(cloud()));  // nothing kept yet, and the directory is not made for a miss
  CHECK_FALSE(fs::exists(directory));

  cache.store(cloud(), cached(now + std::chrono::hours(1)));
  const auto loaded = cache.load(cloud());
  REQUIRE(loaded);
  CHECK(loaded->value == canary_token);
  CHECK(loaded->expires_at == now + std::chrono::hours(1));
  CHECK(loaded->answer["token"]["project"]["name"] == "scs-project");
  CHECK(mode_of(directory) == 0700);
  CHECK(mode_of(cache.entry_path(cloud())) == 0600);
  CHECK(mode_of(directory / "token-key") == 0600);
  const auto text = contents(cache.entry_path(cloud()));
  CHECK(text.find(canary_password) == std::string::npos);
  CHECK(cache.entry_path(cloud()).filename().string().find("scs-member") == std::string::npos);
  CHECK(cache.take_warnings().empty());
}

TEST_CASE("token cache: a token is used until the margin before its expiry, then dropped") {
  const scs::test::TempDir temp("scs-token-cache");
  Clock::time_point clock = now;
  scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [&clock] { return clock; });
  cache.store(cloud(), cached(now + std::chrono::minutes(30)));

  clock = now + std::chrono::minutes(14);  // 16 minutes left: more than the margin
  CHECK(cache.load(cloud()));
  clock = now + std::chrono::minutes(15);  // exactly the margin left: not any more
  CHECK_FALSE(cache.load(cloud()));
  CHECK_FALSE(fs::exists(cache.entry_path(cloud())));  // an entry that can never be used again is gone
}

TEST_CASE("token cache: the key is everything that decides the token, the secret included") {
  const scs::test::TempDir temp("scs-token-cache");
  scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [] { return now; });
  cache.store(cloud(), cached(now + std::chrono::hours(1)));

  SECTION("a changed password finds no token, and the old entry is deleted") {
    auto changed = cloud();
    changed.password = "a-new-password";
    CHECK(cache.entry_path(changed) == cache.entry_path(cloud()));  // one entry per identity
    CHECK_FALSE(cache.load(changed));
    CHECK_FALSE(fs::exists(cache.entry_path(cloud())));
    CHECK_FALSE(cache.load(cloud()));  // not usable with the old password either: it is gone
  }
  SECTION("another project, user, region, interface, auth URL or auth type is another entry") {
    std::vector<scs::CloudConfig> others(6, cloud());
    others[0].project_name = "other-project";
    others[1].username = "other-user";
    others[2].region_name = "RegionTwo";
    others[3].interface = "internal";
    others[4].auth_url = "http://127.0.0.1:5001/v3";
    others[5].auth_type = "v3applicationcredential";
    for (const auto& other : others) {
      CHECK(cache.entry_path(other) != cache.entry_path(cloud()));
      CHECK_FALSE(cache.load(other));
    }
    CHECK(cache.load(cloud()));  // untouched by the misses
  }
  SECTION("the cloud's name in clouds.yaml and a trailing slash do not decide the token") {
    auto renamed = cloud("http://127.0.0.1:5000/v3/");
    renamed.name = "another-name";
    CHECK(cache.load(renamed));
  }
}

TEST_CASE("token cache: a file or directory others may use is refused with a warning, never read") {
  const scs::test::TempDir temp("scs-token-cache");
  scs::TokenCache writer(temp.path(), std::chrono::minutes(15), [] { return now; });
  writer.store(cloud(), cached(now + std::chrono::hours(1)));
  const auto entry = writer.entry_path(cloud());

  SECTION("an entry of mode 0644") {
    fs::permissions(entry, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read);
    scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [] { return now; });
    CHECK_FALSE(cache.load(cloud()));
    const auto warnings = cache.take_warnings();
    CHECK(mentions(warnings, "is refused and not read, its mode is 0644, not 0600"));
    CHECK(fs::exists(entry));  // left for its owner to look at; a new token replaces it (rename)
  }
  SECTION("a directory of mode 0755") {
    fs::permissions(
        temp.path(),
        fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec,
        fs::perm_options::add);
    scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [] { return now; });
    CHECK_FALSE(cache.load(cloud()));
    CHECK(mentions(cache.take_warnings(), "may not hold tokens, its mode is 0755, not 0700"));
    cache.store(cloud(), cached(now + std::chrono::hours(2), "not-written"));
    CHECK(contents(entry).find("not-written") == std::string::npos);  // nothing written there either
  }
  SECTION("an entry that is a symbolic link") {
    const auto target = temp / "elsewhere.json";
    fs::rename(entry, target);
    fs::create_symlink(target, entry);
    scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [] { return now; });
    CHECK_FALSE(cache.load(cloud()));
    CHECK(mentions(cache.take_warnings(), "is refused"));
  }
  SECTION("an entry another user owns") {
    if (::geteuid() == 0) {
      REQUIRE(::chown(entry.c_str(), 65534, 65534) == 0);
      scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [] { return now; });
      CHECK_FALSE(cache.load(cloud()));
      CHECK(mentions(cache.take_warnings(), "belongs to uid 65534, not to this user"));
    } else {
      // Only root can give a file away; as another user the mode rules above are what is tested.
      CHECK(::chown(entry.c_str(), 65534, 65534) != 0);
    }
  }
}

TEST_CASE("token cache: a corrupt entry is a miss and is replaced, and forget and forget_expired delete") {
  const scs::test::TempDir temp("scs-token-cache");
  Clock::time_point clock = now;
  scs::TokenCache cache(temp.path(), std::chrono::minutes(15), [&clock] { return clock; });
  cache.store(cloud(), cached(now + std::chrono::hours(1)));
  {
    std::ofstream(cache.entry_path(cloud()), std::ios::trunc)
        << "{\"format\": \"scs-conformance-token/1\", \"tok";
  }
  CHECK_FALSE(cache.load(cloud()));
  cache.store(cloud(), cached(now + std::chrono::hours(1)));
  CHECK(cache.load(cloud()));

  auto other = cloud();
  other.project_name = "short-lived";
  cache.store(other, cached(now + std::chrono::minutes(5)));
  clock = now + std::chrono::minutes(10);
  CHECK(cache.forget_expired() == 1);
  CHECK(fs::exists(cache.entry_path(cloud())));
  CHECK_FALSE(fs::exists(cache.entry_path(other)));
  CHECK(cache.forget(cloud()));
  CHECK_FALSE(cache.forget(cloud()));
}

TEST_CASE("parse_keystone_time reads Keystone's UTC times and nothing else") {
  CHECK(scs::parse_keystone_time("2026-12-07T19:40:00.000000Z") == now);
  CHECK(scs::parse_keystone_time("2026-12-07T19:40:00Z") == now);
  CHECK_FALSE(scs::parse_keystone_time("2026-12-07T19:40:00+01:00"));
  CHECK_FALSE(scs::parse_keystone_time("2026-12-07 19:40:00Z"));
  CHECK_FALSE(scs::parse_keystone_time("2026-13-07T19:40:00Z"));
  CHECK_FALSE(scs::parse_keystone_time("2999-12-07T19:40:00Z"));  // beyond what the clock counts
  CHECK_FALSE(scs::parse_keystone_time("2026-12-07T19:40:00.12aZ"));
  CHECK_FALSE(scs::parse_keystone_time(""));
}

namespace {

/// A Keystone and Nova stand-in: POST /v3/auth/tokens issues "fresh-N" tokens; GET
/// /v3/auth/tokens validates; GET /compute/flavors/detail answers 401 to `refused` tokens.
struct StandIn {
  LocalHttpServer server;
  std::set<std::string> refused;
  std::vector<std::string> roles_now{"member"};
  int issued = 0;
  std::mutex mutex;

  StandIn() {
    server.set_handler([this](const LocalHttpServer::Request& request) {
      const std::lock_guard lock(mutex);
      const std::string token(scs::find_header(request.headers, "X-Auth-Token"));
      if (request.method == "POST" && request.target == "/v3/auth/tokens") {
        return Reply::with(201,
                           token_answer(Clock::now() + std::chrono::hours(1), server.url("/compute")).dump())
            .header("X-Subject-Token", fmt::format("fresh-{}", ++issued));
      }
      if (refused.contains(token)) return Reply::with(401, R"({"error": {"code": 401}})");
      if (request.method == "GET" && request.target == "/v3/auth/tokens") {
        return Reply::with(
            200,
            token_answer(Clock::now() + std::chrono::hours(1), server.url("/compute"), roles_now).dump());
      }
      if (request.target == "/compute/flavors") return Reply::with(200, R"({"flavors": []})");
      return Reply::with(404);
    });
  }

  std::vector<std::string> tokens_sent_to(const std::string& target) const {
    std::vector<std::string> tokens;
    for (const auto& request : server.requests()) {
      if (request.target == target && request.method == "GET")
        tokens.emplace_back(scs::find_header(request.headers, "X-Auth-Token"));
    }
    return tokens;
  }
  std::size_t posts() const {
    const auto requests = server.requests();
    return static_cast<std::size_t>(
        std::count_if(requests.begin(), requests.end(), [](const auto& r) { return r.method == "POST"; }));
  }
};

}  // namespace

TEST_CASE("openstack with a token cache: the cached token is used, checked, confirmed and renewed once") {
  StandIn keystone;
  const scs::test::TempDir temp("scs-token-cache");
  const auto config = cloud(keystone.server.url("/v3"));
  scs::TokenCache cache(temp.path());
  scs::CurlTransport transport;
  std::vector<std::vector<std::string>> checked;  // the roles of every token the check saw
  const auto role_check = [&checked](const scs::TokenInfo& token) {
    checked.push_back(token.roles);
    if (std::find(token.roles.begin(), token.roles.end(), "admin") != token.roles.end())
      throw scs::ConfigError("the token has the admin role");
  };
  cache.store(config, {canary_token,
                       token_answer(Clock::now() + std::chrono::hours(1), keystone.server.url("/compute")),
                       Clock::now() + std::chrono::hours(1)});

  SECTION("a cached token is used without asking Keystone for one, and the role check sees it") {
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    openstack.set_token_check(role_check);
    openstack.get_json("compute", "/flavors");
    CHECK(keystone.posts() == 0);
    CHECK(keystone.tokens_sent_to("/compute/flavors") == std::vector<std::string>{canary_token});
    CHECK(openstack.token_source() == scs::TokenSource::cached);
    CHECK(checked.size() == 1);
  }
  SECTION("a 401 on the cached token: one new token, kept in the cache, and the request again") {
    keystone.refused = {canary_token};
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    openstack.set_token_check(role_check);
    openstack.get_json("compute", "/flavors");
    CHECK(keystone.posts() == 1);
    CHECK(keystone.tokens_sent_to("/compute/flavors") == std::vector<std::string>{canary_token, "fresh-1"});
    CHECK(openstack.token_source() == scs::TokenSource::renewed);
    CHECK(checked.size() == 2);  // the new token passed the role check before it was used
    const auto kept = cache.load(config);
    REQUIRE(kept);
    CHECK(kept->value == "fresh-1");

    // Renewed once: a 401 on the new token is the answer, not a reason to ask again.
    keystone.refused.insert("fresh-1");
    CHECK_THROWS_WITH(openstack.get_json("compute", "/flavors"), Catch::Contains("HTTP 401"));
    CHECK(keystone.posts() == 1);
  }
  SECTION("a 401 on a new token is not renewed") {
    cache.forget(config);
    keystone.refused = {"fresh-1"};
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    CHECK_THROWS_WITH(openstack.get_json("compute", "/flavors"), Catch::Contains("HTTP 401"));
    CHECK(keystone.posts() == 1);
    CHECK(openstack.token_source() == scs::TokenSource::new_token);
  }
  SECTION("the confirmation hands today's roles to the role check: an admin role added since is refused") {
    keystone.roles_now = {"member", "admin"};
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    openstack.set_token_check(role_check);
    openstack.token();
    CHECK_THROWS_WITH(openstack.confirm_cached_token(), Catch::Contains("admin role"));
    CHECK(keystone.tokens_sent_to("/v3/auth/tokens") == std::vector<std::string>{canary_token});
  }
  SECTION("a cached token Keystone no longer knows is replaced by the confirmation") {
    keystone.refused = {canary_token};
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    openstack.set_token_check(role_check);
    openstack.token();
    openstack.confirm_cached_token();
    CHECK(openstack.token_source() == scs::TokenSource::renewed);
    CHECK(keystone.posts() == 1);
  }
  SECTION("a renewed token for another project stops the run, for every caller, and is cached for the next") {
    keystone.refused = {canary_token};
    auto answer = token_answer(Clock::now() + std::chrono::hours(1), keystone.server.url("/compute"));
    answer["token"]["project"]["id"] = "p-old";
    cache.store(config, {canary_token, answer, Clock::now() + std::chrono::hours(1)});
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    CHECK_THROWS_WITH(openstack.get_json("compute", "/flavors"),
                      Catch::Contains("was replaced since it was cached (project id p-old is now p-1)"));
    CHECK_THROWS_WITH(openstack.confirm_cached_token(), Catch::Contains("run again"));
    CHECK(keystone.posts() == 1);
    const auto kept = cache.load(config);
    REQUIRE(kept);
    CHECK(kept->value == "fresh-1");
  }
  SECTION("a cached token whose roles the check refuses is never used") {
    cache.store(config, {canary_token,
                         token_answer(Clock::now() + std::chrono::hours(1), keystone.server.url("/compute"),
                                      {"member", "admin"}),
                         Clock::now() + std::chrono::hours(1)});
    scs::OpenStack openstack(config, transport);
    openstack.use_token_cache(cache);
    openstack.set_token_check(role_check);
    CHECK_THROWS_WITH(openstack.get_json("compute", "/flavors"), Catch::Contains("admin role"));
    CHECK(keystone.server.requests().empty());
  }
  SECTION("without the cache, a new token is asked for and nothing is written") {
    cache.forget(config);
    scs::OpenStack openstack(config, transport);
    openstack.get_json("compute", "/flavors");
    CHECK(keystone.posts() == 1);
    CHECK_FALSE(fs::exists(cache.entry_path(config)));
  }
}
