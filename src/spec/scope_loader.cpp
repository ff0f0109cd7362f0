// Loads a certificate scope in the upstream SCS format (scs-0003-v1,
// https://docs.scs.community/standards/scs-0003-v1-sovereign-cloud-standards-yaml).
//
// The keys allowed per context are exactly those the official checker accepts, so the official
// scope files load unchanged. Beyond the official checker we also reject what it would only
// stumble over later (or never notice): dangling references, duplicate ids, bad dates, unknown
// validity codes, unassigned or misspelt module parameters.

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/errors.hpp"
#include "spec/spec.hpp"
#include "spec/yaml_strict.hpp"

namespace scs {
namespace {

using Targets = std::vector<std::pair<std::string, std::vector<std::string>>>;

constexpr std::array<std::string_view, 5> kLifetimes{"day", "week", "month", "quarter", "year"};
constexpr std::array<std::string_view, 4> kValidities{"effective", "warn", "deprecated", "draft"};

template <class Range>
bool contains(const Range& range, std::string_view value) {
  return std::find(range.begin(), range.end(), value) != range.end();
}

// Adds `ids` to the target called `name`, keeping first-seen order and dropping repeats: a
// version's targets are the union over its modules (scs-0003-v1, "Basic concepts").
void merge_target(Targets& targets, const std::string& name, const std::vector<std::string>& ids) {
  auto it = std::find_if(targets.begin(), targets.end(), [&](const auto& t) { return t.first == name; });
  if (it == targets.end()) it = targets.insert(targets.end(), {name, {}});
  for (const auto& id : ids) {
    if (!contains(it->second, id)) it->second.push_back(id);
  }
}

class ScopeParser {
 public:
  explicit ScopeParser(const std::string& path) : reader_(path) { scope_.file = path; }

  Scope parse() {
    const auto root = reader_.load();
    reader_.expect_map(root, 1, "the scope");
    const int line = yaml::Reader::line_of(root, 1);
    constexpr std::string_view top = "at top level";
    reader_.check_keys(
        root,
        {"uuid", "name", "url", "versions", "prerequisite", "variables", "scripts", "modules", "timeline"},
        top);
    scope_.uuid = reader_.required_string(root, line, "uuid", top);
    scope_.name = reader_.required_string(root, line, "name", top);
    scope_.url = reader_.required_string(root, line, "url", top);
    // `prerequisite` is accepted (scs-0003 defines it) but, as in the official checker, unused.
    if (const auto variables = yaml::Reader::find(root, "variables")) parse_variables(*variables);
    // Order matters: testcases before the modules that name them, modules before versions,
    // versions before the timeline.
    parse_scripts(required(root, line, "scripts", top));
    parse_modules(required(root, line, "modules", top));
    parse_versions(required(root, line, "versions", top));
    parse_timeline(required(root, line, "timeline", top));
    return std::move(scope_);
  }

 private:
  yaml::Field required(const YAML::Node& map, int line, std::string_view key,
                       std::string_view context) const {
    auto field = yaml::Reader::find(map, key);
    if (!field) reader_.fail(line, fmt::format("missing key '{}' {}", key, context));
    return *field;
  }

  // Entries are names (required) or single-key maps {name: default}.
  void parse_variables(const yaml::Field& field) {
    reader_.expect_list(field.value, field.line, "'variables'");
    std::vector<std::string> seen;
    for (const auto& item : field.value) {
      const int line = yaml::Reader::line_of(item, field.line);
      std::string name;
      if (item.IsMap()) {
        if (item.size() != 1)
          reader_.fail(line, "a variable with a default must be a map with exactly one key");
        const auto entry = reader_.entries(item, "'variables'").front();
        name = reader_.scalar(entry.key, line, "a variable name");
        scope_.var_defaults[name] =
            reader_.scalar(entry.value, line, fmt::format("the default of variable '{}'", name));
      } else {
        name = reader_.scalar(item, line, "a variable name");
        scope_.variables.push_back(name);
      }
      if (name.empty()) reader_.fail(line, "empty variable name");
      if (contains(seen, name)) reader_.fail(line, fmt::format("variable '{}' declared twice", name));
      seen.push_back(name);
    }
  }

