// What a kubeconfig's exec credential plugin prints (src/clients/kubernetes/exec_credential.hpp
// parse_exec_credential, parse_rfc3339). Never throws; the problem it reports ends up in a
// ConfigError, so it must be one line.
#include "clients/kubernetes/exec_credential.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = scs::fuzz::text_of(data, size);
  scs::fuzz::contract([&] {
    (void)scs::parse_rfc3339(text);
    for (const auto* version : {"client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"}) {
      const auto answer = scs::parse_exec_credential(text, version);
      if (!answer.problem.empty()) scs::fuzz::check_message("ExecCredentialAnswer::problem", answer.problem);
    }
  });
  return 0;
}
