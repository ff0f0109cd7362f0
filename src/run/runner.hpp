#pragma once

#include <atomic>
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "core/context.hpp"
#include "reports/report.hpp"

namespace scs {

/// One testcase, bound and ready to run: everything resolved before the first request.
struct PlannedTestcase {
  std::string id;
  std::string standard;
  const CheckFn* check = nullptr;  // never null for a planned testcase
  Params params;
  bool creates_resources = false;
  std::chrono::milliseconds budget{120'000};
  std::string platform = "openstack";    // openstack | kubernetes: what the run must connect
  std::string required_role = "member";  // the role the token must hold (OpenStack)
};

struct RunnerOptions {
  unsigned parallelism = 64;  // read-only testcases run this many at a time
  const std::atomic<bool>* interrupted = nullptr;
  bool virtual_waits = false;  // a replay: polls do not sleep (VirtualWaitScope)
  // The context with the admin account (--admin-cloud): given only to testcases whose
  // required_role is admin; without it they get the plain context and ABORT asking for it.
  Context* admin_context = nullptr;
};

/// The order in which the read-only testcases start (indexes into `planned`): one of each
/// standard in turn. Testcases of one standard mostly wait for the same collection (31 of
/// scs-0103 for the flavors): started in plan order they would fill every worker while the
/// other standards' reads, which could run beside it, wait for a free worker.
std::vector<std::size_t> read_only_start_order(std::span<const PlannedTestcase> planned);

/// Runs the testcases: read-only ones in parallel, those that create resources one after the
/// other. Each gets a time budget (cooperative: transports and waits end at the deadline);
/// an exception or an overrun becomes ABORT with the reason. API calls and bytes are counted
/// per testcase. Once `interrupted` is set, nothing new starts and the rest are ABORT
/// ("interrupted before it ran"). Returns one outcome per planned testcase, in input order
/// (only id, standard, result, elapsed and calls are filled in).
std::vector<TestcaseOutcome> run_testcases(std::span<const PlannedTestcase> planned, Context& context,
                                           const RunnerOptions& options);

}  // namespace scs
