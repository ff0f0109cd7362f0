#pragma once

#include <iosfwd>
#include <string>

namespace scs {

struct DiffCommandOptions {
  std::string old_report, new_report;
  std::string format = "text";    // text | markdown | json
  std::string fail_on = "never";  // never | new-failures
  std::string scopes_dir;         // where YAML reports' scopes are looked up (standards/scopes)
};

/// `diff OLD NEW`: prints what changed between two reports of the same scope. Returns 1 when
/// fail_on is new-failures and something got worse (ReportDiff::worse), else 0. Unreadable
/// reports or reports of different scopes throw ConfigError; a wrong option UsageError.
int diff_command(const DiffCommandOptions& options, std::ostream& out);

}  // namespace scs
