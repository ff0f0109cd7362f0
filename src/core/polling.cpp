#include "core/polling.hpp"

#include <algorithm>
#include <thread>

#include "core/cancellation.hpp"

namespace scs {

namespace {
using SteadyClock = std::chrono::steady_clock;
thread_local VirtualWaitScope* current_virtual_scope = nullptr;
}  // namespace

VirtualWaitScope::VirtualWaitScope() : previous_(current_virtual_scope) { current_virtual_scope = this; }

VirtualWaitScope::~VirtualWaitScope() { current_virtual_scope = previous_; }

SteadyClock::time_point wait_clock_now() {
  const auto now = SteadyClock::now();
  return current_virtual_scope == nullptr ? now : now + current_virtual_scope->skipped_;
}

void sleep_cancellable(std::chrono::milliseconds duration) {
  if (current_virtual_scope != nullptr) {
    throw_if_cancelled();
    current_virtual_scope->skipped_ += duration;
    return;
  }
  constexpr auto step = std::chrono::milliseconds(100);
  const auto until = SteadyClock::now() + duration;
  for (;;) {
    throw_if_cancelled();
    const auto left = until - SteadyClock::now();
    if (left <= SteadyClock::duration::zero()) return;
    std::this_thread::sleep_for(std::min<SteadyClock::duration>(left, step));
  }
}

}  // namespace scs
