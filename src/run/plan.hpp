#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/registry.hpp"
#include "run/runner.hpp"
#include "spec/spec.hpp"

namespace scs {

/// Every standard file, indexed by testcase id.
struct Bindings {
  std::vector<Standard> standards;
  std::map<std::string, const TestcaseBinding*, std::less<>> by_id;

  [[nodiscard]] const TestcaseBinding* find(std::string_view id) const;
};

/// Loads standards/*.yaml (through the spec cache in `cache_dir`, if given: spec_cache.hpp) and
/// checks that every binding names a registered check (SpecError naming file and line otherwise).
Bindings load_bindings(const std::string& standards_dir, const Registry& registry,
                       const std::optional<std::filesystem::path>& cache_dir = std::nullopt);

struct PlanOptions {
  std::string date;                                  // YYYY-MM-DD, the reference date
  std::optional<std::string> version;                // --version: exactly this one
  std::optional<std::string> tests;                  // --tests REGEX, matched at the start of the id
  std::optional<std::vector<std::string>> sections;  // --sections: only testcases in these
  bool read_only = false;                            // --read-only: skip testcases that create resources
  std::chrono::milliseconds budget{120'000};
};

struct ChosenVersion {
  std::string name;
  std::string validity;
};

/// What a run will do, decided before the first request.
struct Plan {
  std::vector<ChosenVersion> versions;
  std::vector<std::string> selected;         // ids to run or report missing, scope order
  std::vector<PlannedTestcase> runnable;     // the implemented ones among `selected`
  std::vector<std::string> not_implemented;  // selected, but no binding: reported MISSING
  // What the run must connect: the platforms of the runnable testcases; when none is runnable,
  // the scope's variables say (kubeconfig → kubernetes, os_cloud → openstack; neither:
  // openstack), so that even a run that can only report MISSING checks its credentials.
  std::set<std::string> platforms;

  [[nodiscard]] bool needs(std::string_view platform) const {
    return platforms.contains(std::string(platform));
  }
};

/// The errors make_plan() would raise for `options` on `scope` (an unknown version, no
/// version in force, a --tests that is not a regular expression), raised without the standards.
void check_plan_options(const Scope& scope, const PlanOptions& options);

/// Chooses the versions (forced, or those the timeline entry in force names), collects the
/// testcases of all their targets, drops manual ones and applies --tests/--sections, and binds
/// each to its check with its params (the standard's params, plus the parameters the version
/// passes through its module include, e.g. image_spec).
Plan make_plan(const Scope& scope, const Bindings& bindings, const Registry& registry,
               const PlanOptions& options);

}  // namespace scs
