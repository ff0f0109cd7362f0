#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "clients/openstack/cloud_config.hpp"

namespace scs {

/// What `run --record DIR` keeps beside the cassette, so `run --replay DIR` can repeat the run
/// offline: the cloud's settings without any secret, the cassette's file name, and the
/// instant of recording (a replay's clock, so date-dependent checks give the same verdicts).
/// Stored as DIR/recording.yaml.
/// The cluster of a recording: how it was addressed, never a credential.
struct KubeRecording {
  std::string context, cluster, user, namespace_name, server, tls_server_name;
  std::filesystem::path cassette;
};

struct RecordingInfo {
  CloudConfig cloud;               // secrets empty
  std::filesystem::path cassette;  // of the cloud; empty when the run had none
  std::chrono::system_clock::time_point recorded_at;
  std::optional<KubeRecording> kube;       // when the run had a cluster
  std::filesystem::path network_cassette;  // other HTTPS (e.g. data refreshes) of a KaaS-only run
  std::filesystem::path process_cassette;  // the programs checks started (process_cassette.hpp)
  // The recorded run's id, part of every name it gave what it created: a replay uses it again,
  // so its requests match the recorded ones. Empty in recordings made before it was kept.
  std::string run_id;
  [[nodiscard]] bool has_cloud() const { return !cassette.empty(); }
};

/// Writes DIR/recording.yaml for a run with a cloud, a cluster or both.
void write_recording_info(const std::filesystem::path& dir, const RecordingInfo& info);

void write_recording_info(const std::filesystem::path& dir, const CloudConfig& cloud,
                          const std::filesystem::path& cassette,
                          std::chrono::system_clock::time_point recorded_at);

/// ConfigError naming the file when DIR is not a recording.
RecordingInfo read_recording_info(const std::filesystem::path& dir);

}  // namespace scs
