// scs-0219-v1: the cluster supports NetworkPolicy fully, as the upstream e2e tests that focus
// on it show. https://docs.scs.community/standards/scs-0219-v1-kaas-networking
#include "checks/checks.hpp"
#include "checks/kaas/e2e_runner.hpp"

namespace scs::checks {

namespace {

Result kaas_networking(Context& context, const Params& params) {
  return kaas::run_e2e_suite(context, params, {"kaas-networking-check", "sono-results-0219"});
}

}  // namespace

void register_scs_0219(Registry& registry) { registry.add("k8s-networkpolicy-e2e", kaas_networking); }

}  // namespace scs::checks
