// scs-0116: key manager. Only the presence testcase; scs-0116-permissions creates secrets and
// is bound elsewhere.
// https://docs.scs.community/standards/scs-0116-v1-key-manager-standard
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/checks.hpp"
#include "clients/openstack.hpp"

namespace scs::checks {

namespace {

// The catalog lists a key-manager service with an endpoint this cloud's users would call (the
// configured interface, and region if one is configured). A catalog entry without such an
// endpoint is as good as none for the customer, so it fails and names what is there.
Result key_manager_present(Context& context, const Params&) {
  auto& openstack = context.openstack();
  const auto& cloud = openstack.cloud();
  std::vector<std::string> elsewhere;
  for (const auto& entry : openstack.catalog()) {
    if (entry.type != "key-manager") continue;
    for (const auto& endpoint : entry.endpoints) {
      if (endpoint.interface == cloud.interface &&
          (cloud.region_name.empty() || endpoint.region == cloud.region_name)) {
        return Result::pass(
            fmt::format("the catalog lists key-manager service {} at {}", entry.name, endpoint.url));
      }
      elsewhere.push_back(fmt::format("{} {} in {}", entry.name, endpoint.interface,
                                      endpoint.region.empty() ? "no region" : endpoint.region));
    }
  }
  if (elsewhere.empty()) {
    return Result::fail("no key-manager service in the catalog",
                        {{"service key-manager", "not in the token's service catalog"}});
  }
  const std::string region = cloud.region_name.empty() ? std::string() : " in region " + cloud.region_name;
  return Result::fail(fmt::format("the key-manager service has no {} endpoint{}", cloud.interface, region),
                      {{"service key-manager",
                        fmt::format("only these endpoints are listed: {}", fmt::join(elsewhere, ", "))}});
}

}  // namespace

void register_scs_0116(Registry& registry) { registry.add("key-manager-present", key_manager_present); }

}  // namespace scs::checks
