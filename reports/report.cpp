#include "reports/report.hpp"

#include <algorithm>

namespace scs {

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "PASS";
    case Verdict::fail:
      return "FAIL";
    case Verdict::missing:
      return "MISSING";
    case Verdict::abort:
      return "ABORT";
  }
  return "ABORT";
}

const TestcaseOutcome* Report::outcome(std::string_view id) const {
  const auto it = std::find_if(outcomes.begin(), outcomes.end(), [&](const auto& o) { return o.id == id; });
  return it == outcomes.end() ? nullptr : &*it;
}

bool Report::has_manual() const {
  return std::any_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.manual; });
}

}  // namespace scs
