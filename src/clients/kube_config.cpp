#include "clients/kube_config.hpp"

#include "core/errors.hpp"

namespace scs {

std::vector<std::string> KubeConfig::secrets() const {
  std::vector<std::string> out;
  for (const auto* value : {&token, &password, &client_key_data}) {
    if (!value->empty()) out.push_back(*value);
  }
  return out;
}

KubeConfig resolve_kubeconfig(const KubeSelection&) {
  // Replaced by the full client-go resolution (issue 6).
  throw ConfigError("kubeconfig resolution is not available in this build");
}

}  // namespace scs
