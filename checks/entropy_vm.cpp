// Entropy inside a sample VM, for scs-0101 (registered by checks/scs_0101_entropy.cpp). One VM
// (and the network it needs) is booted once per run and shared by scs-0101-entropy-avail,
// -fips-test and -rngd; it is deleted as soon as its console has been read. The guest needs no
// internet: it prints what it has, the tool judges.
// https://docs.scs.community/standards/scs-0101-v1-entropy
#include "checks/entropy_vm.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/entropy_console.hpp"
#include "checks/fips_140_2.hpp"
#include "checks/images.hpp"
#include "checks/resource_checks.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_session.hpp"
#include "clients/openstack/waits.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"

namespace scs::checks {

std::string ascii_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

namespace {

using nlohmann::json;

struct VmProbe {
  EntropyProbe probe;
  std::string server;  // "server NAME on image X, flavor Y"
  std::vector<std::string> notes;
};

// Newest Debian first, then newest Ubuntu (as the official suite ranks them); only active images.
std::tuple<int, int> image_rank(const json& image) {
  const auto distro = ascii_lower(image_property(image, "os_distro"));
  const auto version = image_property(image, "os_version");
  int number = 0;
  for (const char c : version) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) number = number * 10 + (c - '0');
    if (number > 100000) break;
  }
  if (distro == "debian") {
    static const std::vector<std::pair<std::string, int>> codenames{
        {"buster", 10}, {"bullseye", 11}, {"bookworm", 12}, {"trixie", 13}};
    for (const auto& [codename, value] : codenames) {
      if (ascii_lower(version) == codename) number = value;
    }
    return {2, number};
  }
  if (distro == "ubuntu") return {1, number};
  return {0, 0};
}

const json& choose_image(OpenStack& openstack) {
  const json* best = nullptr;
  for (const auto* image : offered_images(openstack)) {
    if (image->value("status", "") != "active" || std::get<0>(image_rank(*image)) == 0) continue;
    if (best == nullptr || image_rank(*image) > image_rank(*best)) best = image;
  }
  if (best == nullptr)
    throw Error("no active public Debian or Ubuntu image (os_distro) to boot the sample VM from");
  return *best;
}

long long json_number(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<long long>() : 0;
}

// The smallest public flavor with enough RAM for the image, preferring those that allow a
// virtio RNG; "smallest" weighs vCPUs, RAM and disk as the official suite does.
const Flavor& choose_flavor(OpenStack& openstack, const json& image) {
  const auto min_ram = json_number(image, "min_ram");
  const Flavor* best = nullptr;
  const auto key = [](const Flavor& flavor) {
    const auto it = flavor.extra_specs.find("hw_rng:allowed");
    const bool rng = it != flavor.extra_specs.end() && ascii_lower(it->second) == "true";
    return std::make_tuple(!rng, static_cast<double>(flavor.vcpus) +
                                     static_cast<double>(flavor.ram_mib) / 3.0 +
                                     static_cast<double>(flavor.disk_gb) / 10.0);
  };
  for (const auto& flavor : openstack.flavors()) {
    if (!flavor.is_public || flavor.disabled || flavor.ram_mib < min_ram) continue;
    if (best == nullptr || key(flavor) < key(*best)) best = &flavor;
  }
  if (best == nullptr)
    throw Error(fmt::format("no public flavor with at least {} MiB RAM for the sample VM", min_ram));
  return *best;
}

std::string last_line(const std::string& console) {
  auto end = console.find_last_not_of("\r\n ");
  if (end == std::string::npos) return {};
  const auto start = console.rfind('\n', end);
  return console.substr(start == std::string::npos ? 0 : start + 1,
                        end - (start == std::string::npos ? 0 : start + 1) + 1);
}