  void parse_scripts(const yaml::Field& field) {
    reader_.expect_list(field.value, field.line, "'scripts'");
    std::size_t index = 0;
    for (const auto& script : field.value) {
      ++index;
      const int line = yaml::Reader::line_of(script, field.line);
      reader_.expect_map(script, line, fmt::format("script #{}", index));
      const auto executable = yaml::Reader::find(script, "executable");
      const std::string context = executable && executable->value.IsScalar()
                                      ? fmt::format("in script '{}'", executable->value.Scalar())
                                      : fmt::format("in script #{}", index);
      reader_.check_keys(script, {"executable", "env", "args", "testcases"}, context);
      // Executable and args matter only to the official checker (it runs them as processes); we
      // validate their shape and run the testcases in-process.
      if (executable)
        (void)reader_.scalar(executable->value, executable->line, fmt::format("'executable' {}", context));
      (void)reader_.optional_string(script, "args", context);
      if (const auto env = yaml::Reader::find(script, "env")) {
        reader_.expect_map(env->value, env->line, fmt::format("'env' {}", context));
        for (const auto& entry : reader_.entries(env->value, fmt::format("'env' {}", context))) {
          (void)reader_.scalar(entry.value, entry.line, fmt::format("'env' {}", context));
        }
      }
      const auto testcases = required(script, line, "testcases", context);
      reader_.expect_list(testcases.value, testcases.line, fmt::format("'testcases' {}", context));
      // A script without executable lists manual checks: never run, always MISSING in a run.
      for (const auto& testcase : testcases.value) parse_testcase(testcase, testcases.line, !executable);
    }
  }

  void parse_testcase(const YAML::Node& node, int list_line, bool manual) {
    const int line = yaml::Reader::line_of(node, list_line);
    reader_.expect_map(node, line, "a testcase");
    const auto id_field = yaml::Reader::find(node, "id");
    const std::string context = id_field && id_field->value.IsScalar()
                                    ? fmt::format("in testcase '{}'", id_field->value.Scalar())
                                    : std::string("in a testcase");
    reader_.check_keys(node, {"id", "description", "url", "lifetime", "section"}, context);
    ScopeTestcase testcase;
    testcase.id = reader_.required_string(node, line, "id", context);
    testcase.description = reader_.optional_string(node, "description", context).value_or("");
    testcase.url = reader_.optional_string(node, "url", context).value_or("");
    if (const auto lifetime = yaml::Reader::find(node, "lifetime")) {
      testcase.lifetime =
          reader_.scalar(lifetime->value, lifetime->line, fmt::format("'lifetime' {}", context));
      if (!contains(kLifetimes, testcase.lifetime)) {
        reader_.fail(lifetime->line, fmt::format("invalid lifetime '{}' {} (allowed: {})", testcase.lifetime,
                                                 context, fmt::join(kLifetimes, ", ")));
      }
    }
    testcase.section = reader_.optional_string(node, "section", context);
    testcase.manual = manual;
    testcase.source = {reader_.file(), line};
    if (const auto* first = scope_.testcase(testcase.id)) {
      reader_.fail(line, fmt::format("duplicate testcase id '{}' (first defined at line {})", testcase.id,
                                     first->source.line));
    }
    scope_.testcases.push_back(std::move(testcase));
  }

  void parse_modules(const yaml::Field& field) {
    reader_.expect_list(field.value, field.line, "'modules'");
    for (const auto& node : field.value) {
      const int line = yaml::Reader::line_of(node, field.line);
      reader_.expect_map(node, line, "a module");
      const auto id_field = yaml::Reader::find(node, "id");
      const std::string context = id_field && id_field->value.IsScalar()
                                      ? fmt::format("in module '{}'", id_field->value.Scalar())
                                      : std::string("in a module");
      reader_.check_keys(node, {"id", "name", "url", "parameters", "targets"}, context);
      ScopeModule module;
      module.id = reader_.required_string(node, line, "id", context);
      module.name = reader_.optional_string(node, "name", context).value_or("");
      module.url = reader_.optional_string(node, "url", context).value_or("");
      module.source = {reader_.file(), line};
      if (const auto parameters = yaml::Reader::find(node, "parameters")) {
        parse_module_parameters(*parameters, context, module);
      }
      // scs-0003 calls `targets` required, yet the official IaaS scope omits it for a module
      // without automated testcases (opc-v2022.11); absent means no targets.
      if (const auto targets = yaml::Reader::find(node, "targets")) {
        module.targets = parse_targets(*targets, fmt::format("module '{}'", module.id));
      }
      const auto duplicate = std::find_if(scope_.modules.begin(), scope_.modules.end(),
                                          [&](const auto& m) { return m.id == module.id; });
      if (duplicate != scope_.modules.end()) {
        reader_.fail(line, fmt::format("duplicate module id '{}' (first defined at line {})", module.id,
                                       duplicate->source.line));
      }
      scope_.modules.push_back(std::move(module));
    }
  }

