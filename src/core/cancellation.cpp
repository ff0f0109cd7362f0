#include "core/cancellation.hpp"

#include "core/errors.hpp"

namespace scs {

namespace {
thread_local const CancellationScope* current_scope = nullptr;
}

CancellationScope::CancellationScope(std::chrono::steady_clock::time_point deadline,
                                     const std::atomic<bool>* interrupted)
    : previous_(current_scope), interrupted_(interrupted), deadline_(deadline) {
  current_scope = this;
}

CancellationScope::~CancellationScope() { current_scope = previous_; }

bool cancellation_requested() {
  const auto* scope = current_scope;
  if (scope == nullptr) return false;
  if (scope->interrupted_ != nullptr && scope->interrupted_->load()) return true;
  return std::chrono::steady_clock::now() >= scope->deadline_;
}

void throw_if_cancelled() {
  const auto* scope = current_scope;
  if (scope == nullptr) return;
  if (scope->interrupted_ != nullptr && scope->interrupted_->load()) throw Interrupted();
  if (std::chrono::steady_clock::now() >= scope->deadline_) throw BudgetExceeded();
}

}  // namespace scs
