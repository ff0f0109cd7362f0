#include "cli/list_command.hpp"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/testcase_files.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

// "v5.1 main, next main" — where the scope puts a testcase.
std::vector<std::string> placements(const Scope& scope, std::string_view id) {
  std::vector<std::string> where;
  for (const auto& version : scope.versions) {
    for (const auto& [target, ids] : version.targets) {
      if (std::find(ids.begin(), ids.end(), id) != ids.end())
        where.push_back(fmt::format("{} {}", version.name, target));
    }
  }
  return where;
}

}  // namespace

void print_scope_listing(const Scope& scope, const Bindings& bindings, const std::string& date,
                         std::ostream& out) {
  fmt::print(out, "{} ({})\n\nVersions on {}:\n", scope.name, scope.file, date);
  for (const auto& version : versions_in_force(scope, date)) {
    fmt::print(out, "  {:<8} {}{}\n", version.version, version.validity,
               version.explicit_in_timeline ? "" : " (not in the timeline entry in force)");
  }
  std::size_t implemented = 0;
  std::size_t width = 0;
  for (const auto& testcase : scope.testcases) width = std::max(width, testcase.id.size());
  fmt::print(out, "\nTestcases:\n");
  for (const auto& testcase : scope.testcases) {
    const auto* binding = bindings.find(testcase.id);
    std::string state = testcase.manual ? "manual" : binding != nullptr ? "implemented" : "NOT IMPLEMENTED";
    if (binding != nullptr) ++implemented;
    const auto where = placements(scope, testcase.id);
    fmt::print(out, "  {:<{}}  {:<15}  {}\n", testcase.id, width, state,
               where.empty() ? std::string("in no version") : fmt::format("{}", fmt::join(where, ", ")));
  }
  fmt::print(out, "\n{} of {} testcases implemented.\n", implemented, scope.testcases.size());
}

void print_explanation(const Scope& scope, const Bindings& bindings, const Registry& registry,
                       const std::string& standards_dir, const std::string& id, std::ostream& out) {
  const auto* testcase = scope.testcase(id);
  const auto* binding = bindings.find(id);
  if (testcase == nullptr && binding == nullptr) {
    throw UsageError(fmt::format("unknown testcase '{}' (see `scs-conformance list`)", id));
  }
  fmt::print(out, "{}\n", id);
  if (binding != nullptr) fmt::print(out, "  {}\n", binding->title);
  if (testcase != nullptr && !testcase->description.empty())
    fmt::print(out, "  Scope: {}\n", testcase->description);
  const auto where = placements(scope, id);
  fmt::print(out, "  In {}: {}\n", scope.name,
             where.empty() ? std::string("no version") : fmt::format("{}", fmt::join(where, ", ")));
  if (binding == nullptr) {
    fmt::print(out, "\n  Not implemented by this tool: a run reports it as MISSING.\n");
    if (testcase != nullptr && !testcase->url.empty()) fmt::print(out, "  Standard: {}\n", testcase->url);
    fmt::print(out,
               "\nFiles: none; no standards/*.yaml binds it (scripts/new-standard scaffolds a standard).\n");
    return;
  }
  fmt::print(out, "  Standard: {} ({})\n", binding->standard, binding->url);
  fmt::print(out, "  Check: {}{}\n", binding->check,
             binding->params.empty() ? std::string() : fmt::format(" {}", binding->params.dump()));
  fmt::print(out, "  Runs as: {} role; {}\n", binding->required_role,
             binding->creates_resources ? "creates resources (and deletes them afterwards)" : "read-only");
  fmt::print(out, "\nWhat and why:\n{}\n", binding->description);
  fmt::print(out, "How to fix a failure:\n{}\n", binding->remediation);
  print_testcase_files(*binding, registry, standards_dir, out);
}

}  // namespace scs
