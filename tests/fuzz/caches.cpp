// What the caches in $XDG_CACHE_HOME/scs-conformance hold, read back: another process (or a
// person) may have written anything there. First byte: 0 a token cache entry (TokenCache::load,
// then Keystone's answer in it through keystone::parse_token), 1 a cached scope and 2 cached
// standards (load_scope_cached / load_standards_cached, which fall back to the YAML when the
// entry is unusable). The rest of the input is the entry's content. An entry the user's own
// account wrote is trusted (that is the cache's premise), so what a well-formed entry says is
// not judged here: only that no entry crashes, hangs or throws anything but scs::Error.
#include <sys/stat.h>

#include <chrono>

#include "clients/openstack/keystone_auth.hpp"
#include "clients/openstack/token_cache.hpp"
#include "fuzz_support.hpp"
#include "spec/spec_cache.hpp"
#include "spec/spec_cache_key.hpp"

namespace {

namespace fs = std::filesystem;

const std::string standards_dir = std::string(SCS_SOURCE_DIR) + "/tests/spec/fixtures/standards";
const std::string scope_file = std::string(SCS_SOURCE_DIR) + "/tests/spec/fixtures/scope-mini.yaml";

scs::CloudConfig cloud() {
  scs::CloudConfig config;
  config.name = "fuzz";
  config.auth_type = "password";
  config.auth_url = "http://127.0.0.1:5000/v3";
  config.username = "fuzz";
  config.password = "fuzz-password";
  config.project_name = "fuzz";
  return config;
}

/// A cache directory holding a good entry (so the key file exists) whose file is then replaced.
scs::TokenCache& token_cache() {
  static scs::TokenCache cache(scs::fuzz::scratch() / "tokens", std::chrono::minutes(15));
  static const bool stored = [] {
    const auto expires = std::chrono::system_clock::now() + std::chrono::hours(1);
    const nlohmann::json answer = {
        {"token", {{"catalog", {{{"type", "compute"}, {"endpoints", nlohmann::json::array()}}}}}}};
    cache.store(cloud(), {"token", answer, expires});
    return true;
  }();
  (void)stored;
  return cache;
}

void write_private(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  fs::permissions(path.parent_path(), fs::perms::owner_all);
  scs::fuzz::put_file(fs::relative(path, scs::fuzz::scratch()).string(), content);
  ::chmod(path.c_str(), 0600);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto content = scs::fuzz::text_of(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto& cache = token_cache();
      write_private(cache.entry_path(cloud()), content);
      scs::fuzz::contract([&] {
        if (const auto loaded = cache.load(cloud())) (void)scs::keystone::parse_token(loaded->answer);
      });
      (void)cache.take_warnings();
      break;
    }
    case 1: {
      const auto directory = scs::fuzz::scratch() / "specs";
      write_private(directory / ("scope-" + scs::scope_cache_key(scope_file).value() + ".json"), content);
      scs::fuzz::contract([&] { (void)scs::load_scope_cached(scope_file, directory); });
      break;
    }
    default: {
      const auto directory = scs::fuzz::scratch() / "specs";
      write_private(directory / ("specs-" + scs::standards_cache_key(standards_dir).value() + ".json"),
                    content);
      scs::fuzz::contract([&] { (void)scs::load_standards_cached(standards_dir, directory); });
      break;
    }
  }
  return 0;
}
