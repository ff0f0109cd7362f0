#pragma once

// The registration entry points of the check plugins, one per standard, all called by
// register_all_checks() in checks/all.cpp.

#include "core/registry.hpp"

namespace scs::checks {

void register_all_checks(Registry& registry);

void register_scs_0100(Registry& registry);  // checks/scs_0100_flavor_naming.cpp
void register_scs_0101(Registry& registry);  // checks/scs_0101_entropy.cpp
void register_scs_0102(Registry& registry);  // checks/scs_0102_image_metadata.cpp
void register_scs_0103(Registry& registry);  // checks/scs_0103_standard_flavors.cpp
void register_scs_0104(Registry& registry);  // checks/scs_0104_standard_images.cpp
void register_scs_0114(Registry& registry);  // checks/scs_0114_volume_types.cpp
void register_scs_0115(Registry& registry);  // checks/scs_0115_security_groups.cpp
void register_scs_0116(Registry& registry);  // checks/scs_0116_key_manager.cpp
void register_scs_0117(Registry& registry);  // checks/scs_0117_volume_backup.cpp
void register_scs_0121(Registry& registry);  // checks/scs_0121_availability_zones.cpp
void register_scs_0123(Registry& registry);  // checks/scs_0123_services.cpp
void register_scs_0125(Registry& registry);  // checks/scs_0125_secure_connections.cpp
void register_scs_0201(Registry& registry);  // checks/scs_0201_cncf_conformance.cpp
void register_scs_0210(Registry& registry);  // checks/scs_0210_k8s_version_policy.cpp
void register_scs_0211(Registry& registry);  // checks/scs_0211_kaas_default_storage_class.cpp
void register_scs_0214(Registry& registry);  // checks/scs_0214_k8s_node_distribution.cpp
void register_scs_0219(Registry& registry);  // checks/scs_0219_kaas_networking.cpp
void register_scs_0302(Registry& registry);  // checks/scs_0302_domain_manager.cpp

}  // namespace scs::checks
