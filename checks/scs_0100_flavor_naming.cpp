// scs-0100: flavor naming.
// https://docs.scs.community/standards/scs-0100-v3-flavor-naming
// https://docs.scs.community/standards/scs-0100-w1-flavor-naming-implementation-testing
#include "checks/scs_0100_flavor_naming.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "checks/flavor_name.hpp"

namespace scs::checks {

namespace {

std::string subject(const Flavor& flavor) {
  return fmt::format("flavor {}", flavor.name.empty() ? flavor.id : flavor.name);
}

// "scs:name-v2" → true; the N of scs-0103's "scs:name-vN".
bool is_name_variant_key(std::string_view key) {
  constexpr std::string_view prefix = "scs:name-v";
  if (!key.starts_with(prefix) || key.size() == prefix.size()) return false;
  const auto number = key.substr(prefix.size());
  return std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "scs:disk0-type" → 0; nullopt for any other key.
std::optional<std::size_t> disk_type_key_index(std::string_view key) {
  constexpr std::string_view prefix = "scs:disk";
  constexpr std::string_view suffix = "-type";
  if (!key.starts_with(prefix) || !key.ends_with(suffix) || key.size() <= prefix.size() + suffix.size()) {
    return std::nullopt;
  }
  const auto number = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
  if (number.size() > 6 ||
      !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoul(std::string(number));
}

// One name a flavor claims, and how evidence refers to it: "the name" or "scs:name-v2 SCS-2V-4".
struct Claim {
  std::string source;
  FlavorName name;
};

// What a flavor owes its names and scs: extra specs; collects evidence and notes.
class FlavorAudit {
 public:
  FlavorAudit(const Flavor& flavor, std::vector<Finding>& findings, std::vector<std::string>& notes)
      : flavor_(flavor), findings_(findings), notes_(notes) {}

  void run() {
    std::vector<Claim> claims;
    std::optional<FlavorName> own;
    if (is_scs_name(flavor_.name)) {
      // A name that does not parse is the syntax check's finding, not ours.
      if (auto parsed = parse_flavor_name(flavor_.name); parsed.name) {
        own = *parsed.name;
        claims.push_back({"the name", *parsed.name});
      }
    }
    for (const auto& [key, value] : flavor_.extra_specs) {
      if (!is_name_variant_key(key)) continue;
      auto parsed = parse_flavor_name(value);
      if (!parsed.name) {
        fail(fmt::format("extra spec {} is '{}', which is not a valid SCS flavor name: {}", key, value,
                         parsed.error));
        continue;
      }
      if (own && short_name(*parsed.name) != short_name(*own)) {
        notes_.push_back(
            fmt::format("{}: extra spec {}={} names another flavor than {} (allowed if it understates)",
                        subject(flavor_), key, value, flavor_.name));
      }
      claims.push_back({fmt::format("{} {}", key, value), *parsed.name});
    }
    const auto cpu_type = checked_cpu_type();
    const auto disk_types = checked_disk_types();
    for (const auto& claim : claims) {
      check_sizes(claim);
      if (cpu_type && !keeps_promise(*cpu_type, claim.name.cpu_type)) {
        fail(fmt::format("extra spec scs:cpu-type is {}, but {} promises {} ({})",
                         extra_spec_value(*cpu_type), claim.source, letter(claim.name.cpu_type),
                         extra_spec_value(claim.name.cpu_type)));
      }
      check_disk_types(claim, disk_types);
    }
  }

  // A flavor is audited if it has a parsable SCS name or any scs: extra spec (scs-0103: "Whenever
  // ANY of these are present on ANY flavor, the corresponding semantics must be satisfied").
  [[nodiscard]] bool relevant() const {
    if (is_scs_name(flavor_.name) && parse_flavor_name(flavor_.name).name) return true;
    return std::any_of(flavor_.extra_specs.begin(), flavor_.extra_specs.end(),
                       [](const auto& entry) { return entry.first.starts_with("scs:"); });
  }

 private:
  void fail(std::string message) { findings_.push_back({subject(flavor_), std::move(message)}); }

  void check_sizes(const Claim& claim) {
    const auto& name = claim.name;
    if (flavor_.vcpus < name.cpus) {
      fail(fmt::format("has {} {}, but {} promises {}", flavor_.vcpus, plural(flavor_.vcpus, "vCPU", "vCPUs"),
                       claim.source, name.cpus));
    }
    // The official check rounds the flavor's RAM to 0.1 GiB after adding 51 MiB, which comes
    // down to this tolerance. We keep it, so both agree on PASS/FAIL, and say when it was used.
    if (flavor_.ram_mib < name.ram_mib() - kRamToleranceMib) {
      fail(fmt::format("RAM is {} MiB, but {} promises {} GiB ({} MiB)", flavor_.ram_mib, claim.source,
                       name.ram_gib(), name.ram_mib()));
    } else if (flavor_.ram_mib < name.ram_mib()) {
      notes_.push_back(
          fmt::format("{}: RAM is {} MiB, {} MiB short of the {} GiB {} promises; accepted within "
                      "the {} MiB tolerance of the official check",
                      subject(flavor_), flavor_.ram_mib, name.ram_mib() - flavor_.ram_mib, name.ram_gib(),
                      claim.source, kRamToleranceMib));
    }
    // A disk part without a size ("-", "-n") lets the cloud choose the size: nothing to compare.
    // The official check compares with None there and aborts. Nova has one root disk per
    // flavor, so a count ("3x10") can only be checked for the first disk.
    if (name.disk && name.disk->size_gb && flavor_.disk_gb < *name.disk->size_gb) {
      fail(fmt::format("root disk is {} GB, but {} promises {} GB", flavor_.disk_gb, claim.source,
                       *name.disk->size_gb));
    }
  }

  void check_disk_types(const Claim& claim, const std::vector<std::pair<std::size_t, DiskType>>& disk_types) {
    const auto& disk = claim.name.disk;
    if (!disk || disk->type == DiskType::unspecified) return;
    for (const auto& [index, type] : disk_types) {
      if (index < static_cast<std::size_t>(disk->count) && !keeps_promise(type, disk->type)) {
        fail(fmt::format("extra spec scs:disk{}-type is {}, but {} promises {} ({})", index,
                         extra_spec_value(type), claim.source, letter(disk->type),
                         extra_spec_value(disk->type)));
      }
    }
  }

  // scs:cpu-type, if present and one of the four scs-0103 values; an unknown value is evidence.
  std::optional<CpuType> checked_cpu_type() {
    const auto it = flavor_.extra_specs.find("scs:cpu-type");
    if (it == flavor_.extra_specs.end()) return std::nullopt;
    const auto type = cpu_type_from_extra_spec(it->second);
    if (!type) {
      fail(fmt::format(
          "extra spec scs:cpu-type is '{}', not one of crowded-core, shared-core, dedicated-thread, "
          "dedicated-core",
          it->second));
    }
    return type;
  }

  std::vector<std::pair<std::size_t, DiskType>> checked_disk_types() {
    std::vector<std::pair<std::size_t, DiskType>> types;
    for (const auto& [key, value] : flavor_.extra_specs) {
      const auto index = disk_type_key_index(key);
      if (!index) continue;
      if (const auto type = disk_type_from_extra_spec(value)) {
        types.emplace_back(*index, *type);
      } else {
        fail(fmt::format("extra spec {} is '{}', not one of network, hdd, ssd, nvme", key, value));
      }
    }
    return types;
  }

  const Flavor& flavor_;
  std::vector<Finding>& findings_;
  std::vector<std::string>& notes_;
};

}  // namespace

Result check_flavor_name_syntax(const std::vector<Flavor>& flavors) {
  std::vector<Finding> invalid;
  std::vector<std::string> notes;
  std::size_t checked = 0;
  for (const auto& flavor : flavors) {
    if (!is_scs_name(flavor.name)) continue;
    ++checked;
    const auto parsed = parse_flavor_name(flavor.name);
    if (!parsed.name) {
      invalid.push_back({subject(flavor), parsed.error});
    } else if (parsed.tolerated_v1()) {
      notes.push_back(fmt::format("{}: v1 name, merely tolerated by scs-0100 v3; the v3 spelling is {}",
                                  subject(flavor), canonical_name(*parsed.name)));
    } else if (canonical_name(*parsed.name) != flavor.name) {
      notes.push_back(fmt::format("{}: valid, but the canonical spelling is {}", subject(flavor),
                                  canonical_name(*parsed.name)));
    }
  }
  if (checked == 0) return Result::pass("no flavor name starts with SCS-");
  if (invalid.empty()) {
    return Result::pass(fmt::format("all {} SCS flavor {} follow the scs-0100 syntax", checked,
                                    plural(static_cast<long long>(checked), "name", "names")),
                        std::move(notes));
  }
  // The summary first: evidence is moved into the call, in an unspecified order.
  auto summary = fmt::format("{} of {} SCS flavor names break the scs-0100 syntax", invalid.size(), checked);
  return Result::fail(std::move(summary), std::move(invalid), std::move(notes));
}

Result check_flavor_name_semantics(const std::vector<Flavor>& flavors) {
  std::vector<Finding> findings;
  std::vector<std::string> notes;
  std::size_t checked = 0;
  for (const auto& flavor : flavors) {
    FlavorAudit audit(flavor, findings, notes);
    if (!audit.relevant()) continue;
    ++checked;
    audit.run();
  }
  if (checked == 0) return Result::pass("no flavor has an SCS name or scs: extra specs", std::move(notes));
  if (findings.empty()) {
    return Result::pass(fmt::format("{} {} with SCS names or scs: extra specs deliver what they promise",
                                    checked, plural(static_cast<long long>(checked), "flavor", "flavors")),
                        std::move(notes));
  }
  std::vector<std::string> culprits;
  for (const auto& finding : findings) culprits.push_back(finding.subject);
  std::sort(culprits.begin(), culprits.end());
  const auto failed = std::unique(culprits.begin(), culprits.end()) - culprits.begin();
  auto summary =
      fmt::format("{} of {} flavors have names or scs: extra specs that do not hold", failed, checked);
  return Result::fail(std::move(summary), std::move(findings), std::move(notes));
}

void register_scs_0100(Registry& registry) {
  registry.add("flavor-name-syntax", [](Context& context, const Params&) {
    return check_flavor_name_syntax(context.openstack().flavors());
  });
  registry.add("flavor-name-semantics", [](Context& context, const Params&) {
    return check_flavor_name_semantics(context.openstack().flavors());
  });
}

}  // namespace scs::checks
