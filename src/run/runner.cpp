#include "run/runner.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "core/call_meter.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"

namespace scs {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view budget_exceeded = "time budget exceeded";

std::string budget_text(std::chrono::milliseconds budget) {
  return budget.count() % 1000 == 0 ? fmt::format("{} s", budget.count() / 1000)
                                    : fmt::format("{} ms", budget.count());
}

// The one place where a check's exceptions become results.
TestcaseOutcome run_one(const PlannedTestcase& testcase, Context& context, const RunnerOptions& options) {
  const auto* interrupted = options.interrupted;
  TestcaseOutcome outcome;
  outcome.id = testcase.id;
  outcome.standard = testcase.standard;
  outcome.implemented = true;
  if (interrupted != nullptr && interrupted->load()) {
    outcome.result = Result::abort("interrupted before it ran");
    return outcome;
  }
  const auto start = SteadyClock::now();
  const auto deadline = start + testcase.budget;
  {
    MeterScope meter(outcome.calls);
    CancellationScope cancellation(deadline, interrupted);
    std::optional<VirtualWaitScope> virtual_waits;
    if (options.virtual_waits) virtual_waits.emplace();
    try {
      Context& given = testcase.required_role == "admin" && options.admin_context != nullptr
                           ? *options.admin_context
                           : context;
      outcome.result = (*testcase.check)(given, testcase.params);
    } catch (const Interrupted&) {
      outcome.result = Result::abort("interrupted");
    } catch (const std::exception& error) {
      outcome.result = Result::abort(error.what());
    } catch (...) {
      outcome.result = Result::abort("unknown exception");
    }
  }
  const auto end = SteadyClock::now();
  outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(end - start);
  if (end > deadline && outcome.result.status != Status::abort) {
    // A verdict that arrives after the budget is not trusted: the check may have waited on a
    // half-finished state. Keep what it found as a note.
    const auto found = std::string(to_string(outcome.result.status));
    outcome.result = Result::abort(fmt::format("exceeded its time budget of {} (it would have said {}: {})",
                                               budget_text(testcase.budget), found, outcome.result.summary));
  } else if (outcome.result.status == Status::abort && outcome.result.summary.starts_with(budget_exceeded)) {
    // "time budget exceeded while waiting for GET …": keep what it was waiting for.
    const auto waiting = outcome.result.summary.substr(budget_exceeded.size());
    outcome.result.summary =
        fmt::format("exceeded its time budget of {}{}", budget_text(testcase.budget),
                    waiting.empty() ? std::string() : fmt::format(" ({})", waiting.substr(1)));
  } else if (end > deadline && outcome.result.status == Status::abort) {
    outcome.result.summary = fmt::format("exceeded its time budget of {} ({})", budget_text(testcase.budget),
                                         outcome.result.summary);
  }
  return outcome;
}

}  // namespace

std::vector<std::size_t> read_only_start_order(std::span<const PlannedTestcase> planned) {
  // Queues per standard, in order of first appearance; then one from each queue in turn.
  std::vector<std::string_view> standards;
  std::vector<std::vector<std::size_t>> queues;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (planned[i].creates_resources) continue;
    const auto it = std::find(standards.begin(), standards.end(), planned[i].standard);
    if (it == standards.end()) {
      standards.push_back(planned[i].standard);
      queues.push_back({i});
    } else {
      queues[static_cast<std::size_t>(it - standards.begin())].push_back(i);
    }
  }
  std::vector<std::size_t> order;
  for (std::size_t round = 0; order.size() < planned.size(); ++round) {
    bool took = false;
    for (const auto& queue : queues) {
      if (round < queue.size()) {
        order.push_back(queue[round]);
        took = true;
      }
    }
    if (!took) break;
  }
  return order;
}

std::vector<TestcaseOutcome> run_testcases(std::span<const PlannedTestcase> planned, Context& context,
                                           const RunnerOptions& options) {
  std::vector<TestcaseOutcome> outcomes(planned.size());
  std::vector<std::size_t> creating;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (planned[i].creates_resources) creating.push_back(i);
  }
  const auto read_only = read_only_start_order(planned);

  // Read-only testcases: a small pool pulls the next index; memoised collections make sure
  // that each is fetched once however many testcases ask for it.
  std::mutex next_mutex;
  std::size_t next = 0;
  auto worker = [&] {
    for (;;) {
      std::size_t index;
      {
        std::lock_guard lock(next_mutex);
        if (next == read_only.size()) return;
        index = read_only[next++];
      }
      outcomes[index] = run_one(planned[index], context, options);
    }
  };
  const auto threads = std::min<std::size_t>(std::max(1u, options.parallelism), read_only.size());
  std::vector<std::jthread> pool;
  pool.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(worker);
  pool.clear();  // joins

  // Testcases that create resources run alone, so their waits and cleanups do not compete.
  for (const auto index : creating) outcomes[index] = run_one(planned[index], context, options);
  return outcomes;
}

}  // namespace scs
