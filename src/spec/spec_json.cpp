#include "spec/spec_json.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace scs {

namespace {

using json = nlohmann::json;
using Targets = std::vector<std::pair<std::string, std::vector<std::string>>>;

[[noreturn]] void wrong_shape(std::string_view key, std::string_view expected) {
  throw std::invalid_argument(fmt::format("'{}' is not {}", key, expected));
}

const json& member(const json& object, std::string_view key) {
  if (!object.is_object()) throw std::invalid_argument(fmt::format("no object around '{}'", key));
  const auto it = object.find(key);
  if (it == object.end()) throw std::invalid_argument(fmt::format("'{}' is missing", key));
  return *it;
}

std::string string_at(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_string()) wrong_shape(key, "a string");
  return value.get<std::string>();
}

std::optional<std::string> optional_string_at(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (value.is_null()) return std::nullopt;
  if (!value.is_string()) wrong_shape(key, "a string or null");
  return value.get<std::string>();
}

bool bool_at(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_boolean()) wrong_shape(key, "a boolean");
  return value.get<bool>();
}

int int_at(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_number_integer()) wrong_shape(key, "an integer");
  const auto number = value.get<std::int64_t>();
  if (number < 0 || number > std::numeric_limits<int>::max()) wrong_shape(key, "a line number");
  return static_cast<int>(number);
}

const json& array_at(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_array()) wrong_shape(key, "a list");
  return value;
}

std::vector<std::string> strings(const json& array, std::string_view key) {
  if (!array.is_array()) wrong_shape(key, "a list");
  std::vector<std::string> result;
  result.reserve(array.size());
  for (const auto& item : array) {
    if (!item.is_string()) wrong_shape(key, "a list of strings");
    result.push_back(item.get<std::string>());
  }
  return result;
}

std::map<std::string, std::string> string_map_at(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_object()) wrong_shape(key, "a map");
  std::map<std::string, std::string> result;
  for (const auto& [name, text] : value.items()) {
    if (!text.is_string()) wrong_shape(key, "a map of strings");
    result.emplace(name, text.get<std::string>());
  }
  return result;
}

template <class T>
std::vector<T> list_at(const json& object, std::string_view key) {
  std::vector<T> result;
  const auto& array = array_at(object, key);
  result.reserve(array.size());
  for (const auto& item : array) from_json(item, result.emplace_back());
  return result;
}

// Targets keep their file order, so a list of [name, [ids]] rather than a map.
json targets_to_json(const Targets& targets) {
  auto array = json::array();
  for (const auto& [name, ids] : targets) array.push_back(json::array({name, ids}));
  return array;
}

Targets targets_at(const json& object, std::string_view key) {
  Targets targets;
  for (const auto& item : array_at(object, key)) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_string())
      wrong_shape(key, "a list of [name, ids]");
    targets.emplace_back(item[0].get<std::string>(), strings(item[1], key));
  }
  return targets;
}

// The YAML reader makes every integer a signed one; JSON text reads non-negative ones back as
// unsigned. Signed again, the params compare and behave as loaded from YAML.
json yaml_numbers(json value) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      wrong_shape("params", "what the YAML reader makes (an integer beyond int64)");
    return static_cast<std::int64_t>(number);
  }
  if (value.is_structured()) {
    for (auto& item : value) item = yaml_numbers(std::move(item));
  }
  return value;
}

}  // namespace

void to_json(json& out, const SourceLocation& location) {
  out = {{"file", location.file}, {"line", location.line}};
}

void from_json(const json& in, SourceLocation& location) {
  location.file = string_at(in, "file");
  location.line = int_at(in, "line");
}

void to_json(json& out, const TestcaseBinding& binding) {
  out = {{"id", binding.id},
         {"standard", binding.standard},
         {"title", binding.title},
         {"description", binding.description},
         {"url", binding.url},
         {"check", binding.check},
         {"params", binding.params},
         {"remediation", binding.remediation},
         {"required_role", binding.required_role},
         {"creates_resources", binding.creates_resources},
         {"platform", binding.platform},
         {"source", binding.source}};
}

void from_json(const json& in, TestcaseBinding& binding) {
  binding.id = string_at(in, "id");
  binding.standard = string_at(in, "standard");
  binding.title = string_at(in, "title");
  binding.description = string_at(in, "description");
  binding.url = string_at(in, "url");
  binding.check = string_at(in, "check");
  binding.params = yaml_numbers(member(in, "params"));
  if (!binding.params.is_object()) wrong_shape("params", "a map");
  binding.remediation = string_at(in, "remediation");
  binding.required_role = string_at(in, "required_role");
  binding.creates_resources = bool_at(in, "creates_resources");
  binding.platform = string_at(in, "platform");
  from_json(member(in, "source"), binding.source);
}

