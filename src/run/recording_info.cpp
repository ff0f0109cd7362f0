#include "run/recording_info.hpp"

#include <fstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

namespace {

constexpr const char* kFileName = "recording.yaml";

}  // namespace

void write_recording_info(const std::filesystem::path& dir, const CloudConfig& cloud,
                          const std::filesystem::path& cassette,
                          std::chrono::system_clock::time_point recorded_at) {
  RecordingInfo info;
  info.cloud = cloud;
  info.cassette = cassette;
  info.recorded_at = recorded_at;
  write_recording_info(dir, info);
}

void write_recording_info(const std::filesystem::path& dir, const RecordingInfo& info) {
  std::filesystem::create_directories(dir);
  const CloudConfig& cloud = info.cloud;
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << "scs-recording/1";
  out << YAML::Key << "recorded_at" << YAML::Value
      << std::chrono::duration_cast<std::chrono::seconds>(info.recorded_at.time_since_epoch()).count();
  if (!info.run_id.empty()) out << YAML::Key << "run_id" << YAML::Value << info.run_id;
  if (info.kube) {
    // Only how the cluster was addressed: never a token, key or exec plugin output.
    const auto& kube = *info.kube;
    out << YAML::Key << "kubernetes" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "cassette" << YAML::Value << kube.cassette.filename().string();
    const std::pair<const char*, const std::string*> kube_fields[] = {
        {"context", &kube.context}, {"cluster", &kube.cluster},
        {"user", &kube.user},       {"namespace", &kube.namespace_name},
        {"server", &kube.server},   {"tls_server_name", &kube.tls_server_name},
    };
    for (const auto& [key, value] : kube_fields) {
      if (!value->empty()) out << YAML::Key << key << YAML::Value << *value;
    }
    out << YAML::EndMap;
  }
  if (!info.network_cassette.empty()) {
    out << YAML::Key << "network_cassette" << YAML::Value << info.network_cassette.filename().string();
  }
  if (!info.process_cassette.empty()) {
    out << YAML::Key << "process_cassette" << YAML::Value << info.process_cassette.filename().string();
  }
  if (!info.has_cloud()) {
    out << YAML::EndMap;
    std::ofstream file(dir / kFileName, std::ios::trunc);
    file << out.c_str() << '\n';
    if (!file) throw ConfigError(fmt::format("cannot write {}", (dir / kFileName).string()));
    return;
  }
  out << YAML::Key << "cassette" << YAML::Value << info.cassette.filename().string();
  // Only what selects and addresses the cloud: never a password, secret or token.
  out << YAML::Key << "cloud" << YAML::Value << YAML::BeginMap;
  const std::pair<const char*, const std::string*> fields[] = {
      {"name", &cloud.name},
      {"auth_type", &cloud.auth_type},
      {"auth_url", &cloud.auth_url},
      {"username", &cloud.username},
      {"user_id", &cloud.user_id},
      {"user_domain_name", &cloud.user_domain_name},
      {"user_domain_id", &cloud.user_domain_id},
      {"project_name", &cloud.project_name},
      {"project_id", &cloud.project_id},
      {"project_domain_name", &cloud.project_domain_name},
      {"project_domain_id", &cloud.project_domain_id},
      {"domain_name", &cloud.domain_name},
      {"domain_id", &cloud.domain_id},
      {"application_credential_id", &cloud.application_credential_id},
      {"application_credential_name", &cloud.application_credential_name},
      {"region_name", &cloud.region_name},
      {"interface", &cloud.interface},
  };
  for (const auto& [key, value] : fields) {
    if (!value->empty()) out << YAML::Key << key << YAML::Value << *value;
  }
  out << YAML::EndMap << YAML::EndMap;
  std::ofstream file(dir / kFileName, std::ios::trunc);
  file << out.c_str() << '\n';
  if (!file) throw ConfigError(fmt::format("cannot write {}", (dir / kFileName).string()));
}

