#pragma once

// scs-0104-v2 (Draft): standard images selected by their properties (os_distro, os_version,
// os_purpose) instead of by name, and the sources of generic and CAPI images.
// https://docs.scs.community/standards/scs-0104-v2-standard-images
// The checks are registered by checks/scs_0104_standard_images.cpp; the release facts they need
// (which Ubuntu LTS / Debian stable is the latest, codenames) are data:
// standards/data/scs-0104-v2-releases.yaml.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/context.hpp"

namespace scs::checks {

/// One release of a distribution, as the release data lists it.
struct DistroRelease {
  std::string version;                                  // the os_version value: "24.04", "13"
  std::string codename;                                 // "noble", "trixie"
  std::optional<std::chrono::year_month_day> released;  // none: announced, not out
  bool lts = false;
};

/// The releases of `distro` in the release data `text` (`origin` names it in errors), oldest
/// first. Error when the data is malformed or has no release of `distro`.
std::vector<DistroRelease> parse_distro_releases(const std::string& text, const std::string& distro,
                                                 const std::string& origin);

/// When the standard wants a new release to be offered: on a fixed day of its release year
/// (Ubuntu LTS: April 30) or some months after its release (Debian stable: one month).
struct ReleaseDue {
  std::optional<std::chrono::month_day> day_of_release_year;
  int months_after_release = 0;

  [[nodiscard]] std::chrono::year_month_day for_release(std::chrono::year_month_day released) const;
};

/// The os_version values that satisfy "latest" or "previous" release on `today`. A release still
/// within its due period shares the place with the one before: on 2026-04-25 the latest Ubuntu LTS
/// may be 24.04 or 26.04, the previous 22.04 or 24.04.
struct WantedRelease {
  std::vector<const DistroRelease*> accepted;  // oldest first
  const DistroRelease* newest = nullptr;       // the newest release out on `today`
  std::chrono::year_month_day newest_due;      // when `newest` had to be / has to be offered
};

/// Error when the data knows no release (or none before the latest, for "previous") on `today`.
WantedRelease wanted_release(const std::vector<DistroRelease>& releases, std::chrono::year_month_day today,
                             bool previous, bool lts_only, const ReleaseDue& due);

/// "2026-04-30".
std::string format_day(std::chrono::year_month_day day);

// The checks (Context and params as every check; params documented in
// standards/scs-0104-standard-images.yaml).

/// A public, visible generic image of the wanted release of a distribution exists.
Result standard_release_image_offered(Context& context, const Params& params);

/// Generic Debian and Ubuntu images have an image_source of the vendor's form for their codename.
Result generic_image_vendor_source(Context& context, const Params& params);

/// Images named like the official SCS CAPI images carry the standard's source, purpose and
/// description.
Result capi_image_properties(Context& context, const Params& params);

/// A public, visible image named like an official SCS CAPI image exists.
Result capi_image_offered(Context& context, const Params& params);

}  // namespace scs::checks
