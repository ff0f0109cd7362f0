#pragma once

#include <map>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"

namespace scs {

/// Check functions by key. Filled explicitly by register_all_checks() (checks/all.cpp); no
/// static-initialisation tricks.
class Registry {
 public:
  /// Throws std::logic_error on a duplicate key (a programming error). `where` is the caller's
  /// line, so `explain` and the guard test can name the file that registered a check.
  void add(std::string key, CheckFn check, std::source_location where = std::source_location::current());
  /// nullptr when unknown.
  [[nodiscard]] const CheckFn* find(std::string_view key) const;
  /// Where the check was registered; nullptr when unknown. The checks library records file
  /// names relative to the repository ("checks/scs_0101_entropy.cpp").
  [[nodiscard]] const std::source_location* registered_at(std::string_view key) const;
  /// Sorted.
  [[nodiscard]] std::vector<std::string> keys() const;

 private:
  struct Entry {
    CheckFn check;
    std::source_location where;
  };
  std::map<std::string, Entry, std::less<>> checks_;
};

}  // namespace scs
