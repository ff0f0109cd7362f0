// scs-0103: standard flavors.
// https://docs.scs.community/standards/scs-0103-v1-standard-flavors
// https://docs.scs.community/standards/scs-0103-w1-standard-flavors-implementation
#include "checks/scs_0103_standard_flavors.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/flavor_name.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

// The flavor that stands for `name`: scs:name-v2 names it regardless of its real name (so
// a provider can keep its own naming), otherwise the real name. Every match, in list order.
std::vector<const Flavor*> find_standard_flavor(const std::vector<Flavor>& flavors, std::string_view name) {
  std::vector<const Flavor*> by_extra_spec;
  std::vector<const Flavor*> by_name;
  for (const auto& flavor : flavors) {
    const auto it = flavor.extra_specs.find("scs:name-v2");
    if (it != flavor.extra_specs.end() && it->second == name) {
      by_extra_spec.push_back(&flavor);
    } else if (flavor.name == name) {
      by_name.push_back(&flavor);
    }
  }
  return by_extra_spec.empty() ? by_name : by_extra_spec;
}

std::string subject(const Flavor& flavor, std::string_view name) {
  if (flavor.name == name) return fmt::format("flavor {}", name);
  return fmt::format("flavor {} (scs:name-v2={})", flavor.name.empty() ? flavor.id : flavor.name, name);
}

std::string_view extra_spec(const Flavor& flavor, const std::string& key) {
  const auto it = flavor.extra_specs.find(key);
  return it == flavor.extra_specs.end() ? std::string_view{} : std::string_view{it->second};
}

class Comparison {
 public:
  Comparison(const Flavor& flavor, std::string_view name) : flavor_(flavor), name_(name) {}

  void require_number(std::string_view what, long long actual, long long expected, std::string_view unit) {
    if (actual == expected) return;
    mismatches_.push_back(fmt::format("{} is {}{}, {} requires {}", what, actual, unit, name_, expected));
  }

  // An extra spec that must have exactly `expected`.
  void require_extra_spec(const std::string& key, std::string_view expected) {
    const auto actual = extra_spec(flavor_, key);
    if (actual == expected) return;
    if (actual.empty()) {
      mismatches_.push_back(fmt::format("extra spec {} is missing, {} requires {}", key, name_, expected));
    } else {
      mismatches_.push_back(fmt::format("extra spec {} is {}, {} requires {}", key, actual, name_, expected));
    }
  }

  // scs:disk0-type: "set to ssd or some other value, reflecting the disk type" (scs-0103). A
  // typed disk accepts a type that keeps the promise (scs-0100 lets an "s" flavor use NVMe);
  // an untyped disk accepts any of the four values. The official check requires exactly "ssd"
  // and, for untyped disks, "network".
  void require_disk_type(DiskType promised) {
    const std::string key = "scs:disk0-type";
    const auto actual = extra_spec(flavor_, key);
    const auto type = disk_type_from_extra_spec(actual);
    if (type && keeps_promise(*type, promised)) return;
    const auto wanted = promised == DiskType::unspecified ? std::string("one of network, hdd, ssd, nvme")
                        : promised == DiskType::ssd       ? std::string("ssd (or nvme)")
                                                          : std::string(extra_spec_value(promised));
    if (actual.empty()) {
      mismatches_.push_back(fmt::format("extra spec {} is missing, {} requires {}", key, name_, wanted));
    } else {
      mismatches_.push_back(fmt::format("extra spec {} is {}, {} requires {}", key, actual, name_, wanted));
    }
  }

  void mismatch(std::string message) { mismatches_.push_back(std::move(message)); }

  [[nodiscard]] const std::vector<std::string>& mismatches() const { return mismatches_; }

 private:
  const Flavor& flavor_;
  std::string_view name_;
  std::vector<std::string> mismatches_;
};

