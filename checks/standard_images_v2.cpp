#include "checks/standard_images_v2.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <regex>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "checks/images.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

using std::chrono::year_month_day;

constexpr const char* kReleaseData = "scs-0104-v2-releases.yaml";

std::optional<year_month_day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0, day = 0;
  const auto number = [&](std::size_t from, std::size_t count, auto& out) {
    const auto* first = text.data() + from;
    const auto [end, error] = std::from_chars(first, first + count, out);
    return error == std::errc() && end == first + count;
  };
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return std::nullopt;
  const year_month_day parsed{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  return parsed.ok() ? std::optional(parsed) : std::nullopt;
}

year_month_day today_of(const Context& context) {
  return year_month_day(std::chrono::floor<std::chrono::days>(context.now()));
}

std::string text_param(const Params& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || !it->is_string())
    throw Error(fmt::format("the testcase has no text parameter '{}'", key));
  return it->get<std::string>();
}

std::vector<std::string> list_param(const Params& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end()) return {};
  if (!it->is_array()) throw Error(fmt::format("the testcase parameter '{}' is no list", key));
  return it->get<std::vector<std::string>>();
}

std::regex regex_param(const Params& params, const char* key) {
  const auto pattern = text_param(params, key);
  try {
    return std::regex(pattern);
  } catch (const std::regex_error& error) {
    throw Error(fmt::format("the testcase parameter {} '{}' is no regular expression: {}", key, pattern,
                            error.what()));
  }
}

// Like the official suite's re.match: the name starts with a match (v1 does the same).
bool name_matches(const nlohmann::json& image, const std::regex& pattern) {
  const auto name = image_property(image, "name");
  return std::regex_search(name, pattern, std::regex_constants::match_continuous);
}

// Glance lists os_hidden images only when asked; one that shows up anyway is not what a user
// searching the public images finds (scs-0102-v2's wording), so it offers nothing.
bool visible(const nlohmann::json& image) { return image_property(image, "os_hidden") != "true"; }

std::string describe_versions(const std::vector<const DistroRelease*>& releases) {
  std::vector<std::string> versions;
  for (const auto* release : releases) versions.push_back(release->version);
  return fmt::format("{}", fmt::join(versions, " or "));
}

// Numeric comparison of dotted versions ("26.04" < "28.04", "9" < "13"); nullopt when either is
// not made of numbers.
std::optional<bool> version_newer(const std::string& left, const std::string& right) {
  const auto parts = [](const std::string& text) -> std::optional<std::vector<int>> {
    std::vector<int> numbers;
    std::size_t from = 0;
    while (from <= text.size()) {
      const auto dot = std::min(text.find('.', from), text.size());
      int value = 0;
      const auto [end, error] = std::from_chars(text.data() + from, text.data() + dot, value);
      if (error != std::errc() || end != text.data() + dot) return std::nullopt;
      numbers.push_back(value);
      from = dot + 1;
    }
    return numbers;
  };
  const auto a = parts(left), b = parts(right);
  if (!a || !b) return std::nullopt;
  return *a > *b;
}

const DistroRelease* find_release(const std::vector<DistroRelease>& releases, const std::string& version) {
  const auto it = std::find_if(releases.begin(), releases.end(),
                               [&](const DistroRelease& release) { return release.version == version; });
  return it == releases.end() ? nullptr : &*it;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Whether `source` starts with the source form `pattern`, its "{codename}" being `codename`, or
// (for a release the data does not know) any lowercase word.
bool under_form(const std::string& source, const std::string& pattern,
                const std::optional<std::string>& codename) {
  const auto at = pattern.find("{codename}");
  if (at == std::string::npos) return source.starts_with(pattern);
  if (codename) return source.starts_with(replace_all(pattern, "{codename}", *codename));
  const auto before = pattern.substr(0, at),
             after = pattern.substr(at + std::string_view("{codename}").size());
  if (!source.starts_with(before)) return false;
  auto end = before.size();
  while (end < source.size() && source[end] >= 'a' && source[end] <= 'z') ++end;
  return end > before.size() && std::string_view(source).substr(end).starts_with(after);
}

}  // namespace