VmProbe boot_and_read(Context& context, const Params& params) {
  auto& openstack = context.openstack();
  const auto& image = choose_image(openstack);
  const auto& flavor = choose_flavor(openstack, image);
  ResourceSession session(openstack, context.journal(), wait_policy(params));
  const auto& policy = session.policy();

  const auto network_name = session.name("net");
  const auto network = session.create("network", network_name, [&] {
    return openstack
        .send_json("POST", "network", "/v2.0/networks",
                   json{{"network", {{"name", network_name}}}})["network"]
        .value("id", "");
  });
  const auto subnet_name = session.name("subnet");
  session.create("subnet", subnet_name, [&] {
    const json body{{"subnet",
                     {{"name", subnet_name},
                      {"network_id", network},
                      {"ip_version", 4},
                      {"cidr", params.value("cidr", "10.199.0.0/24")}}}};
    return openstack.send_json("POST", "network", "/v2.0/subnets", body)["subnet"].value("id", "");
  });

  // The config drive carries the user data, so the guest needs no metadata route (no router).
  const auto server_name = session.name("entropy-vm");
  json server{
      {"name", server_name},
      {"flavorRef", flavor.id},
      {"networks", json::array({{{"uuid", network}}})},
      {"config_drive", true},
      {"user_data", base64_encode(probe_user_data(params.value("sample_blocks", 20) * fips_block_bytes))}};
  const auto image_gib = (json_number(image, "size") + (1LL << 30) - 1) >> 30;
  const auto root_gib = std::max({json_number(image, "min_disk"), image_gib, 1LL});
  if (flavor.disk_gb >= root_gib) {
    server["imageRef"] = image.value("id", "");
  } else {
    // A flavor without (enough) root disk boots from a volume that goes with the server.
    server["block_device_mapping_v2"] = json::array({{{"boot_index", 0},
                                                      {"uuid", image.value("id", "")},
                                                      {"source_type", "image"},
                                                      {"destination_type", "volume"},
                                                      {"volume_size", std::max(root_gib, 8LL)},
                                                      {"delete_on_termination", true}}});
  }
  const auto server_id = session.create("server", server_name, [&] {
    return openstack.send_json("POST", "compute", "/servers", json{{"server", server}})["server"].value("id",
                                                                                                        "");
  });
  VmProbe result;
  result.server =
      fmt::format("server {} (image {}, flavor {})", server_name, image.value("name", ""), flavor.name);
  wait_for_status(openstack, "compute", "/servers/" + server_id, "server", {"ACTIVE"}, {"ERROR"},
                  fmt::format("server {}", server_name), policy);

  // The guest prints its probe within seconds of booting. A console that stays unchanged for
  // `console_quiet_seconds` will not show it any more.
  const auto quiet = std::chrono::seconds(params.value("console_quiet_seconds", 30));
  const auto limit = wait_clock_now() + std::chrono::seconds(params.value("console_timeout_seconds", 240));
  std::string console;
  auto changed = wait_clock_now();
  for (;;) {
    const auto answer = openstack.send_json("POST", "compute", fmt::format("/servers/{}/action", server_id),
                                            json{{"os-getConsoleOutput", {{"length", nullptr}}}});
    auto output = answer.value("output", "");
    if (auto probe = parse_probe(output)) {
      result.probe = std::move(*probe);
      break;
    }
    if (output != console) {
      console = std::move(output);
      changed = wait_clock_now();
    }
    const auto now = wait_clock_now();
    if (now - changed >= quiet || now >= limit) {
      throw Error(fmt::format(
          "the console of {} never showed the probe's '{} end' line ({}; last line: '{}')", result.server,
          probe_marker, console.empty() ? "it stayed empty" : "it stopped changing",
          last_line(console).substr(0, 120)));
    }
    sleep_cancellable(policy.interval);
  }
  for (const auto& problem : session.cleanup()) result.notes.push_back("cleanup: " + problem);
  return result;
}

std::shared_ptr<const VmProbe> vm_probe(Context& context, const Params& params) {
  return context.journal().shared<VmProbe>("scs-0101-sample-vm",
                                           [&] { return boot_and_read(context, params); });
}

Result with_notes(Result result, const VmProbe& vm) {
  result.notes.insert(result.notes.end(), vm.notes.begin(), vm.notes.end());
  return result;
}

}  // namespace

