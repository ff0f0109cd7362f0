#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace scs::checks {

/// One 20,000-bit block (2,500 bytes) is the unit of the FIPS 140-2 statistical tests.
inline constexpr std::size_t fips_block_bytes = 2500;

/// The four FIPS 140-2 power-up tests (with the change notice's bounds, as rngtest applies
/// them) on one block, bits taken most significant first.
struct FipsBlockResult {
  bool monobit = true;   // 9,725 < ones < 10,275
  bool poker = true;     // 2.16 < X < 46.17 over the 5,000 four-bit values
  bool runs = true;      // run counts of length 1…5 and 6+ within their intervals, for 0s and 1s
  bool long_run = true;  // no run of 26 or more equal bits
  [[nodiscard]] bool passed() const { return monobit && poker && runs && long_run; }
  [[nodiscard]] std::string failures() const;  // "monobit, poker" or empty
};

/// Tests one block; `block` must hold exactly fips_block_bytes bytes.
FipsBlockResult fips_test_block(std::span<const std::uint8_t> block);

/// Tests every whole block of `sample` (a trailing partial block is ignored).
std::vector<FipsBlockResult> fips_test(std::span<const std::uint8_t> sample);

}  // namespace scs::checks
