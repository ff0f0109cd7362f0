#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "spec/spec.hpp"
#include "support.hpp"

using scs::test::spec_fixture;

TEST_CASE("a standard file loads with its testcase bindings", "[spec][standard]") {
  const auto path = spec_fixture("standards/scs-0001-alpha.yaml");
  const auto standard = scs::load_standard(path);
  CHECK(standard.id == "scs-0001");
  CHECK(standard.name == "Alpha things");
  CHECK(standard.url == "https://example.com/scs-0001");
  CHECK(standard.source.file == path);
  REQUIRE(standard.testcases.size() == 2);

  const auto& first = standard.testcases[0];
  CHECK(first.id == "scs-0001-first");
  CHECK(first.standard == "scs-0001");
  CHECK(first.title == "The first thing is there");
  CHECK(first.check == "thing-present");
  CHECK(first.description == "What is checked, in **markdown**.\n");
  CHECK(first.remediation == "Add the thing.\n");
  CHECK(first.url == "https://example.com/scs-0001#first");
  CHECK(first.required_role == "reader");
  CHECK(first.creates_resources);
  CHECK(first.source.file == path);
  CHECK(first.source.line == 6);

  const auto& second = standard.testcases[1];
  CHECK(second.url == standard.url);
  CHECK(second.required_role == "member");
  CHECK_FALSE(second.creates_resources);
  CHECK(second.params == nlohmann::json::object());
  CHECK(second.description.empty());
}

TEST_CASE("params become JSON with YAML 1.2 core-schema scalars", "[spec][standard]") {
  const auto params = scs::load_standard(spec_fixture("standards/scs-0001-alpha.yaml")).testcases[0].params;
  CHECK(params.at("count") == 3);
  CHECK(params.at("count").is_number_integer());
  CHECK(params.at("negative") == -2);
  CHECK(params.at("ratio") == 0.75);
  CHECK(params.at("enabled") == true);
  CHECK(params.at("disabled") == false);
  CHECK(params.at("quoted_number") == "5");
  CHECK(params.at("quoted_bool") == "true");
  CHECK(params.at("version") == "1.10.0");
  CHECK(params.at("nothing").is_null());
  CHECK(params.at("empty").is_null());
  CHECK(params.at("names") == nlohmann::json::array({"a", "b", 3}));
  CHECK(params.at("nested") == nlohmann::json::parse(R"({"key": "value", "list": [1, {"deep": "yes"}]})"));
}

TEST_CASE("load_standards reads *.yaml directly in the directory, sorted", "[spec][standard]") {
  const auto standards = scs::load_standards(spec_fixture("standards"));
  REQUIRE(standards.size() == 2);  // not README.md, not scopes/scope.yaml
  CHECK(standards[0].id == "scs-0001");
  CHECK(standards[1].id == "scs-0002");
}

TEST_CASE("a testcase id defined in two standard files is an error naming both", "[spec][standard]") {
  const auto dir = spec_fixture("standards-duplicate");
  REQUIRE_THROWS_MATCHES(
      scs::load_standards(dir), scs::SpecError,
      Catch::Matchers::Message(dir + "/b.yaml:8: duplicate testcase id 'shared-id' (also defined at " + dir +
                               "/a.yaml:5)"));
  const auto missing = spec_fixture("no-such-dir");
  REQUIRE_THROWS_MATCHES(scs::load_standards(missing), scs::SpecError,
                         Catch::Matchers::Message(missing + ": not a directory"));
}

