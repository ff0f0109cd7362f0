#include <catch2/catch.hpp>

#include <set>

#include "core/exit_codes.hpp"

TEST_CASE("exit codes are unique, ascending and documented") {
  std::set<int> seen;
  int previous = -1;
  for (const auto& entry : scs::exit_code_table()) {
    const int value = static_cast<int>(entry.code);
    CHECK(seen.insert(value).second);
    CHECK(value > previous);
    CHECK_FALSE(entry.meaning.empty());
    previous = value;
  }
  CHECK(seen == std::set<int>{0, 1, 2, 64, 69, 70, 78, 80, 81, 82, 130});
}

TEST_CASE("the help text lists every exit code with its meaning") {
  const std::string help = scs::exit_code_help();
  CHECK(help.find(" 78  configuration error") != std::string::npos);
  CHECK(help.find("130  interrupted") != std::string::npos);
}
