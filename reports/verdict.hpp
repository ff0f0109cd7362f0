#pragma once

// Policy: the only place that turns testcase outcomes into verdicts per scope version, and
// verdicts into the exit code. Checks never know whether they are required.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/exit_codes.hpp"
#include "reports/report.hpp"
#include "spec/spec.hpp"

namespace scs {

/// Verdict of one testcase: no outcome or not implemented → MISSING; N/A counts as PASS.
[[nodiscard]] Verdict verdict_of(const TestcaseOutcome* outcome);

/// The more severe of two verdicts: FAIL > MISSING > ABORT > PASS (scs-0003-v2 "FAIL > MISS >
/// DNF > PASS"; the monitor's evaluate()). An empty target therefore passes.
[[nodiscard]] Verdict worst(Verdict a, Verdict b);

/// Builds the report block of every chosen version, in the order given (use scope order).
/// Each target of a version is evaluated; main comes first, the others in scope order; the
/// version's verdict is its main target's. A version without a main target requires nothing:
/// it passes with decides = false. Versions unknown to the scope are skipped.
[[nodiscard]] std::vector<VersionReport> evaluate_versions(
    const Scope& scope, std::span<const VersionValidity> chosen,
    const std::map<std::string, TestcaseOutcome, std::less<>>& outcomes);

/// The same, for outcomes kept as a list (Report::outcomes).
[[nodiscard]] std::vector<VersionReport> evaluate_versions(const Scope& scope,
                                                           std::span<const VersionValidity> chosen,
                                                           std::span<const TestcaseOutcome> outcomes);

/// Whether a validity allows certification (scs-0003-v1: effective and warn).
[[nodiscard]] bool certifiable(std::string_view validity);

/// Whether `version` enters the exit code of `report`:
///  - with a forced version (--version), exactly the reported versions decide, whatever their
///    validity — the user asked about them;
///  - otherwise the certifiable ones (effective or warn on the reference date) decide; draft and
///    deprecated versions are evaluated and shown only;
///  - if no reported version is certifiable (e.g. a scope whose only version is still a draft),
///    every reported version decides, so the exit code still says something.
[[nodiscard]] bool decides_exit(const Report& report, const VersionReport& version);

/// The combined verdict of the deciding versions' main targets (worst wins). No versions at
/// all → MISSING: nothing was evaluated, so nothing can be claimed.
[[nodiscard]] Verdict overall_verdict(const Report& report);

/// 0 every deciding main target passed · 1 one failed · 2 incomplete (MISSING/ABORT, nothing
/// failed). Interrupted runs and runs that could not start are the CLI's to map (130, 69, …).
[[nodiscard]] ExitCode exit_decision(const Report& report);

}  // namespace scs
