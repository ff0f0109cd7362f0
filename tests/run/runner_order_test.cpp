#include <catch2/catch.hpp>

#include "run/runner.hpp"

namespace {

scs::PlannedTestcase testcase(std::string id, std::string standard, bool creates = false) {
  scs::PlannedTestcase planned;
  planned.id = std::move(id);
  planned.standard = std::move(standard);
  planned.creates_resources = creates;
  return planned;
}

}  // namespace

TEST_CASE("read-only testcases start one of each standard in turn, creating ones are left out") {
  const std::vector<scs::PlannedTestcase> planned{
      testcase("a1", "scs-0103"),       testcase("a2", "scs-0103"), testcase("a3", "scs-0103"),
      testcase("c1", "scs-0117", true), testcase("b1", "scs-0114"), testcase("d1", "scs-0123"),
      testcase("b2", "scs-0114")};
  // a1 b1 d1, then a2 b2, then a3; c1 creates resources and runs after them.
  CHECK(scs::read_only_start_order(planned) == std::vector<std::size_t>{0, 4, 5, 1, 6, 2});
}

TEST_CASE("one standard keeps its plan order, and an empty plan starts nothing") {
  const std::vector<scs::PlannedTestcase> planned{testcase("x1", "s"), testcase("x2", "s")};
  CHECK(scs::read_only_start_order(planned) == std::vector<std::size_t>{0, 1});
  CHECK(scs::read_only_start_order({}).empty());
}
