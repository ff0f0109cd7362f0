#pragma once

// The scs-0100 checks as pure functions over a flavor list, so tests need no cloud.
// https://docs.scs.community/standards/scs-0100-v3-flavor-naming

#include <vector>

#include "clients/openstack/openstack.hpp"
#include "core/result.hpp"

namespace scs::checks {

/// scs-0100-syntax-check: every flavor whose name starts with "SCS-" follows the v3 syntax.
/// v1 names pass with a note (the standard still tolerates them); a valid name that is not
/// spelled canonically passes with a note too.
[[nodiscard]] Result check_flavor_name_syntax(const std::vector<Flavor>& flavors);

/// scs-0100-semantics-check: every name a flavor carries (its own SCS name and its
/// scs:name-vN extra specs) promises no more vCPUs, RAM or root disk than the flavor has, and
/// the scs:cpu-type and scs:diskN-type extra specs (scs-0103) are known values that keep the
/// promises of those names.
[[nodiscard]] Result check_flavor_name_semantics(const std::vector<Flavor>& flavors);

/// The official check's RAM tolerance: a name's RAM is met by ram_mib ≥ 1024·GiB − 51.
inline constexpr long long kRamToleranceMib = 51;

}  // namespace scs::checks
