#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace scs {

// The spec cache stores these structs as JSON (spec_json.cpp): a field added here goes there
// too, and spec_cache_format (spec_cache_key.cpp) is bumped.

/// Where a spec element was written, for error messages.
struct SourceLocation {
  std::string file;
  int line = 0;  // 1-based; 0 = unknown
};

/// How we implement one SCS testcase: data from standards/scs-NNNN-*.yaml.
struct TestcaseBinding {
  std::string id;           // exactly as in the SCS scope, e.g. "scs-0103-flavor-2v-4-20s"
  std::string standard;     // "scs-0103"
  std::string title;        // one line
  std::string description;  // what is checked and why (markdown)
  std::string url;          // the standard text
  std::string check;        // registry key of the check function
  nlohmann::json params;    // passed to the check, object (may be empty)
  std::string remediation;  // how a provider fixes a failure
  std::string required_role = "member";
  bool creates_resources = false;
  std::string platform = "openstack";  // the standard's: openstack | kubernetes
  SourceLocation source;
};

/// One standard file: metadata and its testcase bindings.
struct Standard {
  std::string id;    // "scs-0100"
  std::string name;  // "Flavor naming"
  std::string url;
  std::string platform = "openstack";  // what its checks talk to: openstack | kubernetes
  std::vector<TestcaseBinding> testcases;
  SourceLocation source;
};

/// A testcase as the upstream scope lists it (under scripts[].testcases[]).
struct ScopeTestcase {
  std::string id;
  std::string description;
  std::string url;
  std::string lifetime = "week";  // day | week | month | quarter | year
  std::optional<std::string> section;
  bool manual = false;  // listed by a script without `executable`
  SourceLocation source;
};

struct ScopeModule {
  std::string id;
  std::string name;
  std::string url;
  std::map<std::string, std::string> parameters;                          // name -> description
  std::vector<std::pair<std::string, std::vector<std::string>>> targets;  // in file order
  SourceLocation source;
};

struct ScopeInclude {
  std::string module;
  std::map<std::string, std::string> parameters;
};

struct ScopeVersion {
  std::string name;
  std::vector<ScopeInclude> includes;
  std::optional<std::string> stabilized_at;  // YYYY-MM-DD
  /// Union per target name over the included modules, ids in first-seen order.
  std::vector<std::pair<std::string, std::vector<std::string>>> targets;
  SourceLocation source;
};

struct TimelineEntry {
  std::string date;                             // YYYY-MM-DD
  std::map<std::string, std::string> versions;  // name -> effective | warn | deprecated | draft
};

/// A certificate scope in the upstream SCS format (scs-0003): the official
/// scs-compatible-iaas.yaml and scs-compatible-kaas.yaml load unchanged.
struct Scope {
  std::string uuid, name, url;
  std::vector<std::string> variables;               // required variables
  std::map<std::string, std::string> var_defaults;  // variables with defaults
  std::vector<ScopeTestcase> testcases;             // every testcase of every script, file order
  std::vector<ScopeModule> modules;
  std::vector<ScopeVersion> versions;  // file order (newest first)
  std::vector<TimelineEntry> timeline;
  std::string file;

  [[nodiscard]] const ScopeTestcase* testcase(std::string_view id) const;
  [[nodiscard]] const ScopeVersion* version(std::string_view version_name) const;
  /// Parameters a version passes to a testcase through the module that includes it
  /// (e.g. image_spec for scs-0104); empty when none.
  [[nodiscard]] std::map<std::string, std::string> parameters_for(const ScopeVersion& version,
                                                                  std::string_view testcase_id) const;
};

/// The scope with each version also including the "-rec" companion of every module it
/// includes (scs-0102-v1 → scs-0102-v1-rec), with the same parameters, when the scope has one
/// and the version does not include it already. The official scopes keep their recommended
/// testcases in such modules, which no version includes any more; `run --include-recommended`
/// runs them beside the verdict (they land in non-main targets, which never decide).
Scope with_recommended_companions(Scope scope);

/// The module `with_unscoped_testcases` adds.
inline constexpr std::string_view unscoped_module_id = "scs-conformance-unscoped";

/// The scope with every version also including a module of the testcases the scope defines
/// but no module lists (the official IaaS scope defines scs-0101-rngd and others that way), in
/// a target "unscoped" that never decides, without parameters. `run --include-unscoped`.
Scope with_unscoped_testcases(Scope scope);

/// Loads a scope file. Unknown keys (recursively, as scs-0003 defines them), duplicate
/// testcase ids, a target naming an unknown testcase, an include naming an unknown module:
/// SpecError with file and line.
Scope load_scope(const std::string& path);

/// Loads one standard file (strict keys, file:line in every error).
Standard load_standard(const std::string& path);

/// Loads every standards/*.yaml (not scopes/), sorted by file name; duplicate testcase ids
/// across files are an error naming both places.
std::vector<Standard> load_standards(const std::string& directory);

/// Validity of each version on `date` (YYYY-MM-DD): the timeline entry with the greatest date
/// ≤ `date` decides; a version not named there is "deprecated" (not explicitly listed).
struct VersionValidity {
  std::string version;
  std::string validity;  // effective | warn | deprecated | draft
  bool explicit_in_timeline = false;
};
std::vector<VersionValidity> versions_in_force(const Scope& scope, const std::string& date);

// --- additions by the spec loader ---

/// True for a valid calendar date written as YYYY-MM-DD (the only date form scopes use).
bool is_iso_date(std::string_view text);

/// The target a testcase belongs to in `version`, for display: "main" if main lists it (a
/// testcase that one module lists as main and another as recommended stays required),
/// otherwise the first target that lists it; empty if none. (The official checker lets the
/// last module processed win; we never let an optional listing hide a required one.)
std::string_view target_of(const ScopeVersion& version, std::string_view testcase_id);

}  // namespace scs
