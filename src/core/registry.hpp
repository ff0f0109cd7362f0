#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>
#include <version>
#ifdef __cpp_lib_source_location
#include <source_location>
#endif

#include "core/context.hpp"

namespace scs {

#ifdef __cpp_lib_source_location
using CodeLocation = std::source_location;
#else
/// std::source_location from the compiler's builtins, for clang 14 with libstdc++ 12 (the fuzz
/// build), where <source_location> is empty.
class CodeLocation {
 public:
  static constexpr CodeLocation current(const char* file = __builtin_FILE(), int line = __builtin_LINE(),
                                        const char* function = __builtin_FUNCTION()) noexcept {
    CodeLocation where;
    where.file_ = file;
    where.line_ = line;
    where.function_ = function;
    return where;
  }
  [[nodiscard]] constexpr const char* file_name() const noexcept { return file_; }
  [[nodiscard]] constexpr const char* function_name() const noexcept { return function_; }
  [[nodiscard]] constexpr unsigned line() const noexcept { return static_cast<unsigned>(line_); }
  [[nodiscard]] constexpr unsigned column() const noexcept { return 0; }

 private:
  const char* file_ = "";
  const char* function_ = "";
  int line_ = 0;
};
#endif

/// Check functions by key. Filled explicitly by register_all_checks() (checks/all.cpp); no
/// static-initialisation tricks.
class Registry {
 public:
  /// Throws std::logic_error on a duplicate key (a programming error). `where` is the caller's
  /// line, so `explain` and the guard test can name the file that registered a check.
  void add(std::string key, CheckFn check, CodeLocation where = CodeLocation::current());
  /// nullptr when unknown.
  [[nodiscard]] const CheckFn* find(std::string_view key) const;
  /// Where the check was registered; nullptr when unknown. The checks library records file
  /// names relative to the repository ("checks/scs_0101_entropy.cpp").
  [[nodiscard]] const CodeLocation* registered_at(std::string_view key) const;
  /// Sorted.
  [[nodiscard]] std::vector<std::string> keys() const;

 private:
  struct Entry {
    CheckFn check;
    CodeLocation where;
  };
  std::map<std::string, Entry, std::less<>> checks_;
};

}  // namespace scs