std::string describe_sizes(const FlavorName& name) {
  const auto disk = name.disk && name.disk->size_gb ? fmt::format("{} GB disk", *name.disk->size_gb)
                                                    : std::string("no disk");
  return fmt::format("{} {}, {} MiB RAM, {}", name.cpus, name.cpus == 1 ? "vCPU" : "vCPUs", name.ram_mib(),
                     disk);
}

std::string standard_flavor_name(const Params& params) {
  if (!params.is_object() || !params.contains("name") || !params.at("name").is_string()) {
    throw ConfigError("check standard-flavor needs params.name, a flavor name such as SCS-2V-4");
  }
  return params.at("name").get<std::string>();
}

}  // namespace

Result check_standard_flavor(const std::vector<Flavor>& flavors, std::string_view name) {
  const auto parsed = parse_flavor_name(name);
  if (!parsed.valid()) {
    throw ConfigError(fmt::format("standard flavor '{}' is not a valid scs-0100 v3 name: {}", name,
                                  parsed.error.empty() ? "v1 syntax" : parsed.error));
  }
  const auto& expected = *parsed.name;

  const auto matches = find_standard_flavor(flavors, name);
  if (matches.empty()) {
    return Result::fail(
        fmt::format("standard flavor {} missing", name),
        {{fmt::format("flavor {}", name),
          fmt::format("no flavor is named {} or has the extra spec scs:name-v2={}", name, name)}});
  }
  const Flavor& flavor = *matches.front();
  std::vector<std::string> notes;
  if (matches.size() > 1) {
    notes.push_back(
        fmt::format("{} flavors stand for {}; checked the first, id {}", matches.size(), name, flavor.id));
  }
  if (!flavor.is_public) {
    notes.push_back(
        fmt::format("{} is not public: projects without access to it do not see it", subject(flavor, name)));
  }

  Comparison comparison(flavor, name);
  if (flavor.disabled) comparison.mismatch("the flavor is disabled, so no server can be created with it");
  comparison.require_number("vcpus", flavor.vcpus, expected.cpus, "");
  comparison.require_number("ram", flavor.ram_mib, expected.ram_mib(), " MiB");
  // Standard flavors either have no disk ("boot from volume": disk 0) or a fixed size.
  const long long disk = expected.disk && expected.disk->size_gb ? *expected.disk->size_gb : 0;
  if (!expected.disk || expected.disk->size_gb)
    comparison.require_number("disk", flavor.disk_gb, disk, " GB");
  comparison.require_extra_spec("scs:cpu-type", extra_spec_value(expected.cpu_type));
  if (expected.disk) {
    comparison.require_disk_type(expected.disk->type);
  } else if (const auto type = extra_spec(flavor, "scs:disk0-type"); !type.empty()) {
    // scs-0103: "scs:disk0-type not set if no disk is provided". It promises nothing about a
    // disk that does not exist, so this is a note, not a failure (the official check ignores it).
    notes.push_back(
        fmt::format("{} has no disk, yet the extra spec scs:disk0-type is {}", subject(flavor, name), type));
  }
  comparison.require_extra_spec("scs:name-v1", v1_name(expected));
  comparison.require_extra_spec("scs:name-v2", canonical_name(expected));

  if (comparison.mismatches().empty()) {
    return Result::pass(fmt::format("{} present with {} and the required extra specs", subject(flavor, name),
                                    describe_sizes(expected)),
                        std::move(notes));
  }
  std::vector<Finding> evidence;
  for (const auto& message : comparison.mismatches()) evidence.push_back({subject(flavor, name), message});
  auto summary = fmt::format("standard flavor {} differs from scs-0103 in {} {}", name, evidence.size(),
                             evidence.size() == 1 ? "point" : "points");
  return Result::fail(std::move(summary), std::move(evidence), std::move(notes));
}

void register_scs_0103(Registry& registry) {
  registry.add("standard-flavor", [](Context& context, const Params& params) {
    const auto name = standard_flavor_name(params);
    return check_standard_flavor(context.openstack().flavors(), name);
  });
}

}  // namespace scs::checks
