#include "spec/yaml_strict.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs::yaml {
namespace {

bool all_of_chars(std::string_view text, int (*predicate)(int)) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [&](char c) { return predicate(static_cast<unsigned char>(c)) != 0; });
}

std::string_view strip_sign(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return text;
}

// YAML 1.2 core schema: [-+]?[0-9]+ (we leave 0o/0x forms as strings; nobody writes them here).
bool looks_like_int(std::string_view text) { return all_of_chars(strip_sign(text), isdigit); }

// YAML 1.2 core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool looks_like_float(std::string_view text) {
  text = strip_sign(text);
  const auto exponent = text.find_first_of("eE");
  const std::string_view mantissa = text.substr(0, exponent);
  if (exponent != std::string_view::npos && !looks_like_int(text.substr(exponent + 1))) return false;
  const auto dot = mantissa.find('.');
  if (dot == std::string_view::npos) return all_of_chars(mantissa, isdigit);
  const auto whole = mantissa.substr(0, dot);
  const auto fraction = mantissa.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  return (whole.empty() || all_of_chars(whole, isdigit)) &&
         (fraction.empty() || all_of_chars(fraction, isdigit));
}

}  // namespace

std::string_view kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

namespace {

/// Parses without building anything: only to count the documents.
class Discard final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
  }
  void OnMapEnd() override {}
};

}  // namespace

std::vector<YAML::Node> load_all(const std::string& text) {
  // Every real document but the first starts with "---" (4 bytes with its line break).
  const std::size_t most = text.size() / 4 + 2;
  std::stringstream stream(text);
  YAML::Parser parser(stream);
  Discard discard;
  for (std::size_t documents = 0; parser.HandleNextDocument(discard);) {
    if (++documents > most)
      throw YAML::ParserException(YAML::Mark::null_mark(), "a stray ',', ']' or '}' outside any collection");
  }
  return YAML::LoadAll(text);
}

YAML::Node Reader::load() const {
  std::string text;
  try {
    text = read_file(file_);
  } catch (const ConfigError&) {
    fail(0, "cannot read file");  // located like every spec problem: "<file>: cannot read file"
  }
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's what() repeats the position; the SpecError prefix already carries it.
    fail(e.mark.is_null() ? 0 : e.mark.line + 1, fmt::format("invalid YAML: {}", e.msg));
  }
}

int Reader::line_of(const YAML::Node& node, int fallback) {
  if (!node.IsDefined()) return fallback;
  const auto mark = node.Mark();
  return mark.is_null() ? fallback : mark.line + 1;
}

void Reader::fail(int line, const std::string& message) const { throw SpecError(file_, line, message); }

void Reader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                        std::string_view context) const {
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : map) {
    const int line = line_of(entry.first, line_of(map));
    if (!entry.first.IsScalar()) fail(line, fmt::format("non-string key {}", context));
    const std::string& key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(line, fmt::format("unknown key '{}' {} (allowed: {})", key, context, fmt::join(allowed, ", ")));
    }
    // yaml-cpp keeps both entries of a duplicated key but lookups see only the first; a
    // second `targets:` would silently vanish.
    if (!seen.insert(key).second) fail(line, fmt::format("duplicate key '{}' {}", key, context));
  }
}

std::vector<Field> Reader::entries(const YAML::Node& map, std::string_view what) const {
  std::vector<Field> result;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : map) {
    const int line = line_of(entry.first, line_of(map));
    const auto key = scalar(entry.first, line, fmt::format("a key of {}", what));
    if (!seen.insert(key).second) fail(line, fmt::format("duplicate key '{}' in {}", key, what));
    result.push_back({entry.first, entry.second, line});
  }
  return result;
}

std::optional<Field> Reader::find(const YAML::Node& map, std::string_view key) {
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      return Field{entry.first, entry.second, line_of(entry.first, line_of(map))};
    }
  }
  return std::nullopt;
}

void Reader::expect_map(const YAML::Node& node, int line, std::string_view what) const {
  if (!node.IsMap()) fail(line, fmt::format("expected a map for {}, found {}", what, kind_name(node)));
}

void Reader::expect_list(const YAML::Node& node, int line, std::string_view what) const {
  if (!node.IsSequence()) fail(line, fmt::format("expected a list for {}, found {}", what, kind_name(node)));
}

std::string Reader::scalar(const YAML::Node& node, int line, std::string_view what) const {
  if (!node.IsScalar()) fail(line, fmt::format("expected a string for {}, found {}", what, kind_name(node)));
  return node.Scalar();
}

std::string Reader::required_string(const YAML::Node& map, int map_line, std::string_view key,
                                    std::string_view context) const {
  const auto field = find(map, key);
  if (!field) fail(map_line, fmt::format("missing key '{}' {}", key, context));
  auto value = scalar(field->value, field->line, fmt::format("'{}' {}", key, context));
  if (value.empty()) fail(field->line, fmt::format("empty '{}' {}", key, context));
  return value;
}

std::optional<std::string> Reader::optional_string(const YAML::Node& map, std::string_view key,
                                                   std::string_view context) const {
  const auto field = find(map, key);
  if (!field) return std::nullopt;
  return scalar(field->value, field->line, fmt::format("'{}' {}", key, context));
}

std::optional<bool> Reader::optional_bool(const YAML::Node& map, std::string_view key,
                                          std::string_view context) const {
  const auto field = find(map, key);
  if (!field) return std::nullopt;
  const auto text = scalar(field->value, field->line, fmt::format("'{}' {}", key, context));
  if (text == "true") return true;
  if (text == "false") return false;
  fail(field->line, fmt::format("expected true or false for '{}' {}, found '{}'", key, context, text));
}

nlohmann::json Reader::to_json(const YAML::Node& node, int line, std::string_view what) const {
  std::size_t budget = max_json_values;
  return to_json(node, line, what, budget);
}

nlohmann::json Reader::to_json(const YAML::Node& node, int line, std::string_view what,
                               std::size_t& budget) const {
  line = line_of(node, line);
  if (budget == 0) fail(line, fmt::format("{} holds more than {} values (aliases?)", what, max_json_values));
  --budget;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Sequence: {
      auto array = nlohmann::json::array();
      for (const auto& item : node) array.push_back(to_json(item, line, what, budget));
      return array;
    }
    case YAML::NodeType::Map: {
      auto object = nlohmann::json::object();
      for (const auto& entry : node) {
        const int key_line = line_of(entry.first, line);
        const auto key = scalar(entry.first, key_line, fmt::format("a key in {}", what));
        if (object.contains(key)) fail(key_line, fmt::format("duplicate key '{}' in {}", key, what));
        object[key] = to_json(entry.second, key_line, what, budget);
      }
      return object;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  // yaml-cpp tags plain scalars "?" and quoted ones "!"; only plain ones get a type.
  if (node.Tag() != "?") return text;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (text == "null" || text == "Null" || text == "NULL" || text == "~") return nullptr;
  if (looks_like_int(text)) {
    std::int64_t value = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
      fail(line, fmt::format("integer {} out of range in {}", text, what));
    }
    return value;
  }
  if (looks_like_float(text)) {
    double value = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
      fail(line, fmt::format("number {} out of range in {}", text, what));
    }
    return value;
  }
  return text;
}

}  // namespace scs::yaml