namespace {
RecordingInfo parse_recording_info(const std::filesystem::path& dir);
}

RecordingInfo read_recording_info(const std::filesystem::path& dir) {
  try {
    return parse_recording_info(dir);
  } catch (const YAML::Exception& error) {
    throw ConfigError(fmt::format("{}:{}: unexpected value: {}", (dir / kFileName).string(),
                                  error.mark.line + 1, error.msg));
  }
}

namespace {
RecordingInfo parse_recording_info(const std::filesystem::path& dir) {
  const auto path = dir / kFileName;
  if (!std::filesystem::exists(path)) {
    throw ConfigError(fmt::format("{} is not a recording (no {}; make one with `run --record DIR`)",
                                  dir.string(), kFileName));
  }
  YAML::Node root;
  try {
    root = YAML::Load(read_file(path, "the recording"));
  } catch (const YAML::Exception& error) {
    throw ConfigError(
        fmt::format("{}:{}: malformed YAML: {}", path.string(), error.mark.line + 1, error.msg));
  }
  const bool has_cloud = root.IsMap() && root["cassette"] && root["cloud"].IsMap();
  const bool has_kube = root.IsMap() && root["kubernetes"].IsMap() && root["kubernetes"]["cassette"];
  if (!root.IsMap() || root["format"].as<std::string>("") != "scs-recording/1" || (!has_cloud && !has_kube)) {
    throw ConfigError(
        fmt::format("{}: not a recording of this tool (format scs-recording/1 expected)", path.string()));
  }
  RecordingInfo info;
  // Seconds since the epoch, within what system_clock holds (nanoseconds: up to the year 2262).
  const auto recorded_at = root["recorded_at"].as<long long>(0);
  constexpr auto latest =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()).count();
  if (recorded_at < 0 || recorded_at >= latest)
    throw ConfigError(
        fmt::format("{}: recorded_at {} is not a time of recording", path.string(), recorded_at));
  info.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(recorded_at));
  if (has_kube) {
    const auto kube = root["kubernetes"];
    auto get = [&](const char* key) { return kube[key] ? kube[key].as<std::string>() : std::string(); };
    info.kube = KubeRecording{get("context"), get("cluster"),         get("user"),          get("namespace"),
                              get("server"),  get("tls_server_name"), dir / get("cassette")};
  }
  if (root["network_cassette"]) info.network_cassette = dir / root["network_cassette"].as<std::string>();
  if (root["process_cassette"]) info.process_cassette = dir / root["process_cassette"].as<std::string>();
  if (root["run_id"]) info.run_id = root["run_id"].as<std::string>();
  if (!has_cloud) return info;
  info.cassette = dir / root["cassette"].as<std::string>();
  const auto cloud = root["cloud"];
  auto get = [&](const char* key) { return cloud[key] ? cloud[key].as<std::string>() : std::string(); };
  info.cloud.name = get("name");
  info.cloud.auth_type = get("auth_type");
  info.cloud.auth_url = get("auth_url");
  info.cloud.username = get("username");
  info.cloud.user_id = get("user_id");
  info.cloud.user_domain_name = get("user_domain_name");
  info.cloud.user_domain_id = get("user_domain_id");
  info.cloud.project_name = get("project_name");
  info.cloud.project_id = get("project_id");
  info.cloud.project_domain_name = get("project_domain_name");
  info.cloud.project_domain_id = get("project_domain_id");
  info.cloud.domain_name = get("domain_name");
  info.cloud.domain_id = get("domain_id");
  info.cloud.application_credential_id = get("application_credential_id");
  info.cloud.application_credential_name = get("application_credential_name");
  info.cloud.region_name = get("region_name");
  info.cloud.interface = get("interface");
  if (info.cloud.interface.empty()) info.cloud.interface = "public";
  return info;
}

}  // namespace

}  // namespace scs
