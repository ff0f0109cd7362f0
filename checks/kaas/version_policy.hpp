#pragma once

// The rules of scs-0210-v2 (https://docs.scs.community/standards/scs-0210-v2-k8s-version-policy)
// as pure functions of the cluster's version, a date and a data set of Kubernetes releases.

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.hpp"

namespace scs::checks::kaas {

using Date = std::chrono::sys_days;

/// "2025-06-30" → Date; nullopt when it is not a valid calendar date.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);

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

struct Branch {
  int major = 1;
  int minor = 0;
  Date released;
  Date end_of_life;
};

struct PatchRelease {
  KubeVersion version;
  Date released;
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
  std::vector<AffectedRange> affected;
};

struct VersionData {
  std::string origin;  // "bundled standards/data/k8s-version-data.json", "… refreshed from …"
  Date retrieved;      // releases after this date are unknown to the data set
  std::vector<Branch> branches;
  std::vector<PatchRelease> patches;
  std::vector<CriticalCve> cves;
  std::vector<std::string> remarks;  // what a refresh added or could not assess
};

/// Reads our data file format (standards/data/k8s-version-data.json); ConfigError naming
/// `source` on anything malformed.
VersionData parse_version_data(const nlohmann::json& document, const std::string& source);

/// Merges endoflife.date's answer (https://endoflife.date/api/kubernetes.json: cycle,
/// releaseDate, eol, latest, latestReleaseDate) into `data`: its branches replace ours, its
/// latest patch per branch is added. Error naming the source when the answer has no usable
/// cycle.
void merge_endoflife(VersionData& data, const nlohmann::json& answer, Date today);

/// Merges the official Kubernetes CVE feed (JSON Feed 1.1): CVEs the data set does not know
/// are named in remarks (their affected versions are not machine-readable in the feed), a
/// critical one (CVSS ≥ 8 in its text) loudly. Error when the answer is no feed.
void merge_cve_feed(VersionData& data, const nlohmann::json& feed);

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
