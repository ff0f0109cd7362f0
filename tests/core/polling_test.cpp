#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "core/cancellation.hpp"
#include "core/polling.hpp"

using namespace std::chrono_literals;

TEST_CASE("a sleep outside a virtual wait scope takes its time", "[timing]") {
  const auto before = std::chrono::steady_clock::now();
  scs::sleep_cancellable(120ms);
  CHECK(std::chrono::steady_clock::now() - before >= 120ms);
}

TEST_CASE("inside a virtual wait scope, sleeps advance the wait clock instead of waiting", "[timing]") {
  const auto real_before = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point wait_before, wait_after;
  {
    scs::VirtualWaitScope scope;
    wait_before = scs::wait_clock_now();
    for (int i = 0; i < 150; ++i) scs::sleep_cancellable(2s);  // a 5-minute poll
    wait_after = scs::wait_clock_now();
  }
  CHECK(wait_after - wait_before >= 300s);
  CHECK(std::chrono::steady_clock::now() - real_before < 5s);
  // Outside the scope the wait clock is the steady clock again.
  CHECK(scs::wait_clock_now() - std::chrono::steady_clock::now() < 1s);
}

TEST_CASE("virtual waits are per thread: another thread still sleeps", "[timing]") {
  scs::VirtualWaitScope scope;
  std::chrono::steady_clock::duration other_slept{};
  std::thread other([&] {
    const auto before = std::chrono::steady_clock::now();
    scs::sleep_cancellable(100ms);
    other_slept = std::chrono::steady_clock::now() - before;
  });
  other.join();
  CHECK(other_slept >= 100ms);
}

TEST_CASE("a virtual wait still ends at cancellation", "[timing]") {
  const std::atomic<bool> interrupted{true};
  scs::CancellationScope cancellation(std::chrono::steady_clock::now() + 1h, &interrupted);
  scs::VirtualWaitScope scope;
  CHECK_THROWS_AS(scs::sleep_cancellable(1s), scs::Interrupted);
}
