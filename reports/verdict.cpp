#include "reports/verdict.hpp"

#include <algorithm>

namespace scs {
namespace {

// Precedence rank; the higher one wins.
int severity(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return 0;
    case Verdict::abort:
      return 1;
    case Verdict::missing:
      return 2;
    case Verdict::fail:
      return 3;
  }
  return 3;
}

template <class Lookup>
TargetReport evaluate_target(const std::string& name, const std::vector<std::string>& ids,
                             const Lookup& lookup) {
  TargetReport target;
  target.name = name;
  target.testcases = ids;
  for (const auto& id : ids) {
    const Verdict verdict = verdict_of(lookup(id));
    target.verdict = worst(target.verdict, verdict);
    switch (verdict) {
      case Verdict::pass:
        ++target.passed;
        break;
      case Verdict::fail:
        ++target.failed;
        break;
      case Verdict::abort:
        ++target.aborted;
        break;
      case Verdict::missing:
        ++target.missing;
        break;
    }
  }
  return target;
}

template <class Lookup>
std::vector<VersionReport> evaluate(const Scope& scope, std::span<const VersionValidity> chosen,
                                    const Lookup& lookup) {
  std::vector<VersionReport> reports;
  for (const auto& choice : chosen) {
    const ScopeVersion* version = scope.version(choice.version);
    if (version == nullptr) continue;
    VersionReport report;
    report.name = version->name;
    report.validity = choice.validity;
    report.decides = false;
    for (const auto& [name, ids] : version->targets) {
      auto target = evaluate_target(name, ids, lookup);
      if (name == "main") {
        report.decides = true;
        report.verdict = target.verdict;
        report.targets.insert(report.targets.begin(), std::move(target));
      } else {
        report.targets.push_back(std::move(target));
      }
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

std::vector<const VersionReport*> deciding(const Report& report) {
  std::vector<const VersionReport*> result;
  for (const auto& version : report.versions) {
    if (decides_exit(report, version)) result.push_back(&version);
  }
  return result;
}

}  // namespace

Verdict verdict_of(const TestcaseOutcome* outcome) {
  if (outcome == nullptr || !outcome->implemented) return Verdict::missing;
  switch (outcome->result.status) {
    case Status::pass:
    case Status::not_applicable:
      return Verdict::pass;
    case Status::fail:
      return Verdict::fail;
    case Status::abort:
      return Verdict::abort;
  }
  return Verdict::abort;
}

Verdict worst(Verdict a, Verdict b) { return severity(a) >= severity(b) ? a : b; }

std::vector<VersionReport> evaluate_versions(
    const Scope& scope, std::span<const VersionValidity> chosen,
    const std::map<std::string, TestcaseOutcome, std::less<>>& outcomes) {
  return evaluate(scope, chosen, [&](const std::string& id) -> const TestcaseOutcome* {
    const auto it = outcomes.find(id);
    return it == outcomes.end() ? nullptr : &it->second;
  });
}

std::vector<VersionReport> evaluate_versions(const Scope& scope, std::span<const VersionValidity> chosen,
                                             std::span<const TestcaseOutcome> outcomes) {
  return evaluate(scope, chosen, [&](const std::string& id) -> const TestcaseOutcome* {
    const auto it = std::find_if(outcomes.begin(), outcomes.end(), [&](const auto& o) { return o.id == id; });
    return it == outcomes.end() ? nullptr : &*it;
  });
}

bool certifiable(std::string_view validity) { return validity == "effective" || validity == "warn"; }

bool decides_exit(const Report& report, const VersionReport& version) {
  if (report.forced_version) return true;
  const bool any_certifiable = std::any_of(report.versions.begin(), report.versions.end(),
                                           [](const auto& v) { return certifiable(v.validity); });
  return !any_certifiable || certifiable(version.validity);
}

Verdict overall_verdict(const Report& report) {
  const auto versions = deciding(report);
  if (versions.empty()) return Verdict::missing;
  Verdict verdict = Verdict::pass;
  for (const auto* version : versions) verdict = worst(verdict, version->verdict);
  return verdict;
}

ExitCode exit_decision(const Report& report) {
  switch (overall_verdict(report)) {
    case Verdict::pass:
      return ExitCode::pass;
    case Verdict::fail:
      return ExitCode::fail;
    case Verdict::missing:
    case Verdict::abort:
      break;
  }
  return ExitCode::incomplete;
}

}  // namespace scs
