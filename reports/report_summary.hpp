#pragma once

// What `scs-conformance diff` compares of a report, read back from a file: our JSON report, or
// a YAML report as the compliance monitor stores it (ours and the official checker's alike).

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "spec/spec.hpp"

namespace scs {

struct ReportSummary {
  std::string source;  // the file, for messages
  std::string scope_uuid, scope_name, subject, checked_at;
  std::map<std::string, std::string> versions;   // "v5.1" → PASS | FAIL | MISSING | ABORT
  std::map<std::string, std::string> testcases;  // id → PASS | N/A | FAIL | ABORT | MISSING
  bool tells_not_applicable = true;              // false for YAML: it writes N/A as a pass
};

/// Finds the scope a YAML report names by its uuid (nullopt when unknown).
using ScopeFinder = std::function<std::optional<Scope>(const std::string& uuid)>;

/// Parses a report. A YAML report holds results only (1 pass, 0 aborted, -1 failed; N/A is
/// written as a pass): its verdict per version is evaluated here as the monitor does, with the
/// scope `find_scope` returns and the versions in force on the day it was checked; with an
/// unknown scope, `versions` stays empty. Throws ConfigError naming `source` and what is wrong.
ReportSummary read_report_summary(std::string_view text, const std::string& source,
                                  const ScopeFinder& find_scope);

/// A ScopeFinder over the scope files in `directory` (standards/scopes).
ScopeFinder scopes_in(const std::filesystem::path& directory);

}  // namespace scs