std::vector<DistroRelease> parse_distro_releases(const std::string& text, const std::string& distro,
                                                 const std::string& origin) {
  std::vector<DistroRelease> releases;
  try {
    const auto root = YAML::Load(text);
    const auto list = root[distro];
    if (!list || !list.IsSequence() || list.size() == 0)
      throw Error(fmt::format("the release data {} has no list of {} releases", origin, distro));
    for (const auto& node : list) {
      DistroRelease release;
      release.version = node["version"].as<std::string>();
      release.codename = node["codename"].as<std::string>();
      if (node["released"]) {
        release.released = parse_day(node["released"].as<std::string>());
        if (!release.released) {
          throw Error(fmt::format("the release data {} gives {} {} the release day '{}', not YYYY-MM-DD",
                                  origin, distro, release.version, node["released"].as<std::string>()));
        }
      }
      if (node["lts"]) release.lts = node["lts"].as<bool>();
      releases.push_back(std::move(release));
    }
  } catch (const YAML::Exception& error) {
    throw Error(fmt::format("the release data {} is not valid: {}", origin, error.what()));
  }
  return releases;
}

year_month_day ReleaseDue::for_release(year_month_day released) const {
  if (day_of_release_year) {
    const year_month_day due{released.year(), day_of_release_year->month(), day_of_release_year->day()};
    return std::max(due, released);
  }
  auto due = released + std::chrono::months(months_after_release);
  // January 31 plus a month: the end of February.
  if (!due.ok())
    due = year_month_day(
        std::chrono::year_month_day_last(due.year(), std::chrono::month_day_last(due.month())));
  return due;
}

WantedRelease wanted_release(const std::vector<DistroRelease>& releases, year_month_day today, bool previous,
                             bool lts_only, const ReleaseDue& due) {
  std::vector<const DistroRelease*> out;
  for (const auto& release : releases) {
    if (release.released && *release.released <= today && (release.lts || !lts_only)) out.push_back(&release);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return *a->released < *b->released; });
  if (out.empty()) throw Error(fmt::format("the release data knows no release out on {}", format_day(today)));
  const std::size_t last = out.size() - 1;
  WantedRelease wanted;
  wanted.newest = out[last];
  wanted.newest_due = due.for_release(*out[last]->released);
  // The newest release in its due period shares the place with the one before it.
  const std::size_t in_force = (wanted.newest_due <= today || last == 0) ? last : last - 1;
  if (!previous) {
    wanted.accepted.assign(out.begin() + static_cast<std::ptrdiff_t>(in_force), out.end());
    return wanted;
  }
  if (in_force == 0) {
    throw Error(fmt::format("the release data knows no release before {}", out[in_force]->version));
  }
  wanted.accepted.assign(out.begin() + static_cast<std::ptrdiff_t>(in_force - 1),
                         out.begin() + static_cast<std::ptrdiff_t>(last));
  return wanted;
}

std::string format_day(year_month_day day) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                     static_cast<unsigned>(day.day()));
}

