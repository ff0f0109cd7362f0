#include "run/connection.hpp"

#include <cctype>
#include <string_view>

#include <fmt/format.h>

#include "clients/http/cassette.hpp"
#include "clients/http/curl_transport.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "clients/process/process_cassette.hpp"
#include "clients/tls/tls_probe_transport.hpp"
#include "core/errors.hpp"
#include "run/plan.hpp"

namespace scs {

namespace {

/// Refuses every request: with --offline a KaaS run has no network but its cluster, and a
/// replay has nothing but what was recorded.
class OfflineTransport final : public Transport {
 public:
  explicit OfflineTransport(std::string refusal =
                                "--offline forbids network access to {} (only the cloud or "
                                "cluster under test)")
      : refusal_(std::move(refusal)) {}

  HttpResponse send(const HttpRequest& request) override {
    const auto scheme_end = request.url.find("://");
    const auto host_end =
        scheme_end == std::string::npos ? std::string::npos : request.url.find('/', scheme_end + 3);
    throw Error(fmt::format(fmt::runtime(refusal_), request.url.substr(0, host_end)));
  }

 private:
  std::string refusal_;
};

std::string file_label(std::string_view text) {
  std::string out;
  for (const char c : text)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.') ? c : '_';
  return out;
}

void record(Connection& connection, const std::filesystem::path& dir, bool offline,
            const std::string& run_id) {
  RecordingInfo info;
  info.recorded_at = std::chrono::system_clock::now();
  info.run_id = run_id;
  if (connection.cloud) {
    info.cloud = *connection.cloud;
    info.cassette = new_cassette_path(dir, connection.cloud->name);
    connection.openstack.recorder = std::make_unique<RecordingTransport>(
        *connection.openstack.base, info.cassette, connection.cloud->secrets());
  }
  if (connection.kube) {
    const auto& kube = *connection.kube;
    info.kube = KubeRecording{kube.context,
                              kube.cluster_name,
                              kube.user_name,
                              kube.namespace_name,
                              kube.server,
                              kube.tls_server_name,
                              new_cassette_path(dir, "kube-" + file_label(kube.context))};
    connection.kubernetes.recorder = std::make_unique<RecordingTransport>(
        *connection.kubernetes.base, info.kube->cassette, kube.secrets());
  }
  if (connection.network.present() && !offline) {
    info.network_cassette = new_cassette_path(dir, "network");
    connection.network.recorder =
        std::make_unique<RecordingTransport>(*connection.network.base, info.network_cassette);
  }
  write_recording_info(dir, info);
}

}  // namespace

Connection connect_live(const SubjectSelection& subject, const Plan& plan,
                        const std::optional<std::filesystem::path>& record_dir, bool offline,
                        const std::string& run_id) {
  Connection connection;
  if (plan.needs("openstack")) {
    CloudSelection selection;
    selection.cloud = subject.os_cloud;
    connection.cloud = resolve_cloud(selection);
    // TLS probes (scs-0125) answer in front of libcurl, behind the recorder: see tls_probe_transport.hpp.
    connection.openstack.base = std::make_unique<TlsProbeTransport>(
        std::make_unique<CurlTransport>(connection.cloud->transport), connection.cloud->transport);
  }
  if (plan.needs("kubernetes")) {
    KubeSelection selection;
    selection.kubeconfig = subject.kubeconfig;
    selection.context = subject.context;
    connection.kube = resolve_kubeconfig(selection);
    if (connection.kube->exec) {
      connection.exec = std::make_shared<ExecCredentialSource>(*connection.kube->exec, *connection.kube);
    }
    connection.kubernetes.base = make_kube_transport(*connection.kube, connection.exec);
    if (!connection.cloud) {
      if (offline) {
        connection.network.base = std::make_unique<OfflineTransport>();
      } else {
        connection.network.base = std::make_unique<CurlTransport>();
      }
    }
  }
  if (record_dir) record(connection, *record_dir, offline, run_id);
  return connection;
}

Connection connect_replay(const std::filesystem::path& dir, const RecordingInfo& info, const Plan& plan) {
  Connection connection;
  if (plan.needs("openstack")) {
    if (!info.has_cloud()) {
      throw ConfigError(
          fmt::format("{}: the recording has no OpenStack cloud, but the scope needs one", dir.string()));
    }
    connection.cloud = info.cloud;
    connection.openstack.base = std::make_unique<ReplayTransport>(info.cassette);
  }
  if (plan.needs("kubernetes")) {
    if (!info.kube) {
      throw ConfigError(
          fmt::format("{}: the recording has no Kubernetes cluster, but the scope needs one", dir.string()));
    }
    KubeConfig kube;
    kube.context = info.kube->context;
    kube.cluster_name = info.kube->cluster;
    kube.user_name = info.kube->user;
    if (!info.kube->namespace_name.empty()) kube.namespace_name = info.kube->namespace_name;
    kube.server = info.kube->server;
    kube.tls_server_name = info.kube->tls_server_name;
    connection.kube = std::move(kube);
    connection.kubernetes.base = std::make_unique<ReplayTransport>(info.kube->cassette);
    if (!connection.cloud) {
      // The network cassette exists only if the recorded run made such a request.
      if (info.network_cassette.empty() || !std::filesystem::exists(info.network_cassette)) {
        connection.network.base = std::make_unique<OfflineTransport>(
            "the recording holds no exchange with {} (recorded run did not ask it)");
      } else {
        connection.network.base = std::make_unique<ReplayTransport>(info.network_cassette);
      }
    }
  }
  // A replay starts no program: it answers from the process cassette, which exists only if
  // the recorded run started one (without it, a check that would start one aborts).
  connection.local_processes.reset();
  if (!info.process_cassette.empty() && std::filesystem::exists(info.process_cassette))
    connection.process_cassette = std::make_unique<ReplayingProcessRunner>(info.process_cassette);
  return connection;
}

}  // namespace scs
