// scs-0101: entropy. The two read-only property testcases are here; the three that boot a
// sample VM live in checks/entropy_vm.cpp and are registered here too.
// https://docs.scs.community/standards/scs-0101-v1-entropy
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/entropy_vm.hpp"
#include "checks/images.hpp"
#include "clients/openstack/openstack.hpp"

namespace scs::checks {

namespace {

// Every public, enabled flavor lets its guests have a virtio RNG: Nova attaches the device
// only when the flavor allows it (extra spec `hw_rng:allowed`, which Nova reads as a boolean,
// so "True" and "true" are the same). Private flavors are made for single customers and
// disabled ones cannot be booted, so they are not the provider's offer.
Result flavor_rng_property(Context& context, const Params&) {
  std::vector<Finding> evidence;
  int checked = 0;
  for (const auto& flavor : context.openstack().flavors()) {
    if (!flavor.is_public || flavor.disabled) continue;
    ++checked;
    const auto it = flavor.extra_specs.find("hw_rng:allowed");
    if (it != flavor.extra_specs.end() && ascii_lower(it->second) == "true") continue;
    evidence.push_back({fmt::format("flavor {} (id {})", flavor.name, flavor.id),
                        it == flavor.extra_specs.end()
                            ? std::string("has no extra spec hw_rng:allowed")
                            : fmt::format("has hw_rng:allowed={}, not true", it->second)});
  }
  if (!evidence.empty()) {
    auto summary = fmt::format("{} of {} public flavors do not allow a virtio RNG", evidence.size(), checked);
    return Result::fail(std::move(summary), std::move(evidence));
  }
  return Result::pass(fmt::format("all {} public flavors have hw_rng:allowed=true", checked));
}

// Every public and community image asks for a virtio RNG device (`hw_rng_model=virtio`).
Result image_rng_property(Context& context, const Params&) {
  const auto images = offered_images(context.openstack());
  std::vector<Finding> evidence;
  for (const auto* image : images) {
    const auto model = image_property(*image, "hw_rng_model");
    if (model == "virtio") continue;
    evidence.push_back({describe_image(*image), model.empty()
                                                    ? std::string("has no property hw_rng_model")
                                                    : fmt::format("has hw_rng_model={}, not virtio", model)});
  }
  if (!evidence.empty()) {
    auto summary =
        fmt::format("{} of {} public images do not ask for a virtio RNG", evidence.size(), images.size());
    return Result::fail(std::move(summary), std::move(evidence));
  }
  return Result::pass(fmt::format("all {} public images have hw_rng_model=virtio", images.size()));
}

}  // namespace

void register_scs_0101(Registry& registry) {
  registry.add("flavor-hw-rng-allowed", flavor_rng_property);
  registry.add("image-hw-rng-virtio", image_rng_property);
  registry.add("entropy-avail-on-vm", entropy_avail_on_vm);
  registry.add("fips-140-2-on-vm", fips_140_2_on_vm);
  registry.add("rngd-on-vm", rngd_on_vm);
}

}  // namespace scs::checks
