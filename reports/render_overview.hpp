#pragma once

// The overview of a batch: subjects × scope versions with the verdict, like the compliance
// monitor's table, each row linking to the subject's own report.

#include <map>
#include <string>
#include <vector>

#include "reports/report_summary.hpp"

namespace scs {

struct SubjectRow {
  std::string subject;
  std::string scope;                            // the scope's name; empty when the subject did not get as far
  std::map<std::string, std::string> versions;  // version → verdict
  int exit_code = 0;
  std::string error;   // one line, when the subject could not be checked
  std::string report;  // relative link to its HTML report; empty when none was written
};

std::string render_overview_json(const std::vector<SubjectRow>& rows);
std::string render_overview_markdown(const std::vector<SubjectRow>& rows);
std::string render_overview_html(const std::vector<SubjectRow>& rows);

}  // namespace scs
