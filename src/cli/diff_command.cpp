#include "cli/diff_command.hpp"

#include <ostream>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/files.hpp"
#include "reports/report_diff.hpp"

namespace scs {

int diff_command(const DiffCommandOptions& options, std::ostream& out) {
  if (options.format != "text" && options.format != "markdown" && options.format != "json")
    throw UsageError(fmt::format("--format '{}' is not text, markdown or json", options.format));
  if (options.fail_on != "never" && options.fail_on != "new-failures")
    throw UsageError(fmt::format("--fail-on '{}' is not never or new-failures", options.fail_on));
  const auto find_scope = scopes_in(options.scopes_dir);
  const auto before =
      read_report_summary(read_file(options.old_report, "report"), options.old_report, find_scope);
  const auto after =
      read_report_summary(read_file(options.new_report, "report"), options.new_report, find_scope);
  const auto diff = diff_reports(before, after);
  if (options.format == "json") {
    out << render_diff_json(diff);
  } else if (options.format == "markdown") {
    out << render_diff_markdown(diff);
  } else {
    out << render_diff_text(diff);
  }
  return options.fail_on == "new-failures" && diff.worse() ? 1 : 0;
}

}  // namespace scs
