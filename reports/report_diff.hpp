#pragma once

// `scs-conformance diff OLD NEW`: what changed between two reports of the same scope, so that a
// provider's CI can gate on regressions and a certification body see what broke since yesterday.

#include <string>
#include <vector>

#include "reports/report_summary.hpp"

namespace scs {

/// A status before and after; an empty side means the report does not have it.
struct Change {
  std::string name;  // testcase id or version
  std::string before, after;
};

struct ReportDiff {
  std::string old_source, new_source, scope_name, old_subject, new_subject, old_checked_at, new_checked_at;
  std::vector<Change> versions;        // whose verdict changed, scope order as read (sorted)
  std::vector<Change> new_failures;    // now FAIL, before anything else
  std::vector<Change> newly_aborted;   // now ABORT or MISSING, before PASS, N/A or FAIL
  std::vector<Change> fixed;           // now PASS or N/A, before FAIL, ABORT or MISSING
  std::vector<Change> still_failing;   // FAIL in both
  std::vector<Change> other;           // PASS ↔ N/A, ABORT ↔ MISSING
  std::vector<Change> added, removed;  // in one report only

  /// New failures, newly aborted testcases, or a version whose verdict got worse.
  [[nodiscard]] bool worse() const;
};

/// Compares two reports; ConfigError when they are reports of different scopes.
ReportDiff diff_reports(const ReportSummary& before, const ReportSummary& after);

std::string render_diff_text(const ReportDiff& diff);
std::string render_diff_markdown(const ReportDiff& diff);
std::string render_diff_json(const ReportDiff& diff);

}  // namespace scs
