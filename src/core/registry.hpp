#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"

namespace scs {

/// Check functions by key. Filled explicitly by register_all_checks() (checks/all.cpp); no
/// static-initialisation tricks.
class Registry {
 public:
  /// Throws std::logic_error on a duplicate key (a programming error).
  void add(std::string key, CheckFn check);
  /// nullptr when unknown.
  [[nodiscard]] const CheckFn* find(std::string_view key) const;
  /// Sorted.
  [[nodiscard]] std::vector<std::string> keys() const;

 private:
  std::map<std::string, CheckFn, std::less<>> checks_;
};

}  // namespace scs
