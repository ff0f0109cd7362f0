#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace scs {

struct RefreshDataOptions {
  std::string input;                  // the data set whose CVEs and older patches are kept
  std::string output;                 // empty or "-": standard output
  std::optional<std::string> replay;  // answer from this cassette (file or directory) instead of the network
  std::optional<std::string> record;  // also record the exchanges into this directory
  std::string date;                   // retrieval date stamped on new entries (YYYY-MM-DD)
};

/// `refresh-data`: regenerates scs-0210's version data (standards/data/k8s-version-data.json)
/// from endoflife.date's API (branches, end of life, latest patch per branch) and the official
/// Kubernetes CVE feed (compared with the CVEs of `input`, whose fixed versions it does not
/// give), each new entry stamped with its source URL and `date`. Writes `output` atomically
/// (a temporary file renamed into place: a failure leaves no half-written file) and a one-line
/// summary to `out`; returns 0. Errors are thrown as one line: UsageError (bad date),
/// ConfigError (input unreadable), HttpError / UnreachableError (no answer, 5xx, HTML or
/// truncated JSON, an answer not shaped like the API documents).
int refresh_data_command(const RefreshDataOptions& options, std::ostream& out);

}  // namespace scs
