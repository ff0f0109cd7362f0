// The JSON answers the OpenStack client parses (src/clients/openstack/openstack.cpp and
// keystone_auth.cpp): Keystone's token and catalog, flavor listings with extra specs, images,
// volume types, any listing with its pagination links, error bodies (their excerpt goes into
// the message), and scs-0125's TLS probe results (tls_probe_result_from_json). The first byte
// chooses what is asked; the rest is the answer's body, and after a line "#@@" the body of
// every per-flavor extra-specs request.
#include <nlohmann/json.hpp>

#include "clients/openstack/openstack.hpp"
#include "clients/tls/tls_probe.hpp"
#include "fuzz_support.hpp"

namespace {

const std::string token_answer = R"({"token": {
  "user": {"id": "u1", "name": "member"}, "project": {"id": "p1", "name": "project"},
  "roles": [{"id": "r1", "name": "member"}],
  "catalog": [
    {"type": "compute", "name": "nova", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://cloud.test/compute/v2.1"}]},
    {"type": "image", "name": "glance", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://cloud.test/image"}]},
    {"type": "block-storage", "name": "cinder", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://cloud.test/volume/v3/%(project_id)s"}]},
    {"type": "network", "name": "neutron", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://cloud.test/network"}]}]}})";

/// Answers Keystone with a token (the fuzzed body, or a fixed one), and every GET with the
/// fuzzed body and `status`.
class FuzzTransport final : public scs::Transport {
 public:
  FuzzTransport(bool fuzz_token, long status, std::string_view body, std::string_view specs_body)
      : fuzz_token_(fuzz_token), status_(status), body_(body), specs_body_(specs_body) {}

  scs::HttpResponse send(const scs::HttpRequest& request) override {
    if (request.url.ends_with("/auth/tokens")) {
      return {201, {{"X-Subject-Token", "gAAAAA-token"}}, fuzz_token_ ? std::string(body_) : token_answer};
    }
    if (request.url.find("os-extra_specs") != std::string::npos) return {200, {}, std::string(specs_body_)};
    return {status_, {{"Content-Type", "application/json"}}, std::string(body_)};
  }

 private:
  bool fuzz_token_;
  long status_;
  std::string_view body_, specs_body_;
};

scs::CloudConfig cloud() {
  scs::CloudConfig config;
  config.name = "fuzz";
  config.auth_type = "password";
  config.auth_url = "http://cloud.test/identity";
  config.username = "member";
  config.password = "secret-password";
  config.project_name = "project";
  config.user_domain_name = config.project_domain_name = "Default";
  config.region_name = "RegionOne";
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int kind = data[0] % 8;
  const auto parts = scs::fuzz::split(scs::fuzz::text_of(data + 1, size - 1), "\n#@@\n");
  const auto body = parts[0];
  const auto specs = parts.size() > 1 ? parts[1] : std::string_view("{\"extra_specs\": {}}");
  const long status = kind == 6 ? 500 : kind == 7 ? 404 : 200;
  FuzzTransport transport(kind == 0, status, body, specs);
  scs::fuzz::contract([&] {
    scs::OpenStack api(cloud(), transport);
    switch (kind) {
      case 0:
        (void)api.token();
        (void)api.endpoint_url("compute");
        break;
      case 1:
        (void)api.flavors();
        break;
      case 2:
        (void)api.images();
        break;
      case 3:
        (void)api.volume_types();
        break;
      case 4:
        (void)api.get_all("network", "/v2.0/networks", "networks");
        break;
      case 5: {
        const auto json = nlohmann::json::parse(body, nullptr, false);
        if (!json.is_discarded()) (void)scs::tls_probe_result_from_json(json);
        break;
      }
      case 6:
        (void)api.get_json("compute", "/servers");
        break;
      default: {
        std::string reason;
        (void)api.delete_path("block-storage", "/backups/b1", {}, &reason);
        if (!reason.empty()) scs::fuzz::check_message("delete_path's not-found reason", reason);
        break;
      }
    }
  });
  return 0;
}
