#pragma once

// What the compliance monitor reads from a report before it stores it: the scope's uuid, the
// subject, checked_at, the run's uuid and the results of every invocation. Checked here so
// that `verify` and `upload` refuse a file the monitor could not file (it would answer 500).

#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace scs {

/// A file that is not a report the monitor can read.
class ReportFormatError : public ConfigError {
 public:
  using ConfigError::ConfigError;
};

enum class ReportFormat { yaml, json };

struct ReportIdentity {
  std::string scope_uuid, scope_name, subject, checked_at, run_uuid;
  std::size_t results = 0;  // testcase results over all invocations
};

struct ReportDocuments {
  ReportFormat format = ReportFormat::yaml;
  std::vector<ReportIdentity> documents;  // a YAML file may hold several
};

/// Reads the report's bytes (YAML, or JSON when it starts with '{'); throws ReportFormatError
/// naming `source` and the missing or malformed field.
ReportDocuments read_report_identity(std::string_view bytes, std::string_view source);

/// The content type the monitor wants for a format: application/x-signed-yaml or -json.
std::string_view monitor_content_type(ReportFormat format);

}  // namespace scs
