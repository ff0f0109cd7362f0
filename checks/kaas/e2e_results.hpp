#pragma once

// Results of an upstream e2e run (Sonobuoy's sonobuoy_results.yaml, a JUnit file such as
// Hydrophone's junit_01.xml) and SCS's okToFail rules over them.

#include <string>
#include <vector>

namespace scs::checks::kaas {

struct OkToFailRule {
  std::string regex;   // searched in the test's name (like Python's re.search)
  std::string reason;  // why SCS tolerates the failure
};

/// Reads `okToFail: [{regex, reason}]` (the format of the official scs-sonobuoy-config);
/// ConfigError naming `source` on anything else or on an invalid regex.
std::vector<OkToFailRule> parse_ok_to_fail(const std::string& yaml_text, const std::string& source);

enum class TestStatus { passed, failed, skipped };

struct TestOutcome {
  std::string name;
  TestStatus status = TestStatus::skipped;
};

/// The leaves of Sonobuoy's results tree (items → items → …); a leaf without status is skipped.
/// Error when the text is no such tree.
std::vector<TestOutcome> parse_sonobuoy_results(const std::string& yaml_text, const std::string& source);

/// The <testcase> elements of a JUnit XML file: <failure>/<error> inside → failed,
/// <skipped> → skipped, else passed. Error when there is no <testsuite>.
std::vector<TestOutcome> parse_junit(const std::string& xml_text, const std::string& source);

struct SuiteSummary {
  std::size_t passed = 0;
  std::size_t skipped = 0;
  std::vector<std::string> failed;                             // real failures
  std::vector<std::pair<std::string, std::string>> failed_ok;  // test, the rule's reason
};

SuiteSummary classify(const std::vector<TestOutcome>& tests, const std::vector<OkToFailRule>& rules);

}  // namespace scs::checks::kaas
