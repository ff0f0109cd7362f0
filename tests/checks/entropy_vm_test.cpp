// checks/entropy_vm.cpp: scs-0101's testcases that create resources, over recordings of the real test cloud
// (each made with `scs-conformance run --record tests/checks/cassettes/creating-NNNN -t scs-NNNN-…`), with
// canned answers for what the test cloud cannot do. Every test also asserts that nothing is
// left open in the journal.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "checks/entropy_console.hpp"
#include "checks/fips_140_2.hpp"
#include "core/base64.hpp"
#include "core/files.hpp"
#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::CannedAnswer;
using scs::testing::mentions;
using scs::testing::run_creating_check;

namespace {

constexpr const char* vm_run = "d1f1f6";
// The spec's params (they shape the create requests), polling without sleeping, and a console
// judged after one look.
const scs::Params vm_params{{"sample_blocks", 20}, {"poll_seconds", 0}, {"console_quiet_seconds", 0}};

// A console log as a real guest would print it, with `random` as the /dev/random sample.
std::string console_with(const std::string& entropy, const std::vector<std::uint8_t>& random,
                         const std::string& rngd = "absent", const std::string& quality = "1000") {
  std::string text = "[    0.000000] Linux version 6.1.0-27-cloud-amd64\nscs-conformance-0101 begin\n";
  text += "scs-conformance-0101 entropy_avail: " + entropy + "\n";
  text +=
      "scs-conformance-0101 rng_available: virtio_rng.0\nscs-conformance-0101 rng_current: virtio_rng.0\n";
  text += "scs-conformance-0101 rng_quality: " + quality + "\nscs-conformance-0101 rngd: " + rngd + "\n";
  text += "scs-conformance-0101 random begin\n";
  const auto encoded =
      scs::base64_encode(std::string(reinterpret_cast<const char*>(random.data()), random.size()));
  for (std::size_t i = 0; i < encoded.size(); i += 76) text += encoded.substr(i, 76) + "\n";
  text += "scs-conformance-0101 random end\nscs-conformance-0101 end\n";
  return nlohmann::json{{"output", text}}.dump();
}

std::vector<std::uint8_t> sample(unsigned seed) {
  std::mt19937 engine(seed);
  std::vector<std::uint8_t> out(20 * scs::checks::fips_block_bytes);
  for (auto& byte : out) byte = static_cast<std::uint8_t>(engine() >> 24);
  return out;
}

// Every VM testcase passes on `console_output` and deletes what it created.
void check_all_pass(const std::string& console_output) {
  const std::vector<CannedAnswer> console{{"/action", 200, console_output}};
  for (const char* check : {"entropy-avail-on-vm", "fips-140-2-on-vm", "rngd-on-vm"}) {
    std::size_t open = 99;
    const auto result = run_creating_check("creating-0101", check, vm_run, vm_params, console, &open);
    INFO(check << ": " << result.summary);
    CHECK(result.status == Status::pass);
    CHECK(open == 0);
  }
}

}  // namespace

TEST_CASE("scs-0101 VM testcases abort cleanly on Nova's fake driver and delete the VM",
          "[checks][scs-0101]") {
  for (const char* check : {"entropy-avail-on-vm", "fips-140-2-on-vm", "rngd-on-vm"}) {
    std::size_t open = 99;
    const auto result = run_creating_check("creating-0101", check, vm_run, vm_params, {}, &open);
    INFO(check << ": " << result.summary);
    CHECK(result.status == Status::abort);
    CHECK_THAT(result.summary, Catch::Contains("never showed the probe") && Catch::Contains("LAST LINE"));
    CHECK(open == 0);  // server, subnet and network deleted
  }
}

TEST_CASE("scs-0101 VM testcases pass on a good guest's console", "[checks][scs-0101]") {
  check_all_pass(console_with("256", sample(1)));
}

TEST_CASE("scs-0101 VM testcases fail on a bad guest's console", "[checks][scs-0101]") {
  const std::vector<CannedAnswer> console{
      {"/action", 200, console_with("128", std::vector<std::uint8_t>(20 * 2500, 0x00), "absent", "0")}};
  const auto entropy = run_creating_check("creating-0101", "entropy-avail-on-vm", vm_run, vm_params, console);
  CHECK(entropy.status == Status::fail);
  CHECK_THAT(entropy.summary, Catch::Contains("128"));
  const auto fips = run_creating_check("creating-0101", "fips-140-2-on-vm", vm_run, vm_params, console);
  CHECK(fips.status == Status::fail);
  CHECK(mentions(fips, "block 20"));
  const auto rngd = run_creating_check("creating-0101", "rngd-on-vm", vm_run, vm_params, console);
  CHECK(rngd.status == Status::fail);
  CHECK(mentions(rngd, "current_quality '0'"));
}

namespace {

// A console recorded from the test cloud's guest (Debian 12's cloud kernel under QEMU) running
// the real user data: tests/integration/real_guest_probe.py --save-consoles.
std::string recorded_console(const std::string& name) {
  const auto text = scs::read_file(std::string(SCS_SOURCE_DIR) + "/tests/checks/fixtures/entropy/" + name);
  return nlohmann::json{{"output", text}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("scs-0101 VM testcases pass on a real guest with a virtio RNG", "[checks][scs-0101]") {
  check_all_pass(recorded_console("real-guest-virtio-rng.console"));
}

TEST_CASE("scs-0101-entropy-avail fails on a real guest without RNG or RDRAND", "[checks][scs-0101]") {
  // No virtio RNG and QEMU's qemu64 CPU (no RDRAND/RDSEED): seconds after boot the kernel's pool
  // holds a handful of bits. The sample itself still passes FIPS (the kernel's CRNG is sound),
  // and with no virtio RNG there is nothing for rngd to feed.
  const std::vector<CannedAnswer> console{{"/action", 200, recorded_console("real-guest-no-rng.console")}};
  const auto entropy = run_creating_check("creating-0101", "entropy-avail-on-vm", vm_run, vm_params, console);
  CHECK(entropy.status == Status::fail);
  CHECK_THAT(entropy.summary, Catch::Contains("entropy_avail is 7"));
  CHECK(run_creating_check("creating-0101", "fips-140-2-on-vm", vm_run, vm_params, console).status ==
        Status::pass);
  const auto rngd = run_creating_check("creating-0101", "rngd-on-vm", vm_run, vm_params, console);
  CHECK(rngd.status == Status::pass);
  CHECK_THAT(rngd.summary, Catch::Contains("no virtio RNG"));
}

TEST_CASE("scs-0101-fips-test judges a real console that lost characters, leaving out the damaged lines",
          "[checks][scs-0101]") {
  // Recorded through Nova's libvirt driver (os-getConsoleOutput): QEMU dropped characters of
  // one line of the sample.
  const std::vector<CannedAnswer> console{
      {"/action", 200, recorded_console("real-guest-nova-damaged.console")}};
  const auto fips = run_creating_check("creating-0101", "fips-140-2-on-vm", vm_run, vm_params, console);
  INFO(fips.summary);
  CHECK(fips.status == Status::pass);
  CHECK(std::any_of(fips.notes.begin(), fips.notes.end(),
                    [](const std::string& note) { return note.find("damaged lines") != std::string::npos; }));
}
