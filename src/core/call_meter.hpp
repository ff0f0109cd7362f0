#pragma once

#include <cstdint>

namespace scs {

/// API calls and bytes, counted per testcase.
struct CallStats {
  std::uint64_t calls = 0;
  std::uint64_t retries = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  CallStats& operator+=(const CallStats& other);
};

/// Attributes API calls to the testcase that made them. The runner opens a MeterScope on the
/// worker thread before running a testcase; every transport reports each exchange through
/// count_call(), which adds it to the scope open on the calling thread (if any).
/// Thread-local by design: the same memoised request may be issued from any worker.
class MeterScope {
 public:
  explicit MeterScope(CallStats& target);
  ~MeterScope();
  MeterScope(const MeterScope&) = delete;
  MeterScope& operator=(const MeterScope&) = delete;

 private:
  CallStats* previous_;
};

void count_call(const CallStats& delta);

}  // namespace scs
