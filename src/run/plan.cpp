#include "run/plan.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/errors.hpp"
#include "spec/spec_cache.hpp"

namespace scs {

const TestcaseBinding* Bindings::find(std::string_view id) const {
  const auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : it->second;
}

Bindings load_bindings(const std::string& standards_dir, const Registry& registry,
                       const std::optional<std::filesystem::path>& cache_dir) {
  Bindings bindings;
  bindings.standards = load_standards_cached(standards_dir, cache_dir);
  for (const auto& standard : bindings.standards) {
    for (const auto& binding : standard.testcases) {
      if (registry.find(binding.check) == nullptr) {
        throw SpecError(binding.source.file, binding.source.line,
                        fmt::format("testcase '{}' names the check '{}', which does not exist", binding.id,
                                    binding.check));
      }
      bindings.by_id.emplace(binding.id, &binding);
    }
  }
  return bindings;
}

namespace {

std::vector<ChosenVersion> choose_versions(const Scope& scope, const PlanOptions& options) {
  const auto in_force = versions_in_force(scope, options.date);
  if (options.version) {
    if (scope.version(*options.version) == nullptr) {
      std::vector<std::string> names;
      for (const auto& version : scope.versions) names.push_back(version.name);
      throw UsageError(fmt::format("scope '{}' has no version '{}' (it has: {})", scope.name,
                                   *options.version, fmt::join(names, ", ")));
    }
    const auto it = std::find_if(in_force.begin(), in_force.end(),
                                 [&](const auto& v) { return v.version == *options.version; });
    return {{*options.version, it == in_force.end() ? "deprecated" : it->validity}};
  }
  std::vector<ChosenVersion> chosen;
  for (const auto& version : in_force) {
    if (version.explicit_in_timeline) chosen.push_back({version.version, version.validity});
  }
  if (chosen.empty()) {
    throw ConfigError(fmt::format("no version of '{}' is in force on {} (use --version to pick one)",
                                  scope.name, options.date));
  }
  return chosen;
}

bool selected_by_filters(const ScopeTestcase& testcase, const PlanOptions& options, const std::regex* tests) {
  if (testcase.manual) return false;
  if (tests != nullptr && !std::regex_search(testcase.id, *tests, std::regex_constants::match_continuous)) {
    return false;
  }
  if (options.sections) {
    if (!testcase.section) return false;
    const auto& sections = *options.sections;
    if (std::find(sections.begin(), sections.end(), *testcase.section) == sections.end()) return false;
  }
  return true;
}

std::optional<std::regex> tests_filter(const PlanOptions& options) {
  if (!options.tests) return std::nullopt;
  try {
    return std::regex(*options.tests);
  } catch (const std::regex_error& error) {
    throw UsageError(
        fmt::format("--tests '{}' is not a valid regular expression: {}", *options.tests, error.what()));
  }
}

}  // namespace

void check_plan_options(const Scope& scope, const PlanOptions& options) {
  (void)choose_versions(scope, options);
  (void)tests_filter(options);
}

Plan make_plan(const Scope& scope, const Bindings& bindings, const Registry& registry,
               const PlanOptions& options) {
  Plan plan;
  plan.versions = choose_versions(scope, options);
  const std::optional<std::regex> tests = tests_filter(options);

  std::set<std::string, std::less<>> wanted;
  for (const auto& chosen : plan.versions) {
    for (const auto& [target, ids] : scope.version(chosen.name)->targets)
      wanted.insert(ids.begin(), ids.end());
  }
  for (const auto& testcase : scope.testcases) {
    if (!wanted.contains(testcase.id) || !selected_by_filters(testcase, options, tests ? &*tests : nullptr))
      continue;
    const auto* binding = bindings.find(testcase.id);
    // --read-only leaves out what would create resources, like a filter: reported MISSING.
    if (options.read_only && binding != nullptr && binding->creates_resources) continue;
    plan.selected.push_back(testcase.id);
    if (binding == nullptr) {
      plan.not_implemented.push_back(testcase.id);
      continue;
    }
    PlannedTestcase planned{testcase.id,
                            binding->standard,
                            registry.find(binding->check),
                            binding->params.is_object() ? binding->params : Params::object(),
                            binding->creates_resources,
                            options.budget,
                            binding->platform,
                            binding->required_role};
    // Module parameters (scs-0104's image_spec) come from the first chosen version that
    // includes the testcase.
    for (const auto& chosen : plan.versions) {
      const auto parameters = scope.parameters_for(*scope.version(chosen.name), testcase.id);
      if (parameters.empty()) continue;
      for (const auto& [name, value] : parameters) planned.params[name] = value;
      break;
    }
    // A testcase that boots a VM or runs an e2e suite needs longer than a read: its
    // `budget_seconds` raises the budget.
    if (const auto it = planned.params.find("budget_seconds");
        it != planned.params.end() && it->is_number()) {
      planned.budget = std::max(planned.budget, std::chrono::milliseconds(it->get<long long>() * 1000));
    }
    plan.platforms.insert(planned.platform);
    plan.runnable.push_back(std::move(planned));
  }
  if (plan.platforms.empty()) {
    const auto names = [&](std::string_view variable) {
      return std::find(scope.variables.begin(), scope.variables.end(), variable) != scope.variables.end() ||
             scope.var_defaults.contains(std::string(variable));
    };
    if (names("kubeconfig")) plan.platforms.insert("kubernetes");
    if (names("os_cloud") || plan.platforms.empty()) plan.platforms.insert("openstack");
  }
  return plan;
}

}  // namespace scs
