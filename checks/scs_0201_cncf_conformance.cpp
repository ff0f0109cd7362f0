// scs-0201-v1: the cluster passes the CNCF Kubernetes conformance suite.
// https://docs.scs.community/standards/scs-0201-v1-cncf-conformance
#include "checks/checks.hpp"
#include "checks/kaas/e2e_runner.hpp"

namespace scs::checks {

namespace {

Result cncf_conformance(Context& context, const Params& params) {
  return kaas::run_e2e_suite(context, params, {"cncf-k8s-conformance", "sono-results-e2e"});
}

}  // namespace

void register_scs_0201(Registry& registry) { registry.add("k8s-cncf-conformance", cncf_conformance); }

}  // namespace scs::checks
