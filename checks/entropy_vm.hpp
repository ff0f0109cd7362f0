#pragma once

// scs-0101's testcases inside one sample VM that the first of them boots and the others share
// (registered by checks/scs_0101_entropy.cpp).

#include "core/context.hpp"

namespace scs::checks {

/// scs-0101-entropy-avail: the guest's /proc/sys/kernel/random/entropy_avail is `expected`.
Result entropy_avail_on_vm(Context& context, const Params& params);

/// scs-0101-fips-test: the guest's /dev/random sample passes the FIPS 140-2 tests.
Result fips_140_2_on_vm(Context& context, const Params& params);

/// `text` with ASCII letters in lower case (image properties such as os_distro are compared so).
std::string ascii_lower(std::string text);

/// scs-0101-rngd: a virtio RNG in the guest feeds the kernel's entropy pool.
Result rngd_on_vm(Context& context, const Params& params);

}  // namespace scs::checks
