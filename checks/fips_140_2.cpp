#include "checks/fips_140_2.hpp"

#include <array>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace scs::checks {

namespace {

constexpr int block_bits = 20000;

// FIPS 140-2 change notice 1, table for the runs test: lengths 1…5 and 6 or more.
constexpr std::array<std::pair<int, int>, 6> run_bounds{
    {{2315, 2685}, {1114, 1386}, {527, 723}, {240, 384}, {103, 209}, {103, 209}}};
constexpr int long_run_length = 26;

bool bit_at(std::span<const std::uint8_t> block, int index) {
  return ((block[static_cast<std::size_t>(index / 8)] >> (7 - index % 8)) & 1) != 0;
}

}  // namespace

std::string FipsBlockResult::failures() const {
  std::vector<std::string> names;
  if (!monobit) names.emplace_back("monobit");
  if (!poker) names.emplace_back("poker");
  if (!runs) names.emplace_back("runs");
  if (!long_run) names.emplace_back("long run");
  return fmt::format("{}", fmt::join(names, ", "));
}

FipsBlockResult fips_test_block(std::span<const std::uint8_t> block) {
  if (block.size() != fips_block_bytes) throw std::invalid_argument("a FIPS 140-2 block has 2500 bytes");
  FipsBlockResult result;

  int ones = 0;
  std::array<long long, 16> nibbles{};
  for (const auto byte : block) {
    ones += __builtin_popcount(byte);
    ++nibbles[byte >> 4];
    ++nibbles[byte & 0x0f];
  }
  result.monobit = ones > 9725 && ones < 10275;

  long long sum_of_squares = 0;
  for (const auto count : nibbles) sum_of_squares += count * count;
  const double poker = 16.0 / 5000.0 * static_cast<double>(sum_of_squares) - 5000.0;
  result.poker = poker > 2.16 && poker < 46.17;

  std::array<std::array<int, 6>, 2> runs{};  // [bit value][length 1…6+]
  int length = 0;
  bool current = bit_at(block, 0);
  const auto close_run = [&](bool value, int run) {
    ++runs[value ? 1 : 0][static_cast<std::size_t>(std::min(run, 6) - 1)];
    if (run >= long_run_length) result.long_run = false;
  };
  for (int i = 0; i < block_bits; ++i) {
    const bool bit = bit_at(block, i);
    if (bit == current) {
      ++length;
    } else {
      close_run(current, length);
      current = bit;
      length = 1;
    }
  }
  close_run(current, length);
  for (const auto& counts : runs) {
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] < run_bounds[i].first || counts[i] > run_bounds[i].second) result.runs = false;
    }
  }
  return result;
}

std::vector<FipsBlockResult> fips_test(std::span<const std::uint8_t> sample) {
  std::vector<FipsBlockResult> results;
  for (std::size_t offset = 0; offset + fips_block_bytes <= sample.size(); offset += fips_block_bytes) {
    results.push_back(fips_test_block(sample.subspan(offset, fips_block_bytes)));
  }
  return results;
}

}  // namespace scs::checks
