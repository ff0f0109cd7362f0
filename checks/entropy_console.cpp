#include "checks/entropy_console.hpp"
#include "core/base64.hpp"

#include <array>

#include <fmt/format.h>

namespace scs::checks {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(trim(text.substr(0, end)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

std::string probe_user_data(std::size_t random_bytes) {
  // Plain POSIX sh and coreutils, present in every Debian and Ubuntu cloud image. The output
  // goes to cloud-init's stdout, which is the console. Nothing is installed.
  return fmt::format(R"SH(#!/bin/sh
m={0}
hw=/sys/class/misc/hw_random
{{
echo "$m begin"
echo "$m entropy_avail: $(cat /proc/sys/kernel/random/entropy_avail)"
echo "$m rng_available: $(cat $hw/rng_available 2>/dev/null)"
echo "$m rng_current: $(cat $hw/rng_current 2>/dev/null || echo none)"
echo "$m rng_quality: $(cat /sys/module/rng_core/parameters/current_quality 2>/dev/null)"
if pgrep -x rngd >/dev/null 2>&1; then echo "$m rngd: running"; else echo "$m rngd: absent"; fi
echo "$m random begin"
head -c {1} /dev/random | base64 -w 76
echo "$m random end"
echo "$m end"
}} 2>&1
)SH",
                     probe_marker, random_bytes);
}

std::optional<EntropyProbe> parse_probe(std::string_view console) {
  const auto lines = lines_of(console);
  const std::string begin = fmt::format("{} begin", probe_marker), end = fmt::format("{} end", probe_marker);
  const std::string random_begin = fmt::format("{} random begin", probe_marker),
                    random_end = fmt::format("{} random end", probe_marker);
  // The last complete block: a VM that rebooted prints the probe again.
  std::optional<std::size_t> first, last;
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (!last && lines[i] == end) last = i;
    if (last && lines[i] == begin) {
      first = i;
      break;
    }
  }
  if (!first || !last) return std::nullopt;

  EntropyProbe probe;
  bool in_random = false;
  const std::array<std::pair<std::string_view, std::string EntropyProbe::*>, 5> fields{{
      {"entropy_avail", &EntropyProbe::entropy_avail},
      {"rng_available", &EntropyProbe::rng_available},
      {"rng_current", &EntropyProbe::rng_current},
      {"rng_quality", &EntropyProbe::rng_quality},
      {"rngd", &EntropyProbe::rngd},
  }};
  for (std::size_t i = *first + 1; i < *last; ++i) {
    const auto line = lines[i];
    if (line == random_begin) {
      in_random = true;
      continue;
    }
    if (line == random_end) {
      in_random = false;
      continue;
    }
    if (in_random) {
      // Each line is decoded on its own: a serial console that lost characters (QEMU drops
      // output on a pty nobody reads) damages that line only, never the alignment of the rest.
      // base64 -w 76 writes whole quanta: a line whose length is no multiple of 4 lost characters.
      const bool whole = !line.empty() && line.size() % 4 == 0;
      if (const auto bytes = whole ? base64_decode(line) : std::nullopt) {
        probe.random.insert(probe.random.end(), bytes->begin(), bytes->end());
      } else if (!line.empty()) {
        probe.problems.push_back(std::string(line));
      }
      continue;
    }
    if (!line.starts_with(probe_marker)) continue;  // kernel messages between our lines
    auto rest = line.substr(probe_marker.size());
    for (const auto& [key, field] : fields) {
      const auto prefix = fmt::format(" {}:", key);
      if (rest.starts_with(prefix)) probe.*field = std::string(trim(rest.substr(prefix.size())));
    }
  }
  return probe;
}

}  // namespace scs::checks
