// Loads our standard files (standards/scs-NNNN-*.yaml): how each upstream testcase id is
// implemented — the check it binds to, its params, and the texts a provider reads.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>

#include "core/errors.hpp"
#include "spec/spec.hpp"
#include "spec/yaml_strict.hpp"

namespace scs {
namespace {

// Keystone's default roles; a check that needs more than `member` says so, and the runner can
// refuse early instead of aborting halfway.
constexpr std::array<std::string_view, 4> kRoles{"reader", "member", "manager", "admin"};

TestcaseBinding parse_binding(const yaml::Reader& reader, const YAML::Node& node, int list_line,
                              const Standard& standard) {
  const int line = yaml::Reader::line_of(node, list_line);
  reader.expect_map(node, line, "a testcase");
  const auto id_field = yaml::Reader::find(node, "id");
  const std::string context = id_field && id_field->value.IsScalar()
                                  ? fmt::format("in testcase '{}'", id_field->value.Scalar())
                                  : std::string("in a testcase");
  reader.check_keys(node,
                    {"id", "title", "check", "params", "description", "remediation", "url", "required_role",
                     "creates_resources"},
                    context);
  TestcaseBinding binding;
  binding.id = reader.required_string(node, line, "id", context);
  binding.standard = standard.id;
  binding.title = reader.required_string(node, line, "title", context);
  binding.check = reader.required_string(node, line, "check", context);
  binding.description = reader.optional_string(node, "description", context).value_or("");
  binding.remediation = reader.optional_string(node, "remediation", context).value_or("");
  binding.url = reader.optional_string(node, "url", context).value_or(standard.url);
  binding.params = nlohmann::json::object();
  if (const auto params = yaml::Reader::find(node, "params")) {
    const auto what = fmt::format("'params' {}", context);
    // An empty `params:` means "no params", like `params: {}`.
    if (!params->value.IsNull()) {
      reader.expect_map(params->value, params->line, what);
      binding.params = reader.to_json(params->value, params->line, what);
    }
  }
  if (const auto role = reader.optional_string(node, "required_role", context)) {
    if (std::find(kRoles.begin(), kRoles.end(), *role) == kRoles.end()) {
      reader.fail(yaml::Reader::find(node, "required_role")->line,
                  fmt::format("invalid required_role '{}' {} (allowed: {})", *role, context,
                              fmt::join(kRoles, ", ")));
    }
    binding.required_role = *role;
  }
  binding.creates_resources = reader.optional_bool(node, "creates_resources", context).value_or(false);
  binding.source = {reader.file(), line};
  return binding;
}

Standard parse_standard(const std::string& path) {
  const yaml::Reader reader(path);
  const auto root = reader.load();
  reader.expect_map(root, 1, "the standard");
  const int line = yaml::Reader::line_of(root, 1);
  constexpr std::string_view top = "at top level";
  reader.check_keys(root, {"standard", "name", "url", "platform", "testcases"}, top);
  Standard standard;
  standard.id = reader.required_string(root, line, "standard", top);
  standard.name = reader.required_string(root, line, "name", top);
  standard.url = reader.required_string(root, line, "url", top);
  standard.source = {path, line};
  if (const auto platform = reader.optional_string(root, "platform", top)) {
    if (*platform != "openstack" && *platform != "kubernetes") {
      reader.fail(yaml::Reader::find(root, "platform")->line,
                  fmt::format("invalid platform '{}' (allowed: openstack, kubernetes)", *platform));
    }
    standard.platform = *platform;
  }
  const auto testcases = yaml::Reader::find(root, "testcases");
  if (!testcases) reader.fail(line, "missing key 'testcases' at top level");
  reader.expect_list(testcases->value, testcases->line, "'testcases'");
  for (const auto& node : testcases->value) {
    auto binding = parse_binding(reader, node, testcases->line, standard);
    binding.platform = standard.platform;
    const auto duplicate = std::find_if(standard.testcases.begin(), standard.testcases.end(),
                                        [&](const auto& t) { return t.id == binding.id; });
    if (duplicate != standard.testcases.end()) {
      reader.fail(binding.source.line, fmt::format("duplicate testcase id '{}' (first defined at line {})",
                                                   binding.id, duplicate->source.line));
    }
    standard.testcases.push_back(std::move(binding));
  }
  return standard;
}

}  // namespace

Standard load_standard(const std::string& path) {
  try {
    return parse_standard(path);
  } catch (const YAML::Exception& e) {
    // Node access after a successful parse should not throw; if yaml-cpp does, stay located.
    throw SpecError(path, e.mark.is_null() ? 0 : e.mark.line + 1, e.msg);
  }
}

std::vector<Standard> load_standards(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(directory, error)) throw SpecError(directory, 0, "not a directory");
  // Only files directly in the directory: scopes/ holds scope files in another format.
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename() < b.filename(); });

  std::vector<Standard> standards;
  std::map<std::string, SourceLocation, std::less<>> seen;
  for (const auto& file : files) {
    auto standard = load_standard(file.string());
    for (const auto& binding : standard.testcases) {
      const auto [it, inserted] = seen.emplace(binding.id, binding.source);
      if (!inserted) {
        throw SpecError(binding.source.file, binding.source.line,
                        fmt::format("duplicate testcase id '{}' (also defined at {}:{})", binding.id,
                                    it->second.file, it->second.line));
      }
    }
    standards.push_back(std::move(standard));
  }
  return standards;
}

}  // namespace scs
