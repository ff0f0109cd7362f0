#pragma once

#include <exception>
#include <mutex>
#include <optional>

#include "clients/cancellation.hpp"

namespace scs {

/// A value computed once, by the first thread that asks; the others wait for it. A failure is
/// kept too and rethrown to every later caller, so a broken API is asked once, not once per
/// testcase. Only a cancellation (the asking testcase ran out of time, or Ctrl-C) is not kept:
/// it says nothing about the cloud, so the next caller tries again.
template <typename T>
class Memo {
 public:
  template <typename Compute>
  const T& get(Compute&& compute) {
    const std::lock_guard lock(mutex_);
    if (value_) return *value_;
    if (error_) std::rethrow_exception(error_);
    try {
      value_.emplace(compute());
      return *value_;
    } catch (...) {
      if (!cancellation_requested()) error_ = std::current_exception();
      throw;
    }
  }

 private:
  std::mutex mutex_;
  std::optional<T> value_;
  std::exception_ptr error_;
};

}  // namespace scs
