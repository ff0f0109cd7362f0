#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "clients/http/http.hpp"
#include "clients/kubernetes/exec_credential.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/openstack/cloud_config.hpp"
#include "clients/process/process_runner.hpp"
#include "run/recording_info.hpp"

namespace scs {

struct Plan;

/// The subject the options and --assign name (an option wins over --assign).
struct SubjectSelection {
  std::optional<std::string> os_cloud;
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
};

/// One network leg: the real transport (optionally recorded) or a replay of it.
struct Leg {
  std::unique_ptr<Transport> base;
  std::unique_ptr<Transport> recorder;
  [[nodiscard]] bool present() const { return base != nullptr; }
  Transport& get() { return recorder ? *recorder : *base; }
};

/// Where the network comes from: the real cloud and/or cluster (optionally recorded), or a
/// recording. Only the platforms the plan needs are connected.
struct Connection {
  std::optional<CloudConfig> cloud;
  Leg openstack;
  std::optional<KubeConfig> kube;
  std::shared_ptr<ExecCredentialSource> exec;
  Leg kubernetes;
  Leg network;  // KaaS-only runs: HTTPS that is neither cloud nor cluster (data refreshes)
  // The programs checks start (sonobuoy, hydrophone): this machine's, recorded, or replayed.
  std::unique_ptr<ProcessRunner> local_processes = std::make_unique<LocalProcessRunner>();
  std::unique_ptr<ProcessRunner> process_cassette;  // recording or replaying
  [[nodiscard]] ProcessRunner* processes() const {
    return process_cassette ? process_cassette.get() : local_processes.get();
  }
};

/// Resolves clouds.yaml and the kubeconfig and builds the live transports; with `record_dir`
/// each leg is recorded there (cassettes without secrets, and recording.yaml). No request is
/// sent: a configuration error costs none. `run_id` goes into recording.yaml.
Connection connect_live(const SubjectSelection& subject, const Plan& plan,
                        const std::optional<std::filesystem::path>& record_dir, bool offline,
                        const std::string& run_id);

/// Answers from the recording in `dir` (read as `info`); ConfigError when it lacks a platform
/// the plan needs.
Connection connect_replay(const std::filesystem::path& dir, const RecordingInfo& info, const Plan& plan);

}  // namespace scs
