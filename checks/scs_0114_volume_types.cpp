// scs-0114: volume types advertise their aspects in the description.
// https://docs.scs.community/standards/scs-0114-v1-volume-type-standard
#include "checks/scs_0114_volume_types.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"
#include "clients/openstack/openstack.hpp"

namespace scs::checks {

namespace {

// The aspects scs-0114-v1 standardises; anything else "SHOULD NOT be referenced" this way.
const std::set<std::string>& known_aspects() {
  static const std::set<std::string> aspects{"encrypted", "replicated"};
  return aspects;
}

std::string strip(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string describe(const VolumeType& type) {
  return fmt::format("volume type {} (id {})", type.name, type.id);
}

// Problems of one volume type's description; empty when it is fine.
std::vector<std::string> type_problems(const VolumeType& type) {
  const auto list = parse_aspect_list(type.description);
  if (list.unclosed) {
    return {fmt::format("the description starts an aspect list '[scs:' but never closes it with ']': \"{}\"",
                        type.description)};
  }
  if (!list.aspects) return {};
  return aspect_list_problems(*list.aspects);
}

Result syntax_check(Context& context, const Params&) {
  const auto& types = context.openstack().volume_types();
  std::vector<Finding> evidence;
  int declaring = 0;
  for (const auto& type : types) {
    if (parse_aspect_list(type.description).aspects) ++declaring;
    const auto problems = type_problems(type);
    if (problems.empty()) continue;
    evidence.push_back({describe(type), fmt::format("{}", fmt::join(problems, "; "))});
  }
  if (!evidence.empty()) {
    auto summary = fmt::format("{} of {} volume types have a malformed [scs:…] aspect list", evidence.size(),
                               types.size());
    return Result::fail(std::move(summary), std::move(evidence));
  }
  return Result::pass(fmt::format("{} volume types, {} of them with an aspect list, all well-formed",
                                  types.size(), declaring));
}

// Some volume type declares `params.aspect` in its aspect list. Like the official check, a
// list with other problems still declares what it names; syntax-check reports those problems.
Result aspect_type_present(Context& context, const Params& params) {
  const auto aspect = params.at("aspect").get<std::string>();
  const auto& types = context.openstack().volume_types();
  std::vector<std::string> names;
  for (const auto& type : types) {
    const auto list = parse_aspect_list(type.description);
    if (list.aspects && std::find(list.aspects->begin(), list.aspects->end(), aspect) != list.aspects->end())
      names.push_back(type.name);
  }
  if (!names.empty()) {
    return Result::pass(fmt::format("volume types declaring {}: {}", aspect, fmt::join(names, ", ")));
  }
  std::vector<Finding> evidence;
  for (const auto& type : types) {
    evidence.push_back({describe(type), type.description.empty()
                                            ? std::string("has no description, so declares no aspect")
                                            : fmt::format("description \"{}\" does not declare {}",
                                                          type.description, aspect)});
  }
  if (evidence.empty()) evidence.push_back({"volume types", "the project sees no volume type at all"});
  return Result::fail(fmt::format("no volume type declares the aspect {}", aspect), std::move(evidence));
}

}  // namespace

AspectList parse_aspect_list(const std::string& description) {
  constexpr std::string_view prefix = "[scs:";
  AspectList list;
  if (!description.starts_with(prefix)) return list;
  const auto end = description.find_first_of("[]", prefix.size());
  if (end == std::string::npos || description[end] != ']') {
    list.unclosed = true;
    return list;
  }
  const std::string inner = description.substr(prefix.size(), end - prefix.size());
  std::vector<std::string> aspects;
  if (!strip(inner).empty()) {  // `[scs:]` declares nothing, without error
    std::size_t start = 0;
    while (true) {
      const auto comma = inner.find(',', start);
      aspects.push_back(
          strip(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  list.aspects = std::move(aspects);
  return list;
}

std::vector<std::string> aspect_list_problems(const std::vector<std::string>& aspects) {
  std::vector<std::string> problems;
  if (!std::is_sorted(aspects.begin(), aspects.end())) {
    problems.push_back(fmt::format("aspects [{}] are not sorted alphabetically", fmt::join(aspects, ", ")));
  }
  std::set<std::string> seen;
  std::set<std::string> reported;
  for (const auto& aspect : aspects) {
    if (!seen.insert(aspect).second && reported.insert(aspect).second)
      problems.push_back(fmt::format("aspect '{}' is listed more than once", aspect));
  }
  for (const auto& aspect : seen) {
    if (!known_aspects().contains(aspect)) {
      problems.push_back(
          fmt::format("unknown aspect '{}' (scs-0114 defines only encrypted and replicated)", aspect));
    }
  }
  return problems;
}

void register_scs_0114(Registry& registry) {
  registry.add("volume-type-aspect-syntax", syntax_check);
  registry.add("volume-type-aspect-present", aspect_type_present);
}

}  // namespace scs::checks
