// The JSON answers the Kubernetes client parses (src/clients/kubernetes/kubernetes.cpp):
// /version, lists with `items` and `metadata.continue`, and error bodies. The first byte chooses
// what is asked; the rest is the answer to every request.
#include <nlohmann/json.hpp>

#include "clients/kubernetes/kubernetes.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int kind = data[0] % 6;
  const auto body = scs::fuzz::text_of(data + 1, size - 1);
  const long status = kind == 4 ? 403 : kind == 5 ? 500 : 200;
  scs::fuzz::FixedAnswer transport(status, body);
  scs::KubeConfig config;
  config.context = "fuzz";
  config.user_name = "admin";
  config.server = "https://cluster.test:6443";
  config.token = "secret-token";
  scs::fuzz::contract([&] {
    scs::Kubernetes api(config, transport);
    switch (kind) {
      case 0:
        (void)api.version();
        break;
      case 1:
        (void)api.nodes();
        break;
      case 2:
        (void)api.storage_classes();
        break;
      case 3:
        (void)api.list("/api/v1/namespaces/default/pods?limit=500");
        break;
      case 4:
        api.preflight();
        break;
      default:
        (void)api.remove("/api/v1/namespaces/scs-test");
        break;
    }
  });
  return 0;
}
