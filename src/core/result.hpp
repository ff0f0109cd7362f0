#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scs {

/// What one testcase found out. `abort` means "could not determine" and is never a failure of
/// the cloud; `not_applicable` counts as a pass for the verdict but is shown as N/A.
enum class Status { pass, fail, abort, not_applicable };

/// "PASS", "FAIL", "ABORT", "N/A".
std::string_view to_string(Status status);

/// One piece of evidence: which object offends, and how.
struct Finding {
  std::string subject;  // "flavor SCS-2V-8", "service load-balancer"
  std::string message;  // "RAM is 7680 MiB, the name promises 8 GiB (8192 MiB)"
};

struct Result {
  Status status = Status::abort;
  std::string summary;             // one line for humans
  std::vector<Finding> evidence;   // every offending object, for a FAIL; may be empty otherwise
  std::vector<std::string> notes;  // warnings that do not change the status ("v1 name tolerated")

  static Result pass(std::string summary, std::vector<std::string> notes = {});
  static Result fail(std::string summary, std::vector<Finding> evidence, std::vector<std::string> notes = {});
  static Result abort(std::string reason);
  static Result not_applicable(std::string why);
};

}  // namespace scs
