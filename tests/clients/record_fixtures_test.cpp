// Records the OpenStack cassettes under tests/clients/fixtures/openstack/ from the test cloud.
// Hidden from normal runs; to re-record (needs the test cloud up):
//   OS_CLIENT_CONFIG_FILE=/var/tmp/scs-testcloud/clouds.yaml build/tests/scs-tests-clients "[.record]"
// Also hidden: "[.live]" measures token + flavors against the real cloud.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clients/http/cassette.hpp"
#include "clients/http/curl_transport.hpp"
#include "clients/openstack/cloud_config.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/call_meter.hpp"
#include "core/errors.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path fixtures = fs::path(SCS_SOURCE_DIR) / "tests/clients/fixtures/openstack";

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

scs::CloudConfig member() {
  scs::CloudSelection selection;
  selection.cloud = "testcloud-member";
  return scs::resolve_cloud(selection);
}

/// Stands in for a Nova older than 2.61: such a request is sent with a version this Nova does
/// not have either, so the 406 recorded is Nova's own answer.
class OldNova final : public scs::Transport {
 public:
  explicit OldNova(scs::Transport& inner) : inner_(inner) {}
  scs::HttpResponse send(const scs::HttpRequest& request) override {
    scs::HttpRequest changed = request;
    for (auto& [name, value] : changed.headers) {
      if (name == "OpenStack-API-Version" && value == "compute 2.61") value = "compute 2.200";
      if (name == "X-OpenStack-Nova-API-Version" && value == "2.61") value = "2.200";
    }
    return inner_.send(changed);
  }

 private:
  scs::Transport& inner_;
};

void require_no_secret(const fs::path& file, const scs::CloudConfig& cloud) {
  const std::string text = slurp(file);
  for (const auto& secret : cloud.secrets()) REQUIRE(text.find(secret) == std::string::npos);
}

}  // namespace

TEST_CASE("record: a member session on the test cloud", "[.record]") {
  const auto cloud = member();
  scs::CurlTransport curl(cloud.transport);
  const auto file = fixtures / "member-session.json";
  fs::remove(file);
  {
    scs::RecordingTransport recorder(curl, file, cloud.secrets());
    scs::OpenStack openstack(cloud, recorder);
    openstack.token();
    openstack.flavors();
    // Small pages, to record each service's way of linking to the next one.
    openstack.get_all("compute", "/flavors/detail?is_public=None&limit=10", "flavors", "compute 2.61");
    openstack.get_all("image", "/v2/images?limit=2", "images");
    openstack.get_all("network", "/v2.0/networks?limit=1", "networks");
    openstack.get_all("block-storage", "/types?limit=2", "volume_types");
  }
  require_no_secret(file, cloud);
}

TEST_CASE("record: a wrong password", "[.record]") {
  auto cloud = member();
  cloud.password = "wrong-" + cloud.password;
  scs::CurlTransport curl(cloud.transport);
  const auto file = fixtures / "wrong-password.json";
  fs::remove(file);
  {
    scs::RecordingTransport recorder(curl, file, cloud.secrets());
    scs::OpenStack openstack(cloud, recorder);
    REQUIRE_THROWS_AS(openstack.token(), scs::ConfigError);
  }
  require_no_secret(file, cloud);
}

TEST_CASE("record: flavors from a Nova without microversion 2.61", "[.record]") {
  const auto cloud = member();
  scs::CurlTransport curl(cloud.transport);
  OldNova old_nova(curl);
  const auto file = fixtures / "old-nova-flavors.json";
  fs::remove(file);
  {
    scs::RecordingTransport recorder(old_nova, file, cloud.secrets());
    scs::OpenStack openstack(cloud, recorder);
    openstack.flavors();
  }
  require_no_secret(file, cloud);
}

TEST_CASE("live: token and flavors against the test cloud", "[.live]") {
  const auto cloud = member();
  scs::CurlTransport curl(cloud.transport);
  scs::OpenStack openstack(cloud, curl);
  scs::CallStats stats;
  const auto start = std::chrono::steady_clock::now();
  std::size_t count = 0;
  {
    const scs::MeterScope scope(stats);
    openstack.token();
    const auto after_token = std::chrono::steady_clock::now();
    count = openstack.flavors().size();
    const auto end = std::chrono::steady_clock::now();
    std::cout << fmt::format("token {} ms, flavors {} ms\n",
                             std::chrono::duration<double, std::milli>(after_token - start).count(),
                             std::chrono::duration<double, std::milli>(end - after_token).count());
  }
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  std::cout << fmt::format(
      "token + catalog + {} flavors: {} calls, {} retries, {} bytes in, {} bytes out, {:.1f} ms\n", count,
      stats.calls, stats.retries, stats.bytes_received, stats.bytes_sent, elapsed.count());
  CHECK(stats.calls == 2);
}