TEST_CASE("standard loader errors name the file, the line and the cause", "[spec][standard]") {
  struct Case {
    const char* name;
    int first, last;  // lines of scs-0001-alpha.yaml to replace
    const char* replacement;
    const char* expected;
  };
  // clang-format off
  const Case cases[] = {
    {"unknown testcase key", 8, 8, "    chek: thing-present",
     "8: unknown key 'chek' in testcase 'scs-0001-first' (allowed: id, title, check, params, description, remediation, url, required_role, creates_resources)"},
    {"unknown top-level key", 3, 3, "title: Alpha things",
     "3: unknown key 'title' at top level (allowed: standard, name, url, platform, testcases)"},
    {"missing check", 31, 31, "",
     "29: missing key 'check' in testcase 'scs-0001-second'"},
    {"empty title", 30, 30, "    title: \"\"",
     "30: empty 'title' in testcase 'scs-0001-second'"},
    {"duplicate id in one file", 29, 29, "  - id: scs-0001-first",
     "29: duplicate testcase id 'scs-0001-first' (first defined at line 6)"},
    {"params not a map", 9, 21, "    params: [1, 2]",
     "9: expected a map for 'params' in testcase 'scs-0001-first', found a list"},
    {"creates_resources not a bool", 28, 28, "    creates_resources: yes",
     "28: expected true or false for 'creates_resources' in testcase 'scs-0001-first', found 'yes'"},
    {"unknown role", 27, 27, "    required_role: owner",
     "27: invalid required_role 'owner' in testcase 'scs-0001-first' (allowed: reader, member, manager, admin)"},
    {"testcases not a list", 5, 31, "testcases: {}",
     "5: expected a list for 'testcases', found a map"},
    {"integer out of range", 10, 10, "      count: 99999999999999999999",
     "10: integer 99999999999999999999 out of range in 'params' in testcase 'scs-0001-first'"},
    {"malformed YAML", 7, 7, "    title: The first: thing",
     "7: invalid YAML: illegal map value"},
  };
  // clang-format on
  const auto original = scs::test::read_text(spec_fixture("standards/scs-0001-alpha.yaml"));
  int index = 0;
  for (const auto& c : cases) {
    SECTION(c.name) {
      const auto path =
          scs::test::write_temp("standard-error-" + std::to_string(index) + ".yaml",
                                scs::test::replace_lines(original, c.first, c.last, c.replacement));
      REQUIRE_THROWS_MATCHES(scs::load_standard(path), scs::SpecError,
                             Catch::Matchers::Message(path + ":" + c.expected));
    }
    ++index;
  }
}

TEST_CASE("a standard says its platform: openstack by default, kubernetes, nothing else",
          "[spec][standard]") {
  const std::string body = "standard: scs-0299\nname: Kube thing\nurl: https://example.com/0299\n";
  const std::string testcases = "testcases:\n  - id: scs-0299-a\n    title: A\n    check: thing-present\n";
  const auto plain = scs::load_standard(scs::test::write_temp("plain.yaml", body + testcases));
  CHECK(plain.platform == "openstack");
  CHECK(plain.testcases.at(0).platform == "openstack");
  const auto kube =
      scs::load_standard(scs::test::write_temp("kube.yaml", body + "platform: kubernetes\n" + testcases));
  CHECK(kube.platform == "kubernetes");
  CHECK(kube.testcases.at(0).platform == "kubernetes");
  CHECK_THROWS_WITH(
      scs::load_standard(scs::test::write_temp("vm.yaml", body + "platform: vmware\n" + testcases)),
      Catch::Matchers::Contains("vm.yaml:4: invalid platform 'vmware' (allowed: openstack, kubernetes)"));
}

// Found with the fuzz harness (tests/fuzz/spec_yaml.cpp): a parameter like 1e999 escaped as std::stod's
// std::out_of_range instead of a SpecError naming file and line.
TEST_CASE("a parameter number out of double's range is an error naming file and line", "[spec][standard]") {
  const std::string body =
      "standard: scs-0299\nname: Big\nurl: https://example.com/0299\n"
      "testcases:\n  - id: scs-0299-a\n    title: A\n    check: thing-present\n"
      "    params:\n      ratio: ";
  for (const char* number : {"1e999", "-1e999"}) {
    INFO(number);
    CHECK_THROWS_WITH(
        scs::load_standard(scs::test::write_temp("big.yaml", body + number + "\n")),
        Catch::Matchers::Contains("big.yaml:9: number ") && Catch::Matchers::Contains("out of range"));
  }
  CHECK(scs::load_standard(scs::test::write_temp("fine.yaml", body + "2.5e3\n"))
            .testcases.at(0)
            .params.at("ratio") == 2500.0);
}

// Found with the fuzz harness (tests/fuzz/spec_yaml.cpp, a hand-made input): parameters whose
// aliases expand to a billion values ran out of time and memory.
TEST_CASE("parameters that expand to too many values through aliases are an error", "[spec][standard]") {
  std::string text =
      "standard: scs-0299\nname: Laughs\nurl: https://example.com/0299\n"
      "testcases:\n  - id: scs-0299-a\n    title: A\n    check: thing-present\n"
      "    params:\n      l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 9; ++level) {
    text += "      l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i == 0 ? "*l" : ", *l") + std::to_string(level - 1);
    text += "]\n";
  }
  CHECK_THROWS_WITH(scs::load_standard(scs::test::write_temp("laughs.yaml", text)),
                    Catch::Matchers::Contains("laughs.yaml:") &&
                        Catch::Matchers::Contains("holds more than 100000 values (aliases?)"));
}