Result standard_release_image_offered(Context& context, const Params& params) {
  const auto distro = text_param(params, "os_distro");
  const auto purpose = text_param(params, "os_purpose");
  const auto which = text_param(params, "release");
  if (which != "latest" && which != "previous")
    throw Error(fmt::format("the testcase parameter release is '{}', not latest or previous", which));
  const bool previous = which == "previous";
  const bool lts_only = params.value("lts_only", false);
  ReleaseDue due;
  if (params.contains("due_day_of_release_year")) {
    const auto day = parse_day("2000-" + text_param(params, "due_day_of_release_year"));
    if (!day) throw Error("the testcase parameter due_day_of_release_year is not MM-DD");
    due.day_of_release_year = std::chrono::month_day(day->month(), day->day());
  } else {
    due.months_after_release = params.value("due_months_after_release", 0);
  }
  const auto releases = parse_distro_releases(context.data_file(kReleaseData), distro, kReleaseData);
  const auto wanted = wanted_release(releases, today_of(context), previous, lts_only, due);

  const auto kind =
      fmt::format("{} {}{}", previous ? "previous" : "latest", distro, lts_only ? " LTS" : " stable");
  const auto accepted = [&](const std::string& version) {
    return std::any_of(wanted.accepted.begin(), wanted.accepted.end(),
                       [&](const auto* release) { return release->version == version; });
  };
  // A release newer than every one out by the data (the data is behind: not listed, or listed
  // without its release day) counts as the latest.
  const auto beyond_data = [&](const std::string& version) {
    const auto* listed = find_release(releases, version);
    if (previous || (listed != nullptr && listed->released)) return false;
    if (lts_only && !(listed != nullptr ? listed->lts : version.ends_with(".04"))) return false;
    return std::all_of(releases.begin(), releases.end(), [&](const DistroRelease& release) {
      return !release.released || version_newer(version, release.version).value_or(false);
    });
  };

  std::vector<std::string> found, notes;
  std::vector<Finding> near;
  for (const auto* image : offered_images(context.openstack())) {
    if (image_property(*image, "os_distro") != distro) continue;
    const auto version = image_property(*image, "os_version");
    const bool wanted_version = accepted(version) || beyond_data(version);
    if (!wanted_version) continue;
    const auto image_purpose = image_property(*image, "os_purpose");
    if (image_purpose != purpose) {
      near.push_back({describe_image(*image), fmt::format("has os_version {} but os_purpose '{}', not '{}'",
                                                          version, image_purpose, purpose)});
    } else if (!visible(*image)) {
      near.push_back(
          {describe_image(*image), fmt::format("has os_version {} but is hidden (os_hidden)", version)});
    } else {
      found.push_back(fmt::format("{} ({} {})", describe_image(*image), distro, version));
      if (!accepted(version)) {
        notes.push_back(
            fmt::format("{} counts as the {}: os_version {} is newer than every release out by {}",
                        describe_image(*image), kind, version, kReleaseData));
      }
    }
  }
  const auto release_text = fmt::format(
      "{} {} (the {}; {} {} came out {}, due {})", distro, describe_versions(wanted.accepted), kind, distro,
      wanted.newest->version, format_day(*wanted.newest->released), format_day(wanted.newest_due));
  if (!found.empty()) {
    return Result::pass(fmt::format("{} is offered: {}", release_text, fmt::join(found, ", ")),
                        std::move(notes));
  }
  near.insert(near.begin(), {fmt::format("os_distro={} os_version={} os_purpose={}", distro,
                                         describe_versions(wanted.accepted), purpose),
                             "no public or community image with these properties is offered"});
  return Result::fail(fmt::format("no public image {} is offered", release_text), std::move(near));
}

Result generic_image_vendor_source(Context& context, const Params& params) {
  const auto purpose = text_param(params, "os_purpose");
  const auto distros = params.find("distros");
  if (distros == params.end() || !distros->is_object() || distros->empty())
    throw Error("the testcase has no 'distros' parameter (os_distro: version_form, sources)");
  std::vector<std::string> names;
  for (const auto& [name, rule] : distros->items()) names.push_back(name);
  const auto judged_kind = fmt::format("generic {} images", fmt::join(names, "/"));
  std::vector<Finding> evidence;
  std::vector<std::string> notes;
  std::size_t judged = 0, other = 0;
  std::map<std::string, std::vector<DistroRelease>> known;  // the release data, read per distro once
  for (const auto* image : offered_images(context.openstack())) {
    if (image_property(*image, "os_purpose") != purpose) continue;
    const auto distro = image_property(*image, "os_distro");
    const auto rule = distros->find(distro);
    if (rule == distros->end()) {
      ++other;
      continue;
    }
    ++judged;
    const auto version = image_property(*image, "os_version");
    const auto form = regex_param(*rule, "version_form");
    if (!std::regex_match(version, form)) {
      evidence.push_back({describe_image(*image),
                          fmt::format("os_version '{}' is not of the form {} the standard gives for {}",
                                      version, text_param(*rule, "version_form"), distro)});
      continue;
    }
    auto& releases = known[distro];
    if (releases.empty())
      releases = parse_distro_releases(context.data_file(kReleaseData), distro, kReleaseData);
    const auto* release = find_release(releases, version);
    if (release == nullptr) {
      notes.push_back(fmt::format("{}: {} {} is not in {}, so any codename is accepted in its image_source",
                                  describe_image(*image), distro, version, kReleaseData));
    }
    const auto source = image_property(*image, "image_source");
    std::vector<std::string> forms;
    bool ok = false;
    for (const auto& pattern : list_param(*rule, "sources")) {
      forms.push_back(release != nullptr ? replace_all(pattern, "{codename}", release->codename) : pattern);
      ok = ok ||
           under_form(source, pattern, release != nullptr ? std::optional(release->codename) : std::nullopt);
    }
    if (!ok) {
      evidence.push_back({describe_image(*image), fmt::format("image_source {} is not under {} ({} {})",
                                                              source.empty() ? "(none)" : source,
                                                              fmt::join(forms, " or "), distro, version)});
    }
  }
  if (other > 0) {
    notes.push_back(
        fmt::format("generic images of other distributions are not judged ({}): the standard only "
                    "recommends the vendor's source for them",
                    other));
  }
  if (!evidence.empty()) {
    auto summary = fmt::format("{} of {} {} do not come from the vendor's location", evidence.size(), judged,
                               judged_kind);
    return Result::fail(std::move(summary), std::move(evidence), std::move(notes));
  }
  if (judged == 0) return Result::not_applicable(fmt::format("no public {} are offered", judged_kind));
  return Result::pass(fmt::format("all {} {} come from the vendor's location", judged, judged_kind),
                      std::move(notes));
}

