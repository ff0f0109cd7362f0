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

/// Sleeps `duration`, ending early (by throwing) when the testcase is cancelled.
void sleep_cancellable(std::chrono::milliseconds duration);

}  // namespace scs
