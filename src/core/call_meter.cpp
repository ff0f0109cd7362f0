#include "core/call_meter.hpp"

namespace scs {

namespace {
thread_local CallStats* current_target = nullptr;
}

CallStats& CallStats::operator+=(const CallStats& other) {
  calls += other.calls;
  retries += other.retries;
  bytes_received += other.bytes_received;
  bytes_sent += other.bytes_sent;
  return *this;
}

MeterScope::MeterScope(CallStats& target) : previous_(current_target) { current_target = &target; }

MeterScope::~MeterScope() { current_target = previous_; }

void count_call(const CallStats& delta) {
  if (current_target != nullptr) *current_target += delta;
}

}  // namespace scs
