#pragma once

#include <atomic>
#include <chrono>

#include "core/errors.hpp"

namespace scs {

/// Cooperative cancellation of the testcase running on this thread: the runner opens a scope
/// with the testcase's deadline and the run's interrupt flag; transports and waits call
/// throw_if_cancelled() (CurlTransport also from its progress callback, so a hanging request
/// ends at the deadline). Thread-local, like MeterScope.
class CancellationScope {
 public:
  CancellationScope(std::chrono::steady_clock::time_point deadline, const std::atomic<bool>* interrupted);
  ~CancellationScope();
  CancellationScope(const CancellationScope&) = delete;
  CancellationScope& operator=(const CancellationScope&) = delete;

 private:
  const CancellationScope* previous_;
  const std::atomic<bool>* interrupted_;
  std::chrono::steady_clock::time_point deadline_;
  friend bool cancellation_requested();
  friend void throw_if_cancelled();
};

/// True once the deadline has passed or the run was interrupted.
bool cancellation_requested();

/// The testcase's deadline passed. The message starts with "time budget exceeded"; whoever
/// was waiting may add what for ("… while waiting for GET https://…").
class BudgetExceeded : public Error {
 public:
  explicit BudgetExceeded(const std::string& what = "time budget exceeded") : Error(what) {}
};

/// Throws Interrupted, or BudgetExceeded, when cancellation was requested.
void throw_if_cancelled();

}  // namespace scs
