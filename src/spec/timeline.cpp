// Validity of scope versions on a date (scs-0003-v1, "Timeline entry"):
// https://docs.scs.community/standards/scs-0003-v1-sovereign-cloud-standards-yaml

#include <fmt/format.h>

#include <cctype>

#include "core/errors.hpp"
#include "spec/spec.hpp"

namespace scs {

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0, month = 0, day = 0;
  const auto number = [&](std::size_t from, std::size_t count, int& out) {
    for (std::size_t i = from; i < from + count; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::vector<VersionValidity> versions_in_force(const Scope& scope, const std::string& date) {
  if (!is_iso_date(date)) throw UsageError(fmt::format("invalid date '{}' (expected YYYY-MM-DD)", date));
  // The entry with the greatest date not after `date` applies; file order does not matter
  // (scs-0003: tooling must not depend on it). ISO dates compare correctly as strings.
  const TimelineEntry* in_force = nullptr;
  for (const auto& entry : scope.timeline) {
    if (entry.date <= date && (in_force == nullptr || entry.date > in_force->date)) in_force = &entry;
  }
  std::vector<VersionValidity> result;
  result.reserve(scope.versions.size());
  for (const auto& version : scope.versions) {
    VersionValidity validity{version.name, "deprecated", false};
    if (in_force != nullptr) {
      if (const auto it = in_force->versions.find(version.name); it != in_force->versions.end()) {
        validity.validity = it->second;
        validity.explicit_in_timeline = true;
      }
    }
    result.push_back(std::move(validity));
  }
  return result;
}

}  // namespace scs
