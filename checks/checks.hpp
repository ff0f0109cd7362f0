#pragma once

// The registration entry points of the check plugins, one per standard, all called by
// register_all_checks() in checks/all.cpp.

#include "core/registry.hpp"

namespace scs::checks {

void register_all_checks(Registry& registry);

void register_scs_0100(Registry& registry);  // checks/scs_0100_flavor_naming.cpp
void register_scs_0103(Registry& registry);  // checks/scs_0103_standard_flavors.cpp
void register_scs_0123(Registry& registry);  // checks/scs_0123_services.cpp

}  // namespace scs::checks
