#include "cli/subjects_file.hpp"

#include <filesystem>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "spec/yaml_strict.hpp"

namespace scs {

namespace {

// A bundled scope by name ("scs-compatible-kaas"), else a path as given.
std::string scope_file(const std::string& scope, const std::string& standards_dir) {
  const auto bundled = std::filesystem::path(standards_dir) / "scopes" / (scope + ".yaml");
  std::error_code unreadable;  // a name too long for a file is no bundled scope either
  if (scope.find('/') == std::string::npos && std::filesystem::exists(bundled, unreadable))
    return bundled.string();
  return scope;
}

}  // namespace

std::vector<Subject> read_subjects(const std::string& file, const std::string& standards_dir) {
  const yaml::Reader reader(file);
  const auto root = reader.load();
  reader.expect_map(root, 1, "the subjects file");
  reader.check_keys(root, {"subjects"}, "at the top");
  const auto list = yaml::Reader::find(root, "subjects");
  if (!list) reader.fail(1, "no 'subjects' list");
  reader.expect_list(list->value, list->line, "'subjects'");
  std::vector<Subject> subjects;
  std::set<std::string> names;
  static const std::regex valid_name("[A-Za-z0-9._-]+");
  for (const auto& node : list->value) {
    const int line = yaml::Reader::line_of(node, list->line);
    reader.expect_map(node, line, "a subject");
    reader.check_keys(node,
                      {"name", "scopes", "os_cloud", "kubeconfig", "context", "replay", "read_only",
                       "version", "sign_key", "upload"},
                      "in a subject");
    Subject subject;
    subject.line = line;
    subject.name = reader.required_string(node, line, "name", "of a subject");
    const auto context = fmt::format("of subject '{}'", subject.name);
    if (!std::regex_match(subject.name, valid_name) || subject.name == "." || subject.name == "..")
      reader.fail(
          line, fmt::format("subject name '{}' is not of [A-Za-z0-9._-]+ (it names a folder)", subject.name));
    if (!names.insert(subject.name).second)
      reader.fail(line, fmt::format("subject '{}' given twice", subject.name));
    if (const auto scopes = yaml::Reader::find(node, "scopes")) {
      reader.expect_list(scopes->value, scopes->line, fmt::format("'scopes' {}", context));
      for (const auto& scope : scopes->value)
        subject.scopes.push_back(scope_file(reader.scalar(scope, scopes->line, "a scope"), standards_dir));
    }
    if (subject.scopes.empty()) subject.scopes.push_back(scope_file("scs-compatible-iaas", standards_dir));
    for (const auto& scope : subject.scopes) {
      std::error_code unreadable;
      if (!std::filesystem::exists(scope, unreadable))
        reader.fail(line, fmt::format("scope file {} {} does not exist", scope, context));
    }
    subject.os_cloud = reader.optional_string(node, "os_cloud", context);
    subject.kubeconfig = reader.optional_string(node, "kubeconfig", context);
    subject.context = reader.optional_string(node, "context", context);
    subject.replay = reader.optional_string(node, "replay", context);
    subject.version = reader.optional_string(node, "version", context);
    subject.sign_key = reader.optional_string(node, "sign_key", context);
    subject.upload = reader.optional_string(node, "upload", context);
    if (subject.upload == "false") subject.upload.reset();
    subject.read_only = reader.optional_bool(node, "read_only", context).value_or(false);
    subjects.push_back(std::move(subject));
  }
  if (subjects.empty()) reader.fail(list->line, "'subjects' is empty");
  return subjects;
}

}  // namespace scs
