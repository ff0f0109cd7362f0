#pragma once

// scs-0114's aspect list, exposed for the unit tests.

#include <optional>
#include <string>
#include <vector>

namespace scs::checks {

/// The aspects a volume type description declares: the items of a leading `[scs:a, b]`,
/// stripped, in the order written. nullopt when the description does not start with
/// `[scs:` (such a type declares nothing, which is allowed). An opened but unclosed list
/// (`[scs:encrypted LUKS`) yields nullopt in `aspects` and sets `unclosed`.
struct AspectList {
  std::optional<std::vector<std::string>> aspects;
  bool unclosed = false;
};
AspectList parse_aspect_list(const std::string& description);

/// What is wrong with a declared aspect list (unsorted, duplicates, unknown aspects); empty
/// when nothing is.
std::vector<std::string> aspect_list_problems(const std::vector<std::string>& aspects);

}  // namespace scs::checks
