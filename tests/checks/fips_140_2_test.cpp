// FIPS 140-2 statistics on known bit sequences, and the sample VM's console probe.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "checks/entropy_console.hpp"
#include "checks/fips_140_2.hpp"

using scs::checks::fips_block_bytes;
using scs::checks::fips_test_block;

namespace {

std::vector<std::uint8_t> block_of(std::uint8_t byte) {
  return std::vector<std::uint8_t>(fips_block_bytes, byte);
}

std::vector<std::uint8_t> pseudo_random(std::size_t bytes, unsigned seed) {
  std::mt19937 engine(seed);
  std::vector<std::uint8_t> out(bytes);
  for (auto& byte : out) byte = static_cast<std::uint8_t>(engine() >> 24);
  return out;
}

}  // namespace

TEST_CASE("FIPS 140-2: all zeros fail every test", "[checks][scs-0101][fips]") {
  const auto result = fips_test_block(block_of(0x00));
  CHECK_FALSE(result.monobit);
  CHECK_FALSE(result.poker);
  CHECK_FALSE(result.runs);
  CHECK_FALSE(result.long_run);
  CHECK(result.failures() == "monobit, poker, runs, long run");
}

TEST_CASE("FIPS 140-2: alternating bits pass monobit and long run, fail poker and runs",
          "[checks][scs-0101][fips]") {
  const auto result = fips_test_block(block_of(0x55));  // 01010101: 10,000 ones, runs of 1
  CHECK(result.monobit);
  CHECK(result.long_run);
  CHECK_FALSE(result.poker);
  CHECK_FALSE(result.runs);
}

TEST_CASE("FIPS 140-2: a pseudo-random block passes, one long run makes it fail",
          "[checks][scs-0101][fips]") {
  auto block = pseudo_random(fips_block_bytes, 42);
  REQUIRE(fips_test_block(block).passed());
  for (std::size_t i = 100; i < 104; ++i) block[i] = 0xff;  // 32 ones in a row
  const auto result = fips_test_block(block);
  CHECK_FALSE(result.long_run);
  CHECK_FALSE(result.passed());
}

TEST_CASE("FIPS 140-2: bounds of the monobit test", "[checks][scs-0101][fips]") {
  // 0x0f has four ones: 2,500 bytes → 10,000 ones (inside), 0x07 → 7,500 (outside).
  CHECK(fips_test_block(block_of(0x0f)).monobit);
  CHECK_FALSE(fips_test_block(block_of(0x07)).monobit);
  CHECK(scs::checks::fips_test(pseudo_random(fips_block_bytes * 3 + 10, 7)).size() == 3);
}

TEST_CASE("the console probe is found between its markers, kernel lines ignored", "[checks][scs-0101]") {
  const std::string console =
      "[    0.000000] Linux version 6.1.0\n"
      "scs-conformance-0101 begin\r\n"
      "scs-conformance-0101 entropy_avail: 256\n"
      "[    5.123] random: crng init done\n"
      "scs-conformance-0101 rng_available: virtio_rng.0\n"
      "scs-conformance-0101 rng_current: virtio_rng.0\n"
      "scs-conformance-0101 rng_quality: 1000\n"
      "scs-conformance-0101 rngd: absent\n"
      "scs-conformance-0101 random begin\n"
      "Zm9v\n"
      "YmFy\n"
      "scs-conformance-0101 random end\n"
      "scs-conformance-0101 end\n"
      "Debian GNU/Linux 12 vm ttyS0\n";
  const auto probe = scs::checks::parse_probe(console);
  REQUIRE(probe);
  CHECK(probe->entropy_avail == "256");
  CHECK(probe->rng_available == "virtio_rng.0");
  CHECK(probe->rng_quality == "1000");
  CHECK(probe->rngd == "absent");
  CHECK(probe->random == std::vector<std::uint8_t>{'f', 'o', 'o', 'b', 'a', 'r'});
  // Nova's fake driver: no probe at all; an unfinished probe is not a probe either.
  CHECK_FALSE(scs::checks::parse_probe("FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"));
  CHECK_FALSE(
      scs::checks::parse_probe("scs-conformance-0101 begin\nscs-conformance-0101 entropy_avail: 256\n"));
}

TEST_CASE("the user data prints the probe without installing anything", "[checks][scs-0101]") {
  const auto script = scs::checks::probe_user_data(50000);
  CHECK(script.starts_with("#!/bin/sh\n"));
  CHECK_THAT(script, Catch::Contains("head -c 50000 /dev/random"));
  CHECK_THAT(script, Catch::Contains("/proc/sys/kernel/random/entropy_avail"));
  CHECK_THAT(script, !Catch::Contains("apt"));
}

TEST_CASE("a sample line the console damaged is left out, the others keep their bytes",
          "[checks][scs-0101]") {
  // QEMU drops serial output on a pty nobody reads: here "YmF" lost a character. Decoding line
  // by line keeps "foo" and "baz" aligned; the damaged line is reported, not decoded.
  const std::string console =
      "scs-conformance-0101 begin\n"
      "scs-conformance-0101 random begin\n"
      "Zm9v\n"
      "YmF\n"
      "YmF6\n"
      "scs-conformance-0101 random end\n"
      "scs-conformance-0101 end\n";
  const auto probe = scs::checks::parse_probe(console);
  REQUIRE(probe);
  CHECK(probe->random == std::vector<std::uint8_t>{'f', 'o', 'o', 'b', 'a', 'z'});
  CHECK(probe->problems == std::vector<std::string>{"YmF"});
}
