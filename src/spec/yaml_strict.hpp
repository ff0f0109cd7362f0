#pragma once

// Strict reading of hand-written YAML: every problem becomes a SpecError "file:line: message",
// so a typo in a scope or standard file is reported where it is, not as a missing testcase later.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace scs::yaml {

/// YAML::LoadAll, guarded: yaml-cpp 0.7's LoadAll never returns on a stray flow indicator at
/// the top level (`"",` or `,`): it adds empty documents until memory runs out. Such text is a
/// YAML::ParserException here, like any other malformed YAML.
std::vector<YAML::Node> load_all(const std::string& text);

/// One `key: value` pair of a map, kept together so that errors about the value can point at
/// the key's line (yaml-cpp marks an empty value at the *next* token).
struct Field {
  YAML::Node key;
  YAML::Node value;
  int line = 0;  // 1-based line of the key
};

/// Reads nodes of one file; all errors carry that file name.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  /// Parses the whole file; unreadable files and syntax errors become SpecError (with the line
  /// yaml-cpp reports).
  [[nodiscard]] YAML::Node load() const;

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] static int line_of(const YAML::Node& node, int fallback = 0);

  [[noreturn]] void fail(int line, const std::string& message) const;

  /// Rejects keys outside `allowed`, non-scalar keys and duplicate keys. `context` completes the
  /// message: "in module 'scs-0100-v3.1'".
  void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  std::string_view context) const;

  /// All pairs of a free-form map (targets, parameters, …) in file order; keys must be distinct
  /// strings. `what` names the map: "'targets' in module 'x'".
  [[nodiscard]] std::vector<Field> entries(const YAML::Node& map, std::string_view what) const;

  /// The field named `key`, if present (an empty value counts as present).
  [[nodiscard]] static std::optional<Field> find(const YAML::Node& map, std::string_view key);

  /// `node` must be a map / a list; `what` names it: "'targets' in module 'x'".
  void expect_map(const YAML::Node& node, int line, std::string_view what) const;
  void expect_list(const YAML::Node& node, int line, std::string_view what) const;

  /// A scalar as written (dates stay "2024-02-28"); anything else is an error.
  [[nodiscard]] std::string scalar(const YAML::Node& node, int line, std::string_view what) const;

  [[nodiscard]] std::string required_string(const YAML::Node& map, int map_line, std::string_view key,
                                            std::string_view context) const;
  [[nodiscard]] std::optional<std::string> optional_string(const YAML::Node& map, std::string_view key,
                                                           std::string_view context) const;
  [[nodiscard]] std::optional<bool> optional_bool(const YAML::Node& map, std::string_view key,
                                                  std::string_view context) const;

  /// YAML → JSON with YAML 1.2 core-schema scalars: plain `true`/`false` → bool, plain integers →
  /// int, plain decimals → double, `~`/`null`/empty → null, quoted or anything else → string.
  [[nodiscard]] nlohmann::json to_json(const YAML::Node& node, int line, std::string_view what) const;

  /// More values than this in one to_json is an error: YAML aliases can make a few lines
  /// expand to billions of values ("billion laughs").
  static constexpr std::size_t max_json_values = 100'000;

 private:
  nlohmann::json to_json(const YAML::Node& node, int line, std::string_view what, std::size_t& budget) const;

  std::string file_;
};

/// "a map", "a list", "a string", "nothing": for "expected a list, found a string".
[[nodiscard]] std::string_view kind_name(const YAML::Node& node);

}  // namespace scs::yaml