// scs-0101-entropy-avail: since kernel 5.18 the pool reports a fixed 256 bits; anything else
// is an older kernel or a starved pool.
Result entropy_avail_on_vm(Context& context, const Params& params) {
  const auto vm = vm_probe(context, params);
  const auto expected = params.value("expected", std::string("256"));
  if (vm->probe.entropy_avail.empty())
    return Result::abort(fmt::format("{} printed no entropy_avail", vm->server));
  if (vm->probe.entropy_avail != expected) {
    return with_notes(
        Result::fail(fmt::format("entropy_avail is {}, not {}", vm->probe.entropy_avail, expected),
                     {{vm->server,
                       fmt::format("/proc/sys/kernel/random/entropy_avail is {}", vm->probe.entropy_avail)}}),
        *vm);
  }
  return with_notes(Result::pass(fmt::format("entropy_avail is {} on {}", expected, vm->server)), *vm);
}

// scs-0101-fips-test: the tool runs the FIPS 140-2 tests on the guest's /dev/random sample.
// A true random source fails a block about once in 1,250; more than `max_failed_blocks` of
// the sample's blocks failing means the source is bad.
Result fips_140_2_on_vm(Context& context, const Params& params) {
  const auto vm = vm_probe(context, params);
  const auto results = checks::fips_test(vm->probe.random);
  const auto wanted = static_cast<std::size_t>(params.value("sample_blocks", 20));
  // A console may lose a few characters (damaged lines are left out, see parse_probe): judge
  // what arrived if at least nine tenths of the sample did.
  if (results.size() < wanted - wanted / 10) {
    return Result::abort(
        fmt::format("the console of {} carried {} bytes of /dev/random, {} whole blocks of {} "
                    "expected{}",
                    vm->server, vm->probe.random.size(), results.size(), wanted,
                    vm->probe.problems.empty() ? "" : " (it was interleaved with other output)"));
  }
  std::vector<Finding> evidence;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].passed())
      evidence.push_back({fmt::format("block {}", i + 1), "failed " + results[i].failures()});
  }
  const auto allowed = static_cast<std::size_t>(params.value("max_failed_blocks", 1));
  const auto summary = fmt::format("{} of {} blocks of 20,000 bits from /dev/random on {} failed FIPS 140-2",
                                   evidence.size(), results.size(), vm->server);
  auto judged =
      evidence.size() > allowed ? Result::fail(summary, std::move(evidence)) : Result::pass(summary);
  if (!vm->probe.problems.empty()) {
    judged.notes.push_back(fmt::format("{} damaged lines of the sample on the console were left out",
                                       vm->probe.problems.size()));
  }
  return with_notes(std::move(judged), *vm);
}

// scs-0101-rngd: where the guest has a virtio RNG, its entropy must reach the kernel pool:
// through rngd, or through the kernel's own hwrng thread (rng_core current_quality > 0).
Result rngd_on_vm(Context& context, const Params& params) {
  const auto vm = vm_probe(context, params);
  const auto& probe = vm->probe;
  if (probe.rngd == "running")
    return with_notes(Result::pass(fmt::format("rngd runs on {}", vm->server)), *vm);
  if (probe.rng_available.find("virtio") == std::string::npos) {
    return with_notes(
        Result::pass(fmt::format("{} has no virtio RNG (rng_available: '{}'), so there is nothing for "
                                 "rngd to feed",
                                 vm->server, probe.rng_available)),
        *vm);
  }
  if (!probe.rng_quality.empty() && probe.rng_quality != "0") {
    return with_notes(Result::pass(fmt::format("{} feeds its virtio RNG into the pool from the kernel "
                                               "(rng_core current_quality {})",
                                               vm->server, probe.rng_quality)),
                      *vm);
  }
  return with_notes(Result::fail("a virtio RNG is present but nothing feeds it into the entropy pool",
                                 {{vm->server, fmt::format("rng_available '{}', rngd not running, rng_core "
                                                           "current_quality '{}'",
                                                           probe.rng_available, probe.rng_quality)}}),
                    *vm);
}

}  // namespace scs::checks
