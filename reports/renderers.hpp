#pragma once

// Every output format renders the one in-memory Report; each renderer is a pure function, so
// golden files pin its output (tests/reports/golden/).

#include <string>

#include "reports/report.hpp"

namespace scs {

/// The report the SCS compliance monitor accepts (POST /reports after signing): the keys and
/// key order of the official checker's report, as one YAML document starting with `---`, plus
/// our per-version verdicts under the top-level key `scs_conformance`, which the monitor
/// stores but never reads (it reads subject, checked_at, spec.uuid, run.uuid and
/// run.invocations[*].results; a top-level `versions` key would switch it to the old format).
/// The whole run is one invocation: stdout has `<id>: PASS|FAIL|ABORT` lines, stderr the
/// evidence with INFO:/WARNING:/ERROR: prefixes (the monitor's public view keeps WARNING and
/// ERROR lines). N/A is reported as PASS (1); testcases not run are absent (MISSING).
std::string render_yaml(const Report& report);

/// Everything in the Report, including evidence, API calls per testcase and the verdicts.
std::string render_json(const Report& report);

/// JUnit XML: one testsuite per standard (classname = standard, name = testcase id); FAIL →
/// <failure> with evidence, ABORT → <error>, MISSING and N/A → <skipped> with a message.
std::string render_junit(const Report& report);

/// A compact Markdown summary for $GITHUB_STEP_SUMMARY.
std::string render_markdown(const Report& report);

/// One self-contained HTML page (no network, no external assets, no JavaScript): the verdict per
/// version on top, then the testcases grouped by standard, failures first, with summary,
/// evidence, remediation and a link to the standard.
std::string render_html(const Report& report);

/// Terminal output: per version the verdict, then the testcases that did not pass, with
/// evidence and remediation, then a one-line summary. `colour` adds ANSI colours.
std::string render_text(const Report& report, bool colour = false);

}  // namespace scs
