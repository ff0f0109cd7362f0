#include "checks/kaas/e2e_results.hpp"

#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/errors.hpp"

namespace scs::checks::kaas {

namespace {

void collect(const YAML::Node& node, std::vector<TestOutcome>& out) {
  const auto items = node["items"];
  if (items && items.IsSequence() && items.size() > 0) {
    for (const auto& item : items) collect(item, out);
    return;
  }
  TestOutcome test;
  test.name = node["name"] ? node["name"].as<std::string>() : std::string("?");
  const auto status = node["status"] ? node["status"].as<std::string>() : std::string();
  test.status = status == "passed"   ? TestStatus::passed
                : status == "failed" ? TestStatus::failed
                                     : TestStatus::skipped;
  out.push_back(std::move(test));
}

std::string unescape_xml(std::string text) {
  static const std::vector<std::pair<std::string, std::string>> entities{
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + plain.size()))
      text.replace(at, entity.size(), plain);
  }
  return text;
}

}  // namespace

std::vector<OkToFailRule> parse_ok_to_fail(const std::string& yaml_text, const std::string& source) {
  std::vector<OkToFailRule> rules;
  try {
    const auto root = YAML::Load(yaml_text);
    const auto list = root["okToFail"];
    if (!root.IsMap() || !list || !list.IsSequence())
      throw ConfigError(fmt::format("{}: expected a map with an 'okToFail' list", source));
    for (const auto& item : list) {
      OkToFailRule rule;
      if (item["regex"]) rule.regex = item["regex"].as<std::string>();
      if (item["reason"]) rule.reason = item["reason"].as<std::string>();
      if (rule.regex.empty() || rule.reason.empty())
        throw ConfigError(fmt::format("{}: every okToFail entry needs a non-empty regex and reason", source));
      try {
        std::regex check(rule.regex);
      } catch (const std::regex_error&) {
        throw ConfigError(fmt::format("{}: invalid okToFail regex '{}'", source, rule.regex));
      }
      rules.push_back(std::move(rule));
    }
  } catch (const YAML::Exception& error) {
    throw ConfigError(fmt::format("{}: not valid YAML: {}", source, error.what()));
  }
  return rules;
}

std::vector<TestOutcome> parse_sonobuoy_results(const std::string& yaml_text, const std::string& source) {
  std::vector<TestOutcome> tests;
  try {
    const auto root = YAML::Load(yaml_text);
    if (!root.IsMap() || !root["items"] || !root["items"].IsSequence())
      throw Error(fmt::format("{} has no 'items' tree", source));
    collect(root, tests);
  } catch (const YAML::Exception& error) {
    throw Error(fmt::format("{} is not valid YAML: {}", source, error.what()));
  }
  return tests;
}

std::vector<TestOutcome> parse_junit(const std::string& xml_text, const std::string& source) {
  if (xml_text.find("<testsuite") == std::string::npos)
    throw Error(fmt::format("{} holds no <testsuite>", source));
  std::vector<TestOutcome> tests;
  static const std::regex testcase(R"(<testcase\b([^>]*?)(/>|>))");
  static const std::regex name_attribute(R"re(\bname="([^"]*)")re");
  for (auto it = std::sregex_iterator(xml_text.begin(), xml_text.end(), testcase);
       it != std::sregex_iterator(); ++it) {
    const auto& match = *it;
    const std::string attributes = match[1].str();
    std::smatch name;
    TestOutcome test;
    test.name = std::regex_search(attributes, name, name_attribute) ? unescape_xml(name[1].str()) : "?";
    test.status = TestStatus::passed;
    if (match[2].str() == ">") {
      const auto body_start = static_cast<std::size_t>(match.position(0) + match.length(0));
      const auto body_end = xml_text.find("</testcase>", body_start);
      const auto body = xml_text.substr(
          body_start, body_end == std::string::npos ? std::string::npos : body_end - body_start);
      if (body.find("<failure") != std::string::npos || body.find("<error") != std::string::npos)
        test.status = TestStatus::failed;
      else if (body.find("<skipped") != std::string::npos)
        test.status = TestStatus::skipped;
    }
    tests.push_back(std::move(test));
  }
  return tests;
}

SuiteSummary classify(const std::vector<TestOutcome>& tests, const std::vector<OkToFailRule>& rules) {
  std::vector<std::regex> compiled;
  for (const auto& rule : rules) compiled.emplace_back(rule.regex);
  SuiteSummary summary;
  for (const auto& test : tests) {
    if (test.status == TestStatus::passed) {
      ++summary.passed;
    } else if (test.status == TestStatus::skipped) {
      ++summary.skipped;
    } else {
      std::size_t index = 0;
      while (index < compiled.size() && !std::regex_search(test.name, compiled[index])) ++index;
      if (index < compiled.size())
        summary.failed_ok.emplace_back(test.name, rules[index].reason);
      else
        summary.failed.push_back(test.name);
    }
  }
  return summary;
}

}  // namespace scs::checks::kaas
