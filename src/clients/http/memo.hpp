#pragma once

#include <exception>
#include <mutex>
#include <optional>

#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs {

/// A value computed once, by the first thread that asks; the others wait for it. A failure is
/// kept too and rethrown to every later caller, so a broken API is asked once, not once per
/// testcase. That includes a read that outlived the asking testcase's time budget: asking
/// again would make every waiting testcase spend its whole budget on the same hanging API.
/// Only an interruption (Ctrl-C) is not kept.
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
    } catch (const Interrupted&) {
      throw;
    } catch (...) {
      error_ =
          cancellation_requested()
              ? std::make_exception_ptr(Error("an earlier read of this collection took longer than its "
                                              "testcase's time budget; it is not asked again in this run"))
              : std::current_exception();
      throw;
    }
  }

 private:
  std::mutex mutex_;
  std::optional<T> value_;
  std::exception_ptr error_;
};

}  // namespace scs
