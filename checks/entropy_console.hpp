#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scs::checks {

/// What the scs-0101 sample VM prints to its console. The guest needs no internet: its user
/// data reads the kernel's files and a sample of /dev/random; the tool computes the statistics.
struct EntropyProbe {
  std::string entropy_avail;         // /proc/sys/kernel/random/entropy_avail
  std::string rng_available;         // /sys/class/misc/hw_random/rng_available ("virtio_rng.0", or empty)
  std::string rng_current;           // /sys/class/misc/hw_random/rng_current ("none" when there is none)
  std::string rng_quality;           // rng_core's current_quality: > 0 means the kernel feeds the pool itself
  std::string rngd;                  // "running" or "absent"
  std::vector<std::uint8_t> random;  // the sample of /dev/random
  std::vector<std::string> problems;  // lines that broke the sample (interleaved kernel output)
};

/// The marker every probe line starts with.
inline constexpr std::string_view probe_marker = "scs-conformance-0101";

/// The user data (a shell script) that prints the probe, with `random_bytes` of /dev/random.
std::string probe_user_data(std::size_t random_bytes);

/// The probe in a console log: the last block from "MARKER begin" to "MARKER end"; nullopt if
/// there is no complete block (yet).
std::optional<EntropyProbe> parse_probe(std::string_view console);

}  // namespace scs::checks
