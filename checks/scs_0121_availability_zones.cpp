// scs-0121: availability zones. Most of the standard is physical (fire zones, redundant power,
// uplinks and core routers per zone) and stays a manual, documented audit; what a member can
// see through the APIs is how the compute and block-storage zones relate.
// https://docs.scs.community/standards/scs-0121-v1-Availability-Zones-Standard
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"
#include "clients/openstack/openstack.hpp"

namespace scs::checks {

namespace {

struct Zones {
  std::set<std::string> available;
  std::set<std::string> unavailable;  // listed, but taking no new resources (every host disabled)
};

Zones split(const std::vector<AvailabilityZone>& listed) {
  Zones zones;
  for (const auto& zone : listed) (zone.available ? zones.available : zones.unavailable).insert(zone.name);
  for (const auto& name : zones.available) zones.unavailable.erase(name);
  return zones;
}

std::string ignored_note(const Zones& compute, const Zones& storage) {
  std::vector<std::string> parts;
  if (!compute.unavailable.empty())
    parts.push_back(fmt::format("compute {}", fmt::join(compute.unavailable, ", ")));
  if (!storage.unavailable.empty())
    parts.push_back(fmt::format("storage {}", fmt::join(storage.unavailable, ", ")));
  if (parts.empty()) return {};
  return fmt::format("; listed as not available, so not judged: {}", fmt::join(parts, "; "));
}

// scs-0121-v1, "Standard": storage zones SHOULD be set up (one per fire zone) where the backend
// does not replicate across fire zones, "otherwise a single Availability Zone for Storage
// SHOULD be configured"; "Cross-Attaching volumes": several storage zones "align with the
// Compute Availability Zones" (fire zone n holds compute zone n and storage zone n), and
// attaching across zones SHOULD NOT be possible. So the storage zones are one zone, or exactly
// the compute zones: a storage zone without a compute zone of its name holds volumes no server
// may attach, a compute zone without a storage zone has servers without local volumes. Judged
// on the zones listed as available; network zones are not judged (the standard makes "no
// recommendations about Network AZs").
Result storage_zones_match_compute(Context& context, const Params&) {
  auto& openstack = context.openstack();
  const auto compute = split(openstack.compute_availability_zones());
  const auto storage = split(openstack.volume_availability_zones());
  const auto ignored = ignored_note(compute, storage);
  if (compute.available.empty() || storage.available.empty()) {
    return Result::abort(
        fmt::format("no {} availability zone is listed as available, so there is nothing to "
                    "judge{}",
                    compute.available.empty() ? "compute" : "block-storage", ignored));
  }
  const auto compute_text = fmt::format("{}", fmt::join(compute.available, ", "));
  if (storage.available.size() == 1) {
    return Result::pass(fmt::format("one storage availability zone ({}) for the compute zones {}{}",
                                    *storage.available.begin(), compute_text, ignored));
  }
  if (storage.available == compute.available) {
    return Result::pass(fmt::format("the {} storage availability zones are the compute zones ({}){}",
                                    storage.available.size(), compute_text, ignored));
  }
  std::vector<Finding> evidence;
  for (const auto& zone : storage.available) {
    if (compute.available.contains(zone)) continue;
    evidence.push_back({fmt::format("storage availability zone {}", zone),
                        fmt::format("no compute zone has this name (compute zones: {})", compute_text)});
  }
  for (const auto& zone : compute.available) {
    if (storage.available.contains(zone)) continue;
    evidence.push_back(
        {fmt::format("compute availability zone {}", zone),
         fmt::format("no storage zone has this name, though storage is split into {} zones ({})",
                     storage.available.size(), fmt::join(storage.available, ", "))});
  }
  return Result::fail(fmt::format("{} storage availability zones that are neither one zone nor the compute "
                                  "zones ({}){}",
                                  storage.available.size(), compute_text, ignored),
                      std::move(evidence));
}

}  // namespace

void register_scs_0121(Registry& registry) {
  registry.add("availability-zones-storage-match-compute", storage_zones_match_compute);
}

}  // namespace scs::checks