void to_json(json& out, const Standard& standard) {
  out = {{"id", standard.id},
         {"name", standard.name},
         {"url", standard.url},
         {"platform", standard.platform},
         {"testcases", standard.testcases},
         {"source", standard.source}};
}

void from_json(const json& in, Standard& standard) {
  standard.id = string_at(in, "id");
  standard.name = string_at(in, "name");
  standard.url = string_at(in, "url");
  standard.platform = string_at(in, "platform");
  standard.testcases = list_at<TestcaseBinding>(in, "testcases");
  from_json(member(in, "source"), standard.source);
}

void to_json(json& out, const ScopeTestcase& testcase) {
  out = {{"id", testcase.id},
         {"description", testcase.description},
         {"url", testcase.url},
         {"lifetime", testcase.lifetime},
         {"section", testcase.section ? json(*testcase.section) : json(nullptr)},
         {"manual", testcase.manual},
         {"source", testcase.source}};
}

void from_json(const json& in, ScopeTestcase& testcase) {
  testcase.id = string_at(in, "id");
  testcase.description = string_at(in, "description");
  testcase.url = string_at(in, "url");
  testcase.lifetime = string_at(in, "lifetime");
  testcase.section = optional_string_at(in, "section");
  testcase.manual = bool_at(in, "manual");
  from_json(member(in, "source"), testcase.source);
}

void to_json(json& out, const ScopeModule& module) {
  out = {{"id", module.id},
         {"name", module.name},
         {"url", module.url},
         {"parameters", module.parameters},
         {"targets", targets_to_json(module.targets)},
         {"source", module.source}};
}

void from_json(const json& in, ScopeModule& module) {
  module.id = string_at(in, "id");
  module.name = string_at(in, "name");
  module.url = string_at(in, "url");
  module.parameters = string_map_at(in, "parameters");
  module.targets = targets_at(in, "targets");
  from_json(member(in, "source"), module.source);
}

void to_json(json& out, const ScopeInclude& include) {
  out = {{"module", include.module}, {"parameters", include.parameters}};
}

void from_json(const json& in, ScopeInclude& include) {
  include.module = string_at(in, "module");
  include.parameters = string_map_at(in, "parameters");
}

void to_json(json& out, const ScopeVersion& version) {
  out = {{"name", version.name},
         {"includes", version.includes},
         {"stabilized_at", version.stabilized_at ? json(*version.stabilized_at) : json(nullptr)},
         {"targets", targets_to_json(version.targets)},
         {"source", version.source}};
}

void from_json(const json& in, ScopeVersion& version) {
  version.name = string_at(in, "name");
  version.includes = list_at<ScopeInclude>(in, "includes");
  version.stabilized_at = optional_string_at(in, "stabilized_at");
  version.targets = targets_at(in, "targets");
  from_json(member(in, "source"), version.source);
}

void to_json(json& out, const TimelineEntry& entry) {
  out = {{"date", entry.date}, {"versions", entry.versions}};
}

void from_json(const json& in, TimelineEntry& entry) {
  entry.date = string_at(in, "date");
  entry.versions = string_map_at(in, "versions");
}

void to_json(json& out, const Scope& scope) {
  out = {{"uuid", scope.uuid},
         {"name", scope.name},
         {"url", scope.url},
         {"variables", scope.variables},
         {"var_defaults", scope.var_defaults},
         {"testcases", scope.testcases},
         {"modules", scope.modules},
         {"versions", scope.versions},
         {"timeline", scope.timeline},
         {"file", scope.file}};
}

void from_json(const json& in, Scope& scope) {
  scope.uuid = string_at(in, "uuid");
  scope.name = string_at(in, "name");
  scope.url = string_at(in, "url");
  scope.variables = strings(member(in, "variables"), "variables");
  scope.var_defaults = string_map_at(in, "var_defaults");
  scope.testcases = list_at<ScopeTestcase>(in, "testcases");
  scope.modules = list_at<ScopeModule>(in, "modules");
  scope.versions = list_at<ScopeVersion>(in, "versions");
  scope.timeline = list_at<TimelineEntry>(in, "timeline");
  scope.file = string_at(in, "file");
}

}  // namespace scs
