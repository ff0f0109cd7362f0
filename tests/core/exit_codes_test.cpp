#include <catch2/catch.hpp>

#include <set>

#include "core/errors.hpp"
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

// Found by fuzzing (tests/fuzz): messages quote outside input (a YAML key, a server's answer),
// which may hold line breaks; an error message is one line all the same.
TEST_CASE("an error message is one line, whatever it quotes") {
  CHECK(std::string(scs::ConfigError("clouds.yaml: cloud 'a\nb\r' not found").what()) ==
        "clouds.yaml: cloud 'a\\nb\\r' not found");
  CHECK(std::string(scs::SpecError("scope.yaml", 3, "unknown key 'x\ny'").what()) ==
        "scope.yaml:3: unknown key 'x\\ny'");
  CHECK(std::string(scs::HttpError("GET", "https://x", 500, "line one\nline two").what()) ==
        "GET https://x answered HTTP 500: line one\\nline two");
  CHECK(std::string(scs::Error("plain").what()) == "plain");
}
