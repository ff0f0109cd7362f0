#pragma once

// The scs-0103 check as a pure function over a flavor list, so tests need no cloud.
// https://docs.scs.community/standards/scs-0103-v1-standard-flavors

#include <string_view>
#include <vector>

#include "clients/openstack/openstack.hpp"
#include "core/result.hpp"

namespace scs::checks {

/// scs-0103-flavor-*: the standard flavor `name` (e.g. "SCS-2V-4-20s") exists, found by the
/// extra spec scs:name-v2 first and by its real name second, and matches the standard exactly:
/// vCPUs, RAM in MiB, root disk in GB (0 without a disk part), scs:cpu-type, scs:disk0-type
/// (with a disk part only), scs:name-v1 and scs:name-v2. Throws ConfigError if `name` is not
/// a valid scs-0100 v3 name (a broken spec, not a broken cloud).
[[nodiscard]] Result check_standard_flavor(const std::vector<Flavor>& flavors, std::string_view name);

}  // namespace scs::checks
