#include "core/polling.hpp"

#include <algorithm>
#include <thread>

#include "core/cancellation.hpp"

namespace scs {

void sleep_cancellable(std::chrono::milliseconds duration) {
  using SteadyClock = std::chrono::steady_clock;
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
