#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "spec/spec.hpp"
#include "support.hpp"

namespace {

// "v2=effective v1=warn*": * = not named by the entry in force (implicitly deprecated).
std::string describe(const std::vector<scs::VersionValidity>& validities) {
  std::string text;
  for (const auto& v : validities) {
    if (!text.empty()) text += " ";
    text += v.version + "=" + v.validity + (v.explicit_in_timeline ? "" : "*");
  }
  return text;
}

}  // namespace

TEST_CASE("versions_in_force applies the latest timeline entry not after the date", "[spec][timeline]") {
  // scope-mini.yaml: 2024-01-01 {v1: draft}, 2025-06-01 {v2: effective, v1: warn},
  // 2024-06-01 {v1: effective} (deliberately not sorted); versions in file order v2, v1.
  const auto scope = scs::load_scope(scs::test::spec_fixture("scope-mini.yaml"));
  const auto [date, expected] = GENERATE(table<std::string, std::string>({
      {"2000-01-01", "v2=deprecated* v1=deprecated*"},  // before the first entry: all deprecated
      {"2023-12-31", "v2=deprecated* v1=deprecated*"},
      {"2024-01-01", "v2=deprecated* v1=draft"},  // an entry applies from its own date
      {"2024-05-31", "v2=deprecated* v1=draft"},
      {"2024-06-01", "v2=deprecated* v1=effective"},
      {"2025-05-31", "v2=deprecated* v1=effective"},
      {"2025-06-01", "v2=effective v1=warn"},
      {"2099-12-31", "v2=effective v1=warn"},  // the last entry applies indefinitely
  }));
  CAPTURE(date);
  CHECK(describe(scs::versions_in_force(scope, date)) == expected);
}

TEST_CASE("versions_in_force rejects a date that is not YYYY-MM-DD", "[spec][timeline]") {
  const auto scope = scs::load_scope(scs::test::spec_fixture("scope-mini.yaml"));
  CHECK_THROWS_AS(scs::versions_in_force(scope, "2024-6-1"), scs::UsageError);
  CHECK_THROWS_WITH(scs::versions_in_force(scope, "yesterday"),
                    "invalid date 'yesterday' (expected YYYY-MM-DD)");
}

TEST_CASE("is_iso_date accepts calendar dates only", "[spec][timeline]") {
  CHECK(scs::is_iso_date("2024-02-29"));  // leap year
  CHECK(scs::is_iso_date("2000-02-29"));  // divisible by 400
  CHECK(scs::is_iso_date("2024-12-31"));
  CHECK_FALSE(scs::is_iso_date("2023-02-29"));
  CHECK_FALSE(scs::is_iso_date("1900-02-29"));  // divisible by 100
  CHECK_FALSE(scs::is_iso_date("2024-04-31"));
  CHECK_FALSE(scs::is_iso_date("2024-13-01"));
  CHECK_FALSE(scs::is_iso_date("2024-00-10"));
  CHECK_FALSE(scs::is_iso_date("2024-01-00"));
  CHECK_FALSE(scs::is_iso_date("2024-1-01"));
  CHECK_FALSE(scs::is_iso_date("2024-01-01 "));
  CHECK_FALSE(scs::is_iso_date("2024/01/01"));
  CHECK_FALSE(scs::is_iso_date(""));
}
