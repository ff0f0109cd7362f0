#pragma once

// Runs an upstream Kubernetes e2e suite with Sonobuoy (preferred) or Hydrophone, whichever is
// on PATH, and judges its results with SCS's okToFail rules: cncf-k8s-conformance (scs-0201)
// and kaas-networking-check (scs-0219).

#include <string>

#include "core/context.hpp"
#include "core/result.hpp"

namespace scs::checks::kaas {

struct E2eSuite {
  std::string testcase;            // "cncf-k8s-conformance": names the temporary work dir
  std::string default_result_dir;  // below subject_root, when params give no result_dir
};

/// Params: sonobuoy_args / hydrophone_args (lists: how this suite is selected), result_dir,
/// ok_to_fail (a file in standards/data), timeout_minutes (the run), cleanup_minutes, and
/// optionally tool (sonobuoy | hydrophone). Scope variables: kubeconfig, subject_root,
/// execution_mode (parallel | serial | dry). The tool's namespace is deleted in every exit path.
Result run_e2e_suite(Context& context, const Params& params, const E2eSuite& suite);

}  // namespace scs::checks::kaas
