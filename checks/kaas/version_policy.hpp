#pragma once

// The rules of scs-0210-v2 (https://docs.scs.community/standards/scs-0210-v2-k8s-version-policy)
// as pure functions of the cluster's version, a date and a data set of Kubernetes releases.

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.hpp"

namespace scs::checks::kaas {

using Date = std::chrono::sys_days;

/// "2025-06-30" → Date; nullopt when it is not a valid calendar date.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);

/// "1.35" → {1, 35}; nullopt unless it is MAJOR.MINOR.
std::optional<std::pair<int, int>> parse_branch_name(std::string_view text);

struct KubeVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string suffix;  // "-eks-abc", "+k3s1", "-rc.1": kept for messages, ignored by the rules

  [[nodiscard]] std::string branch() const;  // "1.31"
  [[nodiscard]] std::string text() const;    // "1.31.4" (without the suffix)
  auto operator<=>(const KubeVersion& other) const {
    return std::tie(major, minor, patch) <=> std::tie(other.major, other.minor, other.patch);
  }
  bool operator==(const KubeVersion& other) const { return (*this <=> other) == 0; }
};

/// A /version gitVersion ("v1.31.4", "1.31.4", "v1.31.4+k3s1", "v1.31.4-eks-abc") → version;
/// nullopt unless it starts with MAJOR.MINOR.PATCH after an optional "v".
std::optional<KubeVersion> parse_kube_version(std::string_view git_version);

/// Where a fact of the data set comes from: the URL it was read from and the day it was read.
struct Provenance {
  std::string source;  // "https://kubernetes.io/releases/1.35/"
  Date retrieved;
};

/// "per https://kubernetes.io/releases/1.35/, read 2026-12-07": for messages that name the
/// entry a verdict relied on.
std::string cite(const Provenance& provenance);

struct Branch {
  int major = 1;
  int minor = 0;
  std::optional<Date> released;     // unknown when no source names it
  std::optional<Date> end_of_life;  // unknown while not announced
  Provenance provenance;            // of the end-of-life date (what verdicts rely on)
  std::string released_source;      // when the release date comes from elsewhere
  std::string note;                 // e.g. a disagreement between sources

  [[nodiscard]] std::string name() const;  // "1.35"
};

struct PatchRelease {
  KubeVersion version;
  Date released;
  Provenance provenance;
};

/// One affected range of a CVE: `from` ≤ version < `fixed`.
struct AffectedRange {
  KubeVersion from;
  KubeVersion fixed;
};

struct CriticalCve {
  std::string id;
  double cvss = 0;
  Date published;
  std::string summary;
  std::string url;  // the advisory (optional)
  std::vector<AffectedRange> affected;
  Provenance provenance;
};

struct VersionData {
  std::string origin;  // "bundled standards/data/k8s-version-data.json", "… refreshed from …"
  Date retrieved;      // when the data set was compiled; releases after it are unknown to it
  std::string description;
  std::string provenance;            // the file's own account of where its facts come from
  std::vector<std::string> sources;  // every URL the entries cite
  std::vector<Branch> branches;
  std::vector<PatchRelease> patches;
  std::vector<CriticalCve> cves;
  std::vector<std::string> remarks;  // what a refresh added or could not assess
};

constexpr const char* kEndOfLifeUrl = "https://endoflife.date/api/kubernetes.json";
constexpr const char* kCveFeedUrl =
    "https://kubernetes.io/docs/reference/issues-security/official-cve-feed/index.json";

/// Reads our data file format (standards/data/k8s-version-data.json); ConfigError naming
/// `source` on anything malformed. Every branch, patch and CVE names its `source` (an http(s)
/// URL) and the day it was `retrieved` (not after the file's own `retrieved`); a branch's
/// `released` and `end_of_life` may be null (unknown). `remarks` (optional) become notes.
VersionData parse_version_data(const nlohmann::json& document, const std::string& source);

/// How strictly an answer of a source is read. The run-time refresh skips what it cannot use
/// (the bundled data still decides); `refresh-data` writes a file others rely on, so it stops
/// at the first cycle or item that is not what the API documents.
enum class Strictness { lenient, strict };

/// Merges endoflife.date's answer (https://endoflife.date/api/kubernetes.json: cycle,
/// releaseDate, eol, latest, latestReleaseDate) into `data`: its branches replace ours, its
/// latest patch per branch is added, each stamped with the API's URL and `today`. `eol` false
/// (not announced) is an unknown end of life, true without a date counts as ended `today`.
/// UnreachableError naming the source when the answer has no usable cycle (strict: when any
/// cycle lacks a documented field).
void merge_endoflife(VersionData& data, const nlohmann::json& answer, Date today,
                     Strictness strictness = Strictness::lenient);

/// Merges the official Kubernetes CVE feed (JSON Feed 1.1): CVEs the data set does not know
/// are named in remarks (their affected versions are not machine-readable in the feed), a
/// critical one (CVSS ≥ 8 in its text) loudly; the CVEs the data set knows keep their fixed
/// versions and their own sources. UnreachableError when the answer is no feed (strict: when
/// an item has no id).
void merge_cve_feed(VersionData& data, const nlohmann::json& feed,
                    Strictness strictness = Strictness::lenient);

/// What the rules found: violations (→ FAIL, evidence), warnings and notes (do not change
/// the status), or a reason why the policy cannot be judged with this data (→ ABORT).
struct PolicyVerdict {
  std::vector<Finding> violations;
  std::vector<std::string> notes;
  std::optional<std::string> undetermined;
};

/// Applies every rule of scs-0210-v2 to a cluster running `version` on `today`.
PolicyVerdict evaluate_version_policy(const KubeVersion& version, Date today, const VersionData& data);

}  // namespace scs::checks::kaas
