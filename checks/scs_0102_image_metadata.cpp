// scs-0102: image metadata, over every public and community image.
// https://docs.scs.community/standards/scs-0102-v1-image-metadata
#include <algorithm>
#include <chrono>
#include <ctime>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"
#include "checks/images.hpp"
#include "clients/openstack/openstack.hpp"

namespace scs::checks {

namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

// The date forms scs-0102 gives for image_build_date (and the official parser accepts), UTC.
std::optional<std::time_t> parse_utc(const std::string& text) {
  for (const auto* format : {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"}) {
    std::tm tm{};
    std::istringstream in(text);
    in >> std::get_time(&tm, format);
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) continue;
    return timegm(&tm);
  }
  return std::nullopt;
}

bool all_digits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

long long number_of(const json& image, const std::string& key) {
  const auto it = image.find(key);
  if (it == image.end() || !it->is_number()) return 0;
  return it->get<long long>();
}

bool one_of(const std::string& value, const json& values) {
  return std::any_of(values.begin(), values.end(),
                     [&](const json& v) { return v.get<std::string>() == value; });
}

// Why `image` breaks the rule of `params` (std::nullopt when it keeps it).
std::optional<std::string> property_problem(const json& image, const Params& params, std::time_t now) {
  const auto property = params.at("property").get<std::string>();
  const auto rule = params.at("rule").get<std::string>();
  const auto value = image_property(image, property);
  const bool optional = params.value("optional", false);
  if (value.empty()) {
    if (optional) return std::nullopt;
    if (rule == "positive") return fmt::format("{} is 0 or missing", property);
    return fmt::format("has no property {}", property);
  }
  if (rule == "present") return std::nullopt;
  if (rule == "one-of") {
    if (one_of(value, params.at("values"))) return std::nullopt;
    return fmt::format("{}={} is not one of {}", property, value,
                       fmt::join(params.at("values").get<std::vector<std::string>>(), ", "));
  }
  if (rule == "positive") {
    if (number_of(image, property) <= 0) return fmt::format("{} is {}, must be > 0", property, value);
    if (property == "min_disk" && image.contains("size") && image["size"].is_number()) {
      // min_disk (GiB) must hold the image itself; an image without size yet is not judged on it.
      const auto size = image["size"].get<long long>();
      if (number_of(image, "min_disk") * (1LL << 30) < size)
        return fmt::format("min_disk {} GiB is smaller than the image ({} bytes)", value, size);
    }
    return std::nullopt;
  }
  if (rule == "build-date") {
    const auto built = parse_utc(value);
    if (!built) return fmt::format("{} {} is not YYYY-MM-DD[ hh:mm[:ss]]", property, value);
    if (*built > now) return fmt::format("{} {} lies in the future", property, value);
    const auto registered = parse_utc(image_property(image, "created_at"));
    if (registered && *built > *registered)
      return fmt::format("{} {} is after the upload ({})", property, value,
                         image_property(image, "created_at"));
    return std::nullopt;
  }
  if (rule == "url-or-private") {
    if (value == "private") return std::nullopt;
    for (const auto* scheme : {"http://", "https://", "ftp://", "ftps://"}) {
      if (value.starts_with(scheme) && value.size() > std::string_view(scheme).size()) return std::nullopt;
    }
    return fmt::format("{}={} is neither a URL (http, https, ftp, ftps) nor 'private'", property, value);
  }
  if (rule == "uuid-validity") {
    if (value == "none" || value == "notice" || value == "forever") return std::nullopt;
    if (value.starts_with("last-") && all_digits(value.substr(5))) return std::nullopt;
    if (parse_utc(value)) return std::nullopt;
    return fmt::format("{}={} is none of none, notice, forever, last-N or a date", property, value);
  }
  if (rule == "digits") {
    if (all_digits(value)) return std::nullopt;
    return fmt::format("{}={} is not a whole number of hours", property, value);
  }
  throw std::logic_error("unknown scs-0102 rule " + rule);
}

Result image_property_check(Context& context, const Params& params) {
  const auto now = Clock::to_time_t(context.now());
  const auto images = offered_images(context.openstack());
  std::vector<Finding> evidence;
  for (const auto* image : images) {
    if (auto problem = property_problem(*image, params, now))
      evidence.push_back({describe_image(*image), *problem});
  }
  const auto property = params.at("property").get<std::string>();
  if (!evidence.empty()) {
    auto summary =
        fmt::format("{} of {} public images break the rule for {}", evidence.size(), images.size(), property);
    return Result::fail(std::move(summary), std::move(evidence));
  }
  return Result::pass(fmt::format("{} is fine on all {} public images", property, images.size()));
}

std::optional<std::chrono::hours> period_of(const std::string& frequency) {
  using std::chrono::hours;
  static const std::map<std::string, hours> periods{{"yearly", hours(365 * 24)},
                                                    {"quarterly", hours(92 * 24)},
                                                    {"monthly", hours(31 * 24)},
                                                    {"weekly", hours(175)},
                                                    {"daily", hours(25)}};
  const auto it = periods.find(frequency);
  if (it == periods.end()) return std::nullopt;
  return it->second;
}

bool is_marked_name(const std::string& name) {
  const auto space = name.rfind(' ');
  if (space == std::string::npos) return false;
  const auto last = name.substr(space + 1);
  if (last == "old" || last == "prev") return true;
  return (last.size() == 8 && all_digits(last)) || (last.size() == 10 && parse_utc(last).has_value());
}

// Outdated: its replace_frequency period (with the standard's 10 % tolerance, as the official
// check applies it) has passed since the build, and provided_until still promises updates.
// A missing provided_until promises nothing (prop-provided_until reports it), so it is not
// judged here; the official check aborts on it.
std::optional<std::string> outdated(const json& image, std::time_t now) {
  const auto frequency = image_property(image, "replace_frequency");
  const auto period = period_of(frequency);
  if (!period) return std::nullopt;  // never, critical_bug or unknown: no schedule to miss
  auto built = parse_utc(image_property(image, "image_build_date"));
  if (!built) built = parse_utc(image_property(image, "created_at"));
  if (!built) return std::nullopt;
  const auto tolerance = std::chrono::duration_cast<std::chrono::seconds>(*period * 11 / 10);
  if (now <= *built + tolerance.count()) return std::nullopt;
  const auto until = image_property(image, "provided_until");
  if (until.empty() || until == "none" || until == "notice") return std::nullopt;
  const auto until_time = parse_utc(until);
  if (!until_time) return fmt::format("provided_until={} is no date, none or notice", until);
  if (now > *until_time) return std::nullopt;  // the promise has ended
  return fmt::format("built {}, {} updates promised until {}", image_property(image, "image_build_date"),
                     frequency, until);
}

Result image_recency(Context& context, const Params&) {
  const auto now = Clock::to_time_t(context.now());
  const auto images = offered_images(context.openstack());
  std::map<std::string, const json*> by_name;
  for (const auto* image : images) by_name[image_property(*image, "name")] = image;
  std::vector<Finding> evidence;
  std::vector<std::string> notes;
  for (const auto* image : images) {
    const auto why = outdated(*image, now);
    if (!why) continue;
    if (why->starts_with("provided_until=")) {
      evidence.push_back({describe_image(*image), *why});
      continue;
    }
    const auto name = image_property(*image, "name");
    const auto space = name.rfind(' ');
    const bool marked = image_property(*image, "os_hidden") == "true" || is_marked_name(name);
    if (space != std::string::npos) {
      const auto it = by_name.find(name.substr(0, space));
      if (it != by_name.end() && !outdated(*it->second, now)) {
        if (!marked)
          notes.push_back(fmt::format("{} is outdated and not marked as old", describe_image(*image)));
        continue;
      }
    }
    evidence.push_back(
        {describe_image(*image), fmt::format("{}; no up-to-date replacement image is offered", *why)});
  }
  if (!evidence.empty()) {
    auto summary = fmt::format("{} public images are out of date", evidence.size());
    return Result::fail(std::move(summary), std::move(evidence), std::move(notes));
  }
  return Result::pass(
      fmt::format("none of {} public images is out of date without replacement", images.size()),
      std::move(notes));
}

// At most one visible public generic image per (architecture, os_distro, os_version).
Result os_purpose_uniqueness(Context& context, const Params&) {
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const json*>> groups;
  for (const auto* image : offered_images(context.openstack())) {
    if (image_property(*image, "visibility") != "public" || image_property(*image, "os_hidden") == "true")
      continue;
    if (image_property(*image, "os_purpose") != "generic") continue;
    const auto distro = image_property(*image, "os_distro");
    const auto version = image_property(*image, "os_version");
    if (distro.empty() || version.empty()) continue;
    groups[{image_property(*image, "architecture"), distro, version}].push_back(image);
  }
  std::vector<Finding> evidence;
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    for (const auto* image : members) {
      evidence.push_back({describe_image(*image),
                          fmt::format("one of {} visible public generic images for ({}, {}, {})",
                                      members.size(), std::get<0>(key), std::get<1>(key), std::get<2>(key))});
    }
  }
  if (!evidence.empty()) {
    return Result::fail("several visible public generic images for the same distribution and version",
                        std::move(evidence));
  }
  return Result::pass(fmt::format("{} distribution versions, one visible generic image each", groups.size()));
}

}  // namespace

void register_scs_0102(Registry& registry) {
  registry.add("image-property", image_property_check);
  registry.add("image-recency", image_recency);
  registry.add("image-os-purpose-uniqueness", os_purpose_uniqueness);
}

}  // namespace scs::checks
