#pragma once

#include <chrono>

#include "core/errors.hpp"

namespace scs {

/// A wait that ran out of time: the object was still on its way, so nothing is shown to be
/// broken (a busy cloud is slow); checks judge it as ABORT, not FAIL.
class WaitTimeout : public Error {
 public:
  using Error::Error;
};

/// How long and how often to poll. Polling sleeps in short steps and calls
/// throw_if_cancelled() between them, so a time budget or Ctrl-C ends every wait promptly.
struct WaitPolicy {
  std::chrono::milliseconds interval{2000};
  std::chrono::milliseconds timeout{300'000};
};

/// Sleeps `duration`, ending early (by throwing) when the testcase is cancelled. Inside a
/// VirtualWaitScope it does not sleep but moves this thread's wait clock forward.
void sleep_cancellable(std::chrono::milliseconds duration);

/// The clock that waits and timeouts are measured on: steady_clock, plus inside a
/// VirtualWaitScope the time sleep_cancellable skipped.
std::chrono::steady_clock::time_point wait_clock_now();

/// Replays waits without waiting: while it lives, sleep_cancellable on this thread returns at
/// once and advances wait_clock_now() instead. A replay answers a poll with what the cloud said
/// at that point of the recording, so the same number of polls reaches the same state (or the
/// same timeout) in no time. Thread-local, like CancellationScope.
class VirtualWaitScope {
 public:
  VirtualWaitScope();
  ~VirtualWaitScope();
  VirtualWaitScope(const VirtualWaitScope&) = delete;
  VirtualWaitScope& operator=(const VirtualWaitScope&) = delete;

 private:
  VirtualWaitScope* previous_;
  std::chrono::steady_clock::duration skipped_{};
  friend void sleep_cancellable(std::chrono::milliseconds duration);
  friend std::chrono::steady_clock::time_point wait_clock_now();
};

}  // namespace scs
