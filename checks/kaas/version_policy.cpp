#include "checks/kaas/version_policy.hpp"

#include <algorithm>
#include <charconv>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace scs::checks::kaas {

using nlohmann::json;
using std::chrono::days;

namespace {

// scs-0210-v2's deadlines. "1 month" is read as 31 days, like the official check.
constexpr days kPatchDeadline{31};
constexpr days kCriticalDeadline{14};
constexpr days kCriticalRecommended{2};
constexpr std::chrono::months kNewMinorDeadline{4};
// Every branch is supported for at least 12 months after its release (kubernetes.io/releases):
// a branch newer than the data set was released after `retrieved`, so it is surely supported
// until retrieved + 12 months.
constexpr days kMinimumSupport{365};
// Upstream keeps three branches in support; fewer supported ones means the data is outdated.
constexpr std::size_t kUsualSupportedBranches = 3;

bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::string plain(const KubeVersion& version) { return version.text(); }

std::optional<std::pair<int, int>> parse_branch(std::string_view text) {
  const auto dot = text.find('.');
  int major = 0;
  int minor = 0;
  if (dot == std::string_view::npos || !parse_int(text.substr(0, dot), major) ||
      !parse_int(text.substr(dot + 1), minor))
    return std::nullopt;
  return std::pair{major, minor};
}

long long days_between(Date from, Date to) { return (to - from).count(); }

const Branch* find_branch(const VersionData& data, int major, int minor) {
  const auto it = std::find_if(data.branches.begin(), data.branches.end(),
                               [&](const Branch& b) { return b.major == major && b.minor == minor; });
  return it == data.branches.end() ? nullptr : &*it;
}

std::optional<Date> release_date(const VersionData& data, const KubeVersion& version) {
  for (const auto& patch : data.patches) {
    if (patch.version == version) return patch.released;
  }
  return std::nullopt;
}

bool same_branch(const KubeVersion& a, const KubeVersion& b) {
  return a.major == b.major && a.minor == b.minor;
}

Finding finding(const KubeVersion& version, std::string message) {
  return {fmt::format("cluster version {}", plain(version)), std::move(message)};
}

// A branch the data knows, and whether `today` is past its end of life. An end of life that is
// not announced yet (upstream sets it about a year after the release) is no violation: the
// branch is reported as supported with its end of life unknown, never guessed.
void check_known_branch(const Branch& branch, const KubeVersion& version, Date today,
                        PolicyVerdict& verdict) {
  if (!branch.end_of_life) {
    std::string floor;
    if (branch.released) {
      floor = fmt::format(
          "; every branch is supported for 12 months after its release ({}), so at least until {}",
          format_date(*branch.released), format_date(*branch.released + kMinimumSupport));
    }
    verdict.notes.push_back(fmt::format(
        "branch {}: end of life unknown (not announced in the version data, {}): not judged as end of life{}",
        branch.name(), cite(branch.provenance), floor));
    return;
  }
  if (today >= *branch.end_of_life) {
    verdict.violations.push_back(finding(
        version, fmt::format("Kubernetes {} reached its end of life on {} ({}): no supported branch",
                             version.branch(), format_date(*branch.end_of_life), cite(branch.provenance))));
  } else {
    verdict.notes.push_back(fmt::format("branch {} is supported until {} ({})", version.branch(),
                                        format_date(*branch.end_of_life), cite(branch.provenance)));
  }
}

void check_branch(const KubeVersion& version, Date today, const VersionData& data, PolicyVerdict& verdict) {
  if (const auto* branch = find_branch(data, version.major, version.minor)) {
    check_known_branch(*branch, version, today, verdict);
    return;
  }
  if (data.branches.empty()) {
    verdict.undetermined = "the version data lists no Kubernetes branch";
    return;
  }
  const auto [oldest, newest] =
      std::minmax_element(data.branches.begin(), data.branches.end(), [](const Branch& a, const Branch& b) {
        return std::tie(a.major, a.minor) < std::tie(b.major, b.minor);
      });
  if (std::tie(version.major, version.minor) > std::tie(newest->major, newest->minor)) {
    if (today < data.retrieved + kMinimumSupport) {
      verdict.notes.push_back(fmt::format(
          "branch {} is newer than every branch the version data (retrieved {}) knows, so it was released "
          "after {} and is within the 12 months every branch is supported",
          version.branch(), format_date(data.retrieved), format_date(data.retrieved)));
    } else {
      verdict.undetermined = fmt::format(
          "the version data (retrieved {}) does not know Kubernetes {}, and it is too old to tell whether "
          "{} is still supported: run online (without --offline), or update "
          "standards/data/k8s-version-data.json (scs-conformance refresh-data)",
          format_date(data.retrieved), version.branch(), version.branch());
    }
    return;
  }
  if (std::tie(version.major, version.minor) < std::tie(oldest->major, oldest->minor) &&
      oldest->end_of_life && today >= *oldest->end_of_life) {
    verdict.violations.push_back(finding(
        version,
        fmt::format("Kubernetes {} is older than {}, which already reached its end of life on {} ({})",
                    version.branch(), oldest->name(), format_date(*oldest->end_of_life),
                    cite(oldest->provenance))));
    return;
  }
  verdict.undetermined =
      fmt::format("the version data (retrieved {}) has no end-of-life date for Kubernetes {}",
                  format_date(data.retrieved), version.branch());
}

void check_patch(const KubeVersion& version, Date today, const VersionData& data, PolicyVerdict& verdict) {
  std::vector<const PatchRelease*> newer;
  const PatchRelease* newest_known = nullptr;
  for (const auto& patch : data.patches) {
    if (!same_branch(patch.version, version)) continue;
    if (patch.version > version) newer.push_back(&patch);
    if (newest_known == nullptr || patch.version > newest_known->version) newest_known = &patch;
  }
  if (newer.empty()) {
    const auto newest =
        newest_known == nullptr
            ? fmt::format("it knows no patch release of {}", version.branch())
            : fmt::format("the newest it knows is {} of {} ({})", plain(newest_known->version),
                          format_date(newest_known->released), cite(newest_known->provenance));
    verdict.notes.push_back(fmt::format(
        "no patch release of {} newer than {} is known up to {} to the version data: {}; later ones are "
        "unknown to it",
        version.branch(), plain(version), format_date(data.retrieved), newest));
    return;
  }
  const auto* first = *std::min_element(
      newer.begin(), newer.end(), [](const auto* a, const auto* b) { return a->released < b->released; });
  const auto* latest = *std::max_element(
      newer.begin(), newer.end(), [](const auto* a, const auto* b) { return a->version < b->version; });
  const auto age = days_between(first->released, today);
  if (today - first->released > kPatchDeadline) {
    verdict.violations.push_back(finding(
        version,
        fmt::format("patch release {} came out on {} ({} days ago, more than a month; {}); the latest patch "
                    "release of {} is {} ({})",
                    plain(first->version), format_date(first->released), age, cite(first->provenance),
                    version.branch(), plain(latest->version), format_date(latest->released))));
  } else {
    verdict.notes.push_back(fmt::format(
        "patch release {} came out {} days ago ({}): it must be installed by {}", plain(first->version), age,
        cite(first->provenance), format_date(first->released + kPatchDeadline)));
  }
}

void check_cves(const KubeVersion& version, Date today, const VersionData& data, PolicyVerdict& verdict) {
  for (const auto& cve : data.cves) {
    if (cve.cvss < 8.0) continue;
    const auto range = std::find_if(cve.affected.begin(), cve.affected.end(), [&](const AffectedRange& r) {
      return r.from <= version && version < r.fixed;
    });
    if (range == cve.affected.end()) continue;
    // The fix on the cluster's own branch, when there is one; else the CVE's publication is when
    // an upgrade (to a fixed branch) became possible.
    const bool fixed_on_branch = same_branch(range->fixed, version);
    const auto fix_date =
        fixed_on_branch ? release_date(data, range->fixed).value_or(cve.published) : cve.published;
    const auto how = fixed_on_branch ? fmt::format("fixed in {}", plain(range->fixed))
                                     : fmt::format("no fix on branch {}; fixed in {}", version.branch(),
                                                   plain(range->fixed));
    const auto age = days_between(fix_date, today);
    const auto what =
        fmt::format("{} (CVSS {:.1f}, {}): {}, available since {} ({} days; {})", cve.id, cve.cvss,
                    cve.summary, how, format_date(fix_date), age, cite(cve.provenance));
    if (today - fix_date > kCriticalDeadline) {
      verdict.violations.push_back(
          finding(version, fmt::format("affected by critical {}; critical fixes must be "
                                       "installed within 2 weeks",
                                       what)));
    } else if (today - fix_date > kCriticalRecommended) {
      verdict.notes.push_back(
          fmt::format("WARNING: affected by critical {}; recommended within 2 days, required "
                      "by {}",
                      what, format_date(fix_date + kCriticalDeadline)));
    } else {
      verdict.notes.push_back(fmt::format("affected by critical {}; install it by {}", what,
                                          format_date(fix_date + kCriticalDeadline)));
    }
  }
}

// The newest minor version must be offered within 4 months of its release. That is a rule on
// the provider's offer, which one cluster cannot show: we say what the offer must include.
void note_new_minor(const KubeVersion& version, Date today, const VersionData& data, PolicyVerdict& verdict) {
  if (data.branches.empty()) return;
  const auto newest = std::max_element(
      data.branches.begin(), data.branches.end(),
      [](const auto& a, const auto& b) { return std::tie(a.major, a.minor) < std::tie(b.major, b.minor); });
  if (std::tie(version.major, version.minor) >= std::tie(newest->major, newest->minor)) return;
  if (!newest->released) return;  // release date unknown: nothing to say when it is due
  const Date due{std::chrono::year_month_day(*newest->released) + kNewMinorDeadline};
  if (today < due) return;
  verdict.notes.push_back(fmt::format(
      "not checked (one cluster cannot show what a provider offers): Kubernetes {}, released {}, must be "
      "offered since {}",
      newest->name(), format_date(*newest->released), format_date(due)));
}

void note_data(Date today, const VersionData& data, PolicyVerdict& verdict) {
  verdict.notes.push_back(
      fmt::format("version data: {}, retrieved {} ({} days before the check); releases and CVEs after that "
                  "are unknown to it",
                  data.origin, format_date(data.retrieved), days_between(data.retrieved, today)));
  // A branch with an unknown end of life counts as supported: it was released and not ended.
  const auto supported = std::count_if(data.branches.begin(), data.branches.end(), [&](const Branch& b) {
    return !b.end_of_life || today < *b.end_of_life;
  });
  if (static_cast<std::size_t>(supported) < kUsualSupportedBranches) {
    verdict.notes.push_back(fmt::format(
        "WARNING: the version data knows only {} supported branch(es) on {}: it is probably outdated",
        supported, format_date(today)));
  }
  for (const auto& remark : data.remarks) verdict.notes.push_back(remark);
}

// An answer's string field, or `fallback` when it is missing or of another type (nlohmann's
// value() throws its own type_error for those, which no caller expects).
std::string string_or(const json& object, const char* key, std::string fallback = {}) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::optional<double> cvss_in_text(const std::string& text) {
  // The SRC announcements say e.g. "CVSS Rating: High (8.8)", or "rated High ([CVSS:3.1/…](…))
  // (score: 8.1)" with the vector as a link.
  static const std::regex rating(R"(CVSS[^()\n]*\((\d+(?:\.\d)?)\))", std::regex::icase);
  static const std::regex score(R"(\(score:\s*(\d+(?:\.\d)?)\))", std::regex::icase);
  std::smatch match;
  if (!std::regex_search(text, match, rating) && !std::regex_search(text, match, score)) return std::nullopt;
  try {
    return std::stod(match[1].str());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!parse_int(text.substr(0, 4), year) || !parse_int(text.substr(5, 2), month) ||
      !parse_int(text.substr(8, 2), day))
    return std::nullopt;
  // "2024-11-20T18:03:11Z" (the CVE feed) is read as its date.
  if (text.size() > 10 && text[10] != 'T') return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return Date{date};
}

std::string format_date(Date date) {
  const std::chrono::year_month_day ymd{date};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::optional<std::pair<int, int>> parse_branch_name(std::string_view text) { return parse_branch(text); }

std::string KubeVersion::branch() const { return fmt::format("{}.{}", major, minor); }
std::string KubeVersion::text() const { return fmt::format("{}.{}.{}", major, minor, patch); }

std::optional<KubeVersion> parse_kube_version(std::string_view git_version) {
  if (git_version.starts_with('v')) git_version.remove_prefix(1);
  const auto numbers_end = git_version.find_first_not_of("0123456789.");
  const auto numbers = git_version.substr(0, numbers_end);
  KubeVersion version;
  const auto first = numbers.find('.');
  const auto second = first == std::string_view::npos ? first : numbers.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (!parse_int(numbers.substr(0, first), version.major) ||
      !parse_int(numbers.substr(first + 1, second - first - 1), version.minor) ||
      !parse_int(numbers.substr(second + 1), version.patch))
    return std::nullopt;
  if (numbers_end != std::string_view::npos) {
    version.suffix = std::string(git_version.substr(numbers_end));
    // "1.31.4x" is not a version; a suffix starts with '-' (pre-release, vendor) or '+' (build).
    if (version.suffix.front() != '-' && version.suffix.front() != '+') return std::nullopt;
  }
  return version;
}

std::string cite(const Provenance& provenance) {
  return fmt::format("per {}, read {}", provenance.source, format_date(provenance.retrieved));
}

std::string Branch::name() const { return fmt::format("{}.{}", major, minor); }

void merge_endoflife(VersionData& data, const json& answer, Date today, Strictness strictness) {
  const bool strict = strictness == Strictness::strict;
  if (!answer.is_array())
    throw UnreachableError(
        fmt::format("{} answered with something other than a list of cycles", kEndOfLifeUrl));
  const Provenance provenance{kEndOfLifeUrl, today};
  std::vector<Branch> branches;
  for (std::size_t index = 0; index < answer.size(); ++index) {
    const auto& cycle = answer[index];
    const auto name = cycle.is_object() && cycle.contains("cycle") && cycle["cycle"].is_string()
                          ? cycle["cycle"].get<std::string>()
                          : fmt::format("#{}", index + 1);
    const auto reject = [&](const std::string& why) {
      if (strict) throw UnreachableError(fmt::format("{}: cycle {}: {}", kEndOfLifeUrl, name, why));
    };
    if (!cycle.is_object()) {
      reject("not an object");
      continue;
    }
    for (const char* key : {"cycle", "releaseDate", "eol", "latest", "latestReleaseDate"}) {
      if (!cycle.contains(key)) reject(fmt::format("'{}' missing", key));
    }
    const auto numbers = parse_branch(string_or(cycle, "cycle"));
    const auto released = parse_date(string_or(cycle, "releaseDate"));
    if (!numbers) reject("'cycle' is not MAJOR.MINOR");
    if (!released) reject("'releaseDate' is not a date");
    // `eol` is a date, false while none is announced (unknown: never guessed), or true for an
    // ended cycle without a date (counted as ended today).
    std::optional<Date> eol;
    bool eol_usable = false;
    if (cycle.contains("eol") && cycle["eol"].is_string()) {
      eol = parse_date(cycle["eol"].get<std::string>());
      eol_usable = eol.has_value();
    } else if (cycle.contains("eol") && cycle["eol"].is_boolean()) {
      if (cycle["eol"].get<bool>()) eol = today;
      eol_usable = true;
    }
    if (!eol_usable) reject("'eol' is neither a date nor a boolean");
    if (!numbers || !released || !eol_usable) continue;
    Branch branch;
    branch.major = numbers->first;
    branch.minor = numbers->second;
    branch.released = released;
    branch.end_of_life = eol;
    branch.provenance = provenance;
    branches.push_back(std::move(branch));
    const auto latest = parse_kube_version(string_or(cycle, "latest"));
    const auto latest_date = parse_date(string_or(cycle, "latestReleaseDate"));
    if (!latest) reject("'latest' is not a version X.Y.Z");
    if (!latest_date) reject("'latestReleaseDate' is not a date");
    if (latest && latest_date && !release_date(data, *latest))
      data.patches.push_back({*latest, *latest_date, provenance});
  }
  if (branches.empty())
    throw UnreachableError(fmt::format("{} answered without a usable Kubernetes cycle", kEndOfLifeUrl));
  std::sort(branches.begin(), branches.end(), [](const Branch& a, const Branch& b) {
    return std::tie(a.major, a.minor) < std::tie(b.major, b.minor);
  });
  std::sort(data.patches.begin(), data.patches.end(),
            [](const PatchRelease& a, const PatchRelease& b) { return a.version < b.version; });
  data.branches = std::move(branches);
  data.origin += fmt::format(", branches and latest patches refreshed from {}", kEndOfLifeUrl);
  data.retrieved = today;
  data.remarks.push_back(
      "endoflife.date names only the latest patch per branch: older patch releases after the bundled data's "
      "date are unknown");
}

void merge_cve_feed(VersionData& data, const json& feed, Strictness strictness) {
  if (!feed.is_object() || !feed.contains("items") || !feed["items"].is_array())
    throw UnreachableError(fmt::format("{} answered without an 'items' list (no JSON feed)", kCveFeedUrl));
  std::vector<std::string> unknown;
  for (const auto& item : feed["items"]) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string()) {
      if (strictness == Strictness::strict)
        throw UnreachableError(fmt::format("{}: an item has no 'id'", kCveFeedUrl));
      continue;
    }
    const auto id = item["id"].get<std::string>();
    const bool known =
        std::any_of(data.cves.begin(), data.cves.end(), [&](const auto& cve) { return cve.id == id; });
    if (known) continue;
    const auto score = cvss_in_text(string_or(item, "content_text"));
    if (score && *score >= 8.0) {
      // A remark is a note of the check's result, one line: the feed's id and url are not ours.
      data.remarks.push_back(escape_line_breaks(fmt::format(
          "WARNING: critical {} (CVSS {:.1f}) is in the CVE feed but not in the version data, so its "
          "affected versions were not checked: {}",
          id, *score, string_or(item, "url", kCveFeedUrl))));
    } else {
      unknown.push_back(id);
    }
  }
  data.origin += ", CVE list compared with the official Kubernetes CVE feed";
  if (!unknown.empty()) {
    data.remarks.push_back(
        fmt::format("{} CVE(s) of the feed are not in the version data and not critical by their "
                    "text (or without a score): not assessed",
                    unknown.size()));
  }
}

PolicyVerdict evaluate_version_policy(const KubeVersion& version, Date today, const VersionData& data) {
  PolicyVerdict verdict;
  check_branch(version, today, data, verdict);
  check_patch(version, today, data, verdict);
  check_cves(version, today, data, verdict);
  note_new_minor(version, today, data, verdict);
  note_data(today, data, verdict);
  return verdict;
}

}  // namespace scs::checks::kaas
