// kubeconfig files (src/clients/kubernetes/kube_config.hpp resolve_kubeconfig), the way
// --kubeconfig names one. The input is the file and, after a line "#@@", the context to select.
#include "clients/kubernetes/kube_config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = scs::fuzz::split(scs::fuzz::text_of(data, size), "\n#@@\n");
  const auto file = scs::fuzz::put_file("kubeconfig", parts[0]);
  scs::KubeSelection selection;
  selection.kubeconfig = file.string();
  if (parts.size() > 1 && !parts[1].empty()) selection.context = std::string(parts[1]);
  scs::KubeEnvironment environment;
  environment.home = (scs::fuzz::scratch() / "home").string();
  environment.service_account_dir = (scs::fuzz::scratch() / "serviceaccount").string();
  scs::fuzz::contract([&] {
    const auto config = scs::resolve_kubeconfig(selection, environment);
    (void)config.secrets();
  });
  return 0;
}