  // The official scope writes a map {name: description}; scs-0003's table says "list of names".
  // Both are accepted.
  void parse_module_parameters(const yaml::Field& field, const std::string& context,
                               ScopeModule& module) const {
    const auto what = fmt::format("'parameters' {}", context);
    if (field.value.IsSequence()) {
      for (const auto& item : field.value) {
        const auto name = reader_.scalar(item, yaml::Reader::line_of(item, field.line), what);
        if (!module.parameters.emplace(name, "").second) {
          reader_.fail(yaml::Reader::line_of(item, field.line),
                       fmt::format("duplicate parameter '{}' {}", name, context));
        }
      }
      return;
    }
    reader_.expect_map(field.value, field.line, what);
    for (const auto& entry : reader_.entries(field.value, what)) {
      module.parameters[entry.key.Scalar()] = reader_.scalar(entry.value, entry.line, what);
    }
  }

  // `owner` is "module 'x'" or "version 'y'".
  Targets parse_targets(const yaml::Field& field, const std::string& owner) const {
    const auto what = fmt::format("'targets' of {}", owner);
    reader_.expect_map(field.value, field.line, what);
    Targets targets;
    for (const auto& entry : reader_.entries(field.value, what)) {
      const auto& name = entry.key.Scalar();
      const auto target_what = fmt::format("target '{}' of {}", name, owner);
      reader_.expect_list(entry.value, entry.line, target_what);
      std::vector<std::string> ids;
      for (const auto& item : entry.value) {
        const int line = yaml::Reader::line_of(item, entry.line);
        auto id = reader_.scalar(item, line, fmt::format("a testcase id in {}", target_what));
        if (scope_.testcase(id) == nullptr) {
          reader_.fail(line, fmt::format("{} names unknown testcase '{}'", target_what, id));
        }
        if (contains(ids, id))
          reader_.fail(line, fmt::format("{} lists testcase '{}' twice", target_what, id));
        ids.push_back(std::move(id));
      }
      targets.emplace_back(name, std::move(ids));
    }
    return targets;
  }

  void parse_versions(const yaml::Field& field) {
    reader_.expect_list(field.value, field.line, "'versions'");
    for (const auto& node : field.value) {
      const int line = yaml::Reader::line_of(node, field.line);
      reader_.expect_map(node, line, "a version");
      const auto name_field = yaml::Reader::find(node, "version");
      const std::string context = name_field && name_field->value.IsScalar()
                                      ? fmt::format("in version '{}'", name_field->value.Scalar())
                                      : std::string("in a version");
      reader_.check_keys(node, {"version", "include", "targets", "stabilized_at"}, context);
      ScopeVersion version;
      version.name = reader_.required_string(node, line, "version", context);
      version.source = {reader_.file(), line};
      if (scope_.version(version.name) != nullptr) {
        reader_.fail(line, fmt::format("duplicate version '{}'", version.name));
      }
      if (const auto stabilized = yaml::Reader::find(node, "stabilized_at")) {
        version.stabilized_at = date(*stabilized, fmt::format("'stabilized_at' {}", context));
      }
      const auto include = required(node, line, "include", context);
      reader_.expect_list(include.value, include.line, fmt::format("'include' {}", context));
      std::size_t index = 0;
      for (const auto& item : include.value) {
        auto included = parse_include(item, include.line, version.name, ++index);
        if (std::any_of(version.includes.begin(), version.includes.end(),
                        [&](const auto& i) { return i.module == included.module; })) {
          reader_.fail(yaml::Reader::line_of(item, include.line),
                       fmt::format("version '{}' includes module '{}' twice", version.name, included.module));
        }
        version.includes.push_back(std::move(included));
      }
      for (const auto& included : version.includes) {
        for (const auto& [target, ids] : find_module(included.module)->targets)
          merge_target(version.targets, target, ids);
      }
      // `targets` directly on a version is a key the official checker still accepts (from the
      // format before modules); we add such testcases to the union like one more module.
      if (const auto targets = yaml::Reader::find(node, "targets")) {
        for (const auto& [target, ids] : parse_targets(*targets, fmt::format("version '{}'", version.name))) {
          merge_target(version.targets, target, ids);
        }
      }
      scope_.versions.push_back(std::move(version));
    }
  }

