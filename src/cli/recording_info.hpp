#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "clients/cloud_config.hpp"

namespace scs {

/// What `run --record DIR` keeps beside the cassette, so `run --replay DIR` can repeat the run
/// offline: the cloud's settings without any secret, the cassette's file name, and the
/// instant of recording (a replay's clock, so date-dependent checks give the same verdicts).
/// Stored as DIR/recording.yaml.
struct RecordingInfo {
  CloudConfig cloud;  // secrets empty
  std::filesystem::path cassette;
  std::chrono::system_clock::time_point recorded_at;
};

void write_recording_info(const std::filesystem::path& dir, const CloudConfig& cloud,
                          const std::filesystem::path& cassette,
                          std::chrono::system_clock::time_point recorded_at);

/// ConfigError naming the file when DIR is not a recording.
RecordingInfo read_recording_info(const std::filesystem::path& dir);

}  // namespace scs