Result capi_image_properties(Context& context, const Params& params) {
  const auto pattern = regex_param(params, "name_pattern");
  const auto sources = list_param(params, "sources");
  const auto tolerated = list_param(params, "tolerated_sources");
  const auto purpose = text_param(params, "os_purpose");
  const auto description = text_param(params, "image_description");
  const auto under = [](const std::string& source, const std::vector<std::string>& prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](const std::string& prefix) { return source.starts_with(prefix); });
  };
  std::vector<Finding> evidence;
  std::vector<std::string> notes;
  std::size_t judged = 0;
  for (const auto* image : offered_images(context.openstack())) {
    if (!name_matches(*image, pattern)) continue;
    ++judged;
    std::vector<std::string> wrong;
    const auto source = image_property(*image, "image_source");
    if (under(source, tolerated)) {
      notes.push_back(
          fmt::format("{} comes from {}, tolerated for compatibility", describe_image(*image), source));
    } else if (!under(source, sources)) {
      wrong.push_back(fmt::format("image_source {} is not under {}", source.empty() ? "(none)" : source,
                                  fmt::join(sources, " or ")));
    }
    if (const auto value = image_property(*image, "os_purpose"); value != purpose)
      wrong.push_back(fmt::format("os_purpose is '{}', not '{}'", value, purpose));
    if (const auto value = image_property(*image, "image_description"); value != description)
      wrong.push_back(fmt::format("image_description is '{}', not {}", value, description));
    if (!wrong.empty())
      evidence.push_back({describe_image(*image), fmt::format("{}", fmt::join(wrong, "; "))});
  }
  if (!evidence.empty()) {
    auto summary = fmt::format("{} of {} official SCS CAPI images lack the standard's properties",
                               evidence.size(), judged);
    return Result::fail(std::move(summary), std::move(evidence), std::move(notes));
  }
  if (judged == 0) {
    return Result::not_applicable(fmt::format("no public image is named like an official SCS CAPI image ({})",
                                              text_param(params, "name_pattern")));
  }
  return Result::pass(
      fmt::format("all {} official SCS CAPI images have the standard's source, os_purpose and "
                  "image_description",
                  judged),
      std::move(notes));
}

Result capi_image_offered(Context& context, const Params& params) {
  const auto pattern = regex_param(params, "name_pattern");
  std::vector<std::string> found;
  for (const auto* image : offered_images(context.openstack())) {
    if (visible(*image) && name_matches(*image, pattern)) found.push_back(describe_image(*image));
  }
  if (found.empty()) {
    const auto name = text_param(params, "name_pattern");
    return Result::fail(
        fmt::format("no public image is named like {}", name),
        {{fmt::format("images named {}", name), "no public or community, visible image has such a name"}});
  }
  return Result::pass(fmt::format("offered: {}", fmt::join(found, ", ")));
}

}  // namespace scs::checks