  ScopeInclude parse_include(const YAML::Node& node, int list_line, const std::string& version,
                             std::size_t index) {
    const int line = yaml::Reader::line_of(node, list_line);
    ScopeInclude include;
    std::string context = fmt::format("in include #{} of version '{}'", index, version);
    if (node.IsMap()) {
      reader_.check_keys(node, {"ref", "parameters"}, context);
      include.module = reader_.required_string(node, line, "ref", context);
      context = fmt::format("in include '{}' of version '{}'", include.module, version);
      if (const auto parameters = yaml::Reader::find(node, "parameters")) {
        const auto what = fmt::format("'parameters' {}", context);
        reader_.expect_map(parameters->value, parameters->line, what);
        for (const auto& entry : reader_.entries(parameters->value, what)) {
          include.parameters[entry.key.Scalar()] = reader_.scalar(entry.value, entry.line, what);
        }
      }
    } else {
      include.module = reader_.scalar(node, line, fmt::format("a module id {}", context));
    }
    const auto* module = find_module(include.module);
    if (module == nullptr) {
      reader_.fail(line, fmt::format("version '{}' includes unknown module '{}'", version, include.module));
    }
    // scs-0003: the include assigns every parameter the module declares, and nothing else.
    for (const auto& [name, value] : include.parameters) {
      if (!module->parameters.contains(name)) {
        reader_.fail(line, fmt::format("version '{}' sets unknown parameter '{}' of module '{}'", version,
                                       name, include.module));
      }
    }
    for (const auto& [name, description] : module->parameters) {
      if (!include.parameters.contains(name)) {
        reader_.fail(line, fmt::format("version '{}' includes module '{}' without a value for parameter '{}'",
                                       version, include.module, name));
      }
    }
    return include;
  }

  void parse_timeline(const yaml::Field& field) {
    reader_.expect_list(field.value, field.line, "'timeline'");
    for (const auto& node : field.value) {
      const int line = yaml::Reader::line_of(node, field.line);
      reader_.expect_map(node, line, "a timeline entry");
      const auto date_field = yaml::Reader::find(node, "date");
      const std::string context = date_field && date_field->value.IsScalar()
                                      ? fmt::format("in timeline entry {}", date_field->value.Scalar())
                                      : std::string("in a timeline entry");
      // The official checker does not look inside timeline entries; scs-0003 defines exactly
      // these two keys, so a misspelt one is a mistake worth reporting.
      reader_.check_keys(node, {"date", "versions"}, context);
      TimelineEntry entry;
      if (!date_field) reader_.fail(line, fmt::format("missing key 'date' {}", context));
      entry.date = date(*date_field, fmt::format("'date' {}", context));
      const auto versions = required(node, line, "versions", context);
      const auto what = fmt::format("'versions' {}", context);
      reader_.expect_map(versions.value, versions.line, what);
      for (const auto& item : reader_.entries(versions.value, what)) {
        const auto& name = item.key.Scalar();
        if (scope_.version(name) == nullptr) {
          reader_.fail(item.line,
                       fmt::format("timeline entry {} names unknown version '{}'", entry.date, name));
        }
        auto validity =
            reader_.scalar(item.value, item.line, fmt::format("the validity of '{}' {}", name, context));
        if (!contains(kValidities, validity)) {
          reader_.fail(item.line, fmt::format("invalid validity '{}' for version '{}' {} (allowed: {})",
                                              validity, name, context, fmt::join(kValidities, ", ")));
        }
        entry.versions[name] = std::move(validity);
      }
      const auto same_date = std::find_if(scope_.timeline.begin(), scope_.timeline.end(),
                                          [&](const auto& e) { return e.date == entry.date; });
      if (same_date != scope_.timeline.end()) {
        reader_.fail(line, fmt::format("two timeline entries for {}", entry.date));
      }
      scope_.timeline.push_back(std::move(entry));
    }
  }

  // yaml-cpp does not resolve YAML timestamps, so a date arrives as the text written.
  std::string date(const yaml::Field& field, const std::string& what) const {
    auto text = reader_.scalar(field.value, field.line, what);
    if (!is_iso_date(text)) {
      reader_.fail(field.line, fmt::format("invalid date '{}' for {} (expected YYYY-MM-DD)", text, what));
    }
    return text;
  }

  const ScopeModule* find_module(std::string_view id) const {
    const auto it =
        std::find_if(scope_.modules.begin(), scope_.modules.end(), [&](const auto& m) { return m.id == id; });
    return it == scope_.modules.end() ? nullptr : &*it;
  }

  yaml::Reader reader_;
  Scope scope_;
};

}  // namespace

Scope load_scope(const std::string& path) {
  try {
    return ScopeParser(path).parse();
  } catch (const YAML::Exception& e) {
    // Node access after a successful parse should not throw; if yaml-cpp does, stay located.
    throw SpecError(path, e.mark.is_null() ? 0 : e.mark.line + 1, e.msg);
  }
}

std::string_view target_of(const ScopeVersion& version, std::string_view testcase_id) {
  std::string_view first;
  for (const auto& [name, ids] : version.targets) {
    if (!contains(ids, testcase_id)) continue;
    if (name == "main") return name;
    if (first.empty()) first = name;
  }
  return first;
}

}  // namespace scs
