#pragma once

// Small helpers the renderers share; not part of the reports API.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.hpp"

namespace scs::render {

/// Testcase counts over a whole run: every outcome, plus ids that a reported target requires
/// but that have no outcome at all (those are missing too).
struct Counts {
  int passed = 0;  // without N/A
  int not_applicable = 0;
  int failed = 0;
  int aborted = 0;
  int missing = 0;
  [[nodiscard]] int total() const { return passed + not_applicable + failed + aborted + missing; }
};
[[nodiscard]] Counts count(const Report& report);
/// The same over the manual testcases only (which count() leaves out: they are shown apart).
[[nodiscard]] Counts count_manual(const Report& report);
/// The manual testcases of the report (attested or MISSING), in the report's order.
[[nodiscard]] std::vector<const TestcaseOutcome*> manual_outcomes(const Report& report);
/// "attested by Jane Doe (Example GmbH) on 2026-11-30, valid until 2027-05-31": who vouches.
[[nodiscard]] std::string provenance(const Attestation& attestation);
/// "7 passed, 1 N/A, 2 missing": the non-zero counts (passed always).
[[nodiscard]] std::string describe(const Counts& counts);

/// Ids of automated testcases that are MISSING in this run (not implemented, not selected, or
/// without outcome but named by a reported target), sorted. Manual testcases are not among them.
[[nodiscard]] std::vector<std::string> missing_ids(const Report& report);

/// "scs-0100" for grouping: the outcome's standard, else the id's "scs-NNNN" prefix, else "other".
[[nodiscard]] std::string standard_of(const TestcaseOutcome& outcome);
[[nodiscard]] std::string standard_of_id(std::string_view id);

/// "0.012" (seconds with millisecond precision, for JUnit and machine formats).
[[nodiscard]] std::string seconds(std::chrono::milliseconds elapsed);
/// "850 ms", "12.3 s", "4 min 05 s" for humans.
[[nodiscard]] std::string human_duration(std::chrono::milliseconds elapsed);

/// Text for an HTML page, in content and in quoted attributes: & < > " ' as references.
[[nodiscard]] std::string html_escape(std::string_view text);

/// Newlines and other control characters become spaces: for one-line channels.
[[nodiscard]] std::string one_line(std::string_view text);
/// Splits at '\n' (a trailing newline adds no empty line).
[[nodiscard]] std::vector<std::string> split_lines(std::string_view text);
/// "subject: message", or just the message when the subject is empty.
[[nodiscard]] std::string finding_text(const Finding& finding);

/// The exit code this report stands for: 130 when interrupted, else exit_decision().
[[nodiscard]] int exit_code(const Report& report);

/// The command line as a shell would need it: "scs-conformance run -s 'my cloud'". Report::argv
/// holds the arguments after the program name, like the official checker's run.argv.
[[nodiscard]] std::string command_line(const Report& report);

}  // namespace scs::render
