#include "clients/kubernetes/kube_config.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

/// One named entry of a kubeconfig list (clusters, users, contexts), with where it came from.
struct Named {
  YAML::Node body;
  std::string file;
  int line = 0;
};

/// The kubeconfig files merged as client-go merges them: the first file to set a name wins.
struct Merged {
  std::vector<std::string> files;
  std::map<std::string, Named> clusters, users, contexts;
  std::optional<Named> current_context;  // body: the scalar

  [[nodiscard]] std::string file_list() const {
    std::string out;
    for (const auto& file : files) out += (out.empty() ? "" : ", ") + file;
    return out;
  }
};

int line_of(const YAML::Node& node) { return node.Mark().line < 0 ? 0 : node.Mark().line + 1; }

std::string at(const std::string& file, int line) {
  return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

YAML::Node load_file(const std::string& file) {
  try {
    YAML::Node document = YAML::LoadFile(file);
    if (!document.IsDefined() || document.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!document.IsMap())
      throw ConfigError(fmt::format("{}: a kubeconfig must be a mapping", at(file, line_of(document))));
    return document;
  } catch (const YAML::BadFile&) {
    throw ConfigError(fmt::format("{}: cannot read the kubeconfig file", file));
  } catch (const YAML::ParserException& error) {
    throw ConfigError(fmt::format("{}:{}: malformed YAML: {}", file, error.mark.line + 1, error.msg));
  }
}

void merge_list(const YAML::Node& document, const std::string& file, const char* list, const char* body,
                std::map<std::string, Named>& into) {
  const YAML::Node entries = document[list];
  if (!entries || entries.IsNull()) return;
  if (!entries.IsSequence())
    throw ConfigError(fmt::format("{}: '{}' must be a list", at(file, line_of(entries)), list));
  for (const auto& entry : entries) {
    if (!entry.IsMap() || !entry["name"] || !entry["name"].IsScalar()) {
      throw ConfigError(fmt::format("{}: every entry of '{}' needs a name", at(file, line_of(entry)), list));
    }
    const YAML::Node content = entry[body];
    into.try_emplace(entry["name"].as<std::string>(),
                     Named{content ? content : YAML::Node(YAML::NodeType::Map), file, line_of(entry)});
  }
}

void merge_file(Merged& merged, const std::string& file) {
  const YAML::Node document = load_file(file);
  merged.files.push_back(file);
  merge_list(document, file, "clusters", "cluster", merged.clusters);
  merge_list(document, file, "users", "user", merged.users);
  merge_list(document, file, "contexts", "context", merged.contexts);
  const YAML::Node current = document["current-context"];
  if (!merged.current_context && current && current.IsScalar() && !current.as<std::string>().empty()) {
    merged.current_context = Named{current, file, line_of(current)};
  }
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ':')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string join_names(const std::map<std::string, Named>& names) {
  std::string out;
  for (const auto& [name, entry] : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

/// Reads the fields of one cluster, user or context body, each with its line for messages.
class Fields {
 public:
  Fields(const Named& named, std::string what) : named_(named), what_(std::move(what)) {
    if (!named.body.IsMap()) fail(named.line, "must be a mapping");
  }

  [[noreturn]] void fail(int line, const std::string& problem) const {
    throw ConfigError(
        fmt::format("{}: {}: {}", at(named_.file, line > 0 ? line : named_.line), what_, problem));
  }

  [[nodiscard]] std::string text(const char* key) const {
    const YAML::Node node = named_.body[key];
    if (!node || node.IsNull()) return {};
    if (!node.IsScalar()) fail(line_of(node), fmt::format("'{}' must be a string", key));
    return node.as<std::string>();
  }

  [[nodiscard]] bool flag(const char* key) const {
    const YAML::Node node = named_.body[key];
    if (!node || node.IsNull()) return false;
    try {
      return node.as<bool>();
    } catch (const YAML::Exception&) {
      fail(line_of(node), fmt::format("'{}' must be true or false", key));
    }
  }

  /// A path, resolved against the directory of the file that names it.
  [[nodiscard]] std::string path(const char* key) const {
    const std::string value = text(key);
    if (value.empty()) return {};
    return resolve(value);
  }

  [[nodiscard]] std::string resolve(const std::string& value) const {
    fs::path path(value);
    if (path.is_relative()) path = fs::absolute(fs::path(named_.file)).parent_path() / path;
    return path.lexically_normal().string();
  }

  /// A path that must name a readable file.
  [[nodiscard]] std::string existing_path(const char* key) const {
    const std::string value = path(key);
    if (!value.empty() && !std::ifstream(value).good()) {
      fail(line(key), fmt::format("{} '{}' cannot be read", key, value));
    }
    return value;
  }

  /// A *-data field: base64 in the file, returned decoded. The message never shows the value.
  [[nodiscard]] std::string data(const char* key) const {
    const std::string value = text(key);
    if (value.empty()) return {};
    auto decoded = base64_decode(value, true);
    if (!decoded || decoded->empty()) fail(line(key), fmt::format("'{}' is not valid base64", key));
    return *decoded;
  }

  [[nodiscard]] int line(const char* key) const {
    const YAML::Node node = named_.body[key];
    return node ? line_of(node) : named_.line;
  }

  [[nodiscard]] YAML::Node node(const char* key) const { return named_.body[key]; }

 private:
  const Named& named_;
  std::string what_;
};

void read_cluster(const Named& named, const std::string& name, KubeConfig& config) {
  const Fields cluster(named, fmt::format("cluster '{}'", name));
  config.server = cluster.text("server");
  if (config.server.empty()) cluster.fail(0, "no server given");
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0) {
    cluster.fail(cluster.line("server"), fmt::format("server '{}' is not an http(s) URL", config.server));
  }
  while (config.server.ends_with('/')) config.server.pop_back();
  config.tls_server_name = cluster.text("tls-server-name");
  config.transport.verify_tls = !cluster.flag("insecure-skip-tls-verify");
  config.transport.ca_file = cluster.existing_path("certificate-authority");
  config.ca_data = cluster.data("certificate-authority-data");
  if (!config.transport.ca_file.empty() && !config.ca_data.empty()) {
    cluster.fail(0, "certificate-authority and certificate-authority-data are both given; keep one");
  }
  if (!config.transport.verify_tls && (!config.transport.ca_file.empty() || !config.ca_data.empty())) {
    cluster.fail(cluster.line("insecure-skip-tls-verify"),
                 "insecure-skip-tls-verify cannot be combined with a certificate authority");
  }
}

ExecCredentialPlugin read_exec(const Fields& user) {
  const YAML::Node node = user.node("exec");
  if (!node.IsMap()) user.fail(line_of(node), "'exec' must be a mapping");
  const auto text = [&](const char* key) {
    const YAML::Node value = node[key];
    if (!value || value.IsNull()) return std::string();
    if (!value.IsScalar()) user.fail(line_of(value), fmt::format("exec '{}' must be a string", key));
    return value.as<std::string>();
  };
  ExecCredentialPlugin plugin;
  plugin.api_version = text("apiVersion");
  plugin.command = text("command");
  plugin.interactive_mode = text("interactiveMode");
  plugin.install_hint = text("installHint");
  if (plugin.command.empty()) user.fail(line_of(node), "exec needs a command");
  if (plugin.api_version != "client.authentication.k8s.io/v1" &&
      plugin.api_version != "client.authentication.k8s.io/v1beta1") {
    user.fail(line_of(node),
              fmt::format("exec apiVersion '{}' is not supported (client.authentication.k8s.io/v1 "
                          "or v1beta1)",
                          plugin.api_version));
  }
  if (plugin.api_version == "client.authentication.k8s.io/v1" && plugin.interactive_mode.empty()) {
    user.fail(line_of(node), "exec interactiveMode must be given for client.authentication.k8s.io/v1");
  }
  if (!plugin.interactive_mode.empty() && plugin.interactive_mode != "Never" &&
      plugin.interactive_mode != "IfAvailable" && plugin.interactive_mode != "Always") {
    user.fail(line_of(node), fmt::format("exec interactiveMode '{}' is not Never, IfAvailable or Always",
                                         plugin.interactive_mode));
  }
  // Like client-go: a relative command with a directory part is relative to the kubeconfig;
  // a bare name is looked up in PATH.
  if (plugin.command.find('/') != std::string::npos) plugin.command = user.resolve(plugin.command);
  if (const YAML::Node args = node["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) user.fail(line_of(args), "exec args must be a list");
    for (const auto& arg : args) plugin.args.push_back(arg.as<std::string>());
  }
  if (const YAML::Node variables = node["env"]; variables && !variables.IsNull()) {
    if (!variables.IsSequence()) user.fail(line_of(variables), "exec env must be a list of name/value");
    for (const auto& variable : variables) {
      if (!variable.IsMap() || !variable["name"])
        user.fail(line_of(variable), "exec env entries need a name");
      plugin.env.emplace_back(variable["name"].as<std::string>(),
                              variable["value"] ? variable["value"].as<std::string>() : std::string());
    }
  }
  if (const YAML::Node provide = node["provideClusterInfo"]; provide && !provide.IsNull()) {
    plugin.provide_cluster_info = provide.as<bool>();
  }
  return plugin;
}

void read_user(const Named& named, const std::string& name, KubeConfig& config) {
  const Fields user(named, fmt::format("user '{}'", name));
  config.transport.client_cert = user.existing_path("client-certificate");
  config.transport.client_key = user.existing_path("client-key");
  config.client_cert_data = user.data("client-certificate-data");
  config.client_key_data = user.data("client-key-data");
  if (!config.transport.client_cert.empty() && !config.client_cert_data.empty()) {
    user.fail(0, "client-certificate and client-certificate-data are both given; keep one");
  }
  if (!config.transport.client_key.empty() && !config.client_key_data.empty()) {
    user.fail(0, "client-key and client-key-data are both given; keep one");
  }
  const bool has_cert = !config.transport.client_cert.empty() || !config.client_cert_data.empty();
  const bool has_key = !config.transport.client_key.empty() || !config.client_key_data.empty();
  if (has_cert != has_key) user.fail(0, "a client certificate needs its key, and a key its certificate");
  config.token = user.text("token");
  config.token_file = user.existing_path("tokenFile");
  config.username = user.text("username");
  config.password = user.text("password");
  if ((!config.token.empty() || !config.token_file.empty()) && !config.username.empty()) {
    user.fail(0, "more than one authentication method (token and username/password); keep one");
  }
  if (user.node("auth-provider")) {
    user.fail(
        user.line("auth-provider"),
        "auth-provider is not supported (client-go dropped it too); use an exec plugin such as kubelogin");
  }
  if (user.node("exec") && !user.node("exec").IsNull()) config.exec = read_exec(user);
}

KubeConfig in_cluster(const KubeEnvironment& environment) {
  const fs::path dir(environment.service_account_dir);
  KubeConfig config;
  config.context = "in-cluster";
  config.cluster_name = "in-cluster";
  config.user_name = "serviceaccount";
  const std::string host = *environment.service_host;
  const bool ipv6 = host.find(':') != std::string::npos;
  config.server =
      fmt::format("https://{}:{}", ipv6 ? "[" + host + "]" : host, environment.service_port.value_or("443"));
  config.token_file = (dir / "token").string();
  if (!std::ifstream(config.token_file).good()) {
    throw ConfigError(
        fmt::format("in-cluster configuration: {} cannot be read (KUBERNETES_SERVICE_HOST is set, but "
                    "no service-account token is mounted)",
                    config.token_file));
  }
  if (std::ifstream((dir / "ca.crt").string()).good()) config.transport.ca_file = (dir / "ca.crt").string();
  if (std::ifstream((dir / "namespace").string()).good()) {
    std::string namespace_name = read_file(dir / "namespace", "the service account's namespace file");
    while (!namespace_name.empty() && std::isspace(static_cast<unsigned char>(namespace_name.back())) != 0) {
      namespace_name.pop_back();
    }
    if (!namespace_name.empty()) config.namespace_name = namespace_name;
  }
  return config;
}

}  // namespace

std::vector<std::string> KubeConfig::secrets() const {
  std::vector<std::string> out;
  for (const auto* value : {&token, &password, &client_key_data}) {
    if (!value->empty()) out.push_back(*value);
  }
  return out;
}

KubeEnvironment KubeEnvironment::current() {
  KubeEnvironment environment;
  environment.kubeconfig_list = env("KUBECONFIG");
  environment.home = env("HOME");
  environment.service_host = env("KUBERNETES_SERVICE_HOST");
  environment.service_port = env("KUBERNETES_SERVICE_PORT");
  return environment;
}

KubeConfig resolve_kubeconfig(const KubeSelection& selection) {
  return resolve_kubeconfig(selection, KubeEnvironment::current());
}

KubeConfig resolve_kubeconfig(const KubeSelection& selection, const KubeEnvironment& environment) {
  Merged merged;
  if (selection.kubeconfig) {
    if (!fs::exists(*selection.kubeconfig)) {
      throw ConfigError(fmt::format("{}: the kubeconfig file does not exist", *selection.kubeconfig));
    }
    merge_file(merged, *selection.kubeconfig);
  } else if (environment.kubeconfig_list && !environment.kubeconfig_list->empty()) {
    for (const auto& file : split_list(*environment.kubeconfig_list)) {
      if (fs::exists(file)) merge_file(merged, file);  // client-go skips missing files of the list
    }
  } else if (environment.home) {
    const auto file = (fs::path(*environment.home) / ".kube" / "config").string();
    if (fs::exists(file)) merge_file(merged, file);
  }

  if (merged.files.empty()) {
    if (environment.service_host && !environment.service_host->empty() && !selection.context) {
      return in_cluster(environment);
    }
    if (environment.kubeconfig_list && !environment.kubeconfig_list->empty()) {
      throw ConfigError(fmt::format("none of the kubeconfig files in KUBECONFIG ({}) exists",
                                    *environment.kubeconfig_list));
    }
    throw ConfigError(
        "no kubeconfig: give --kubeconfig, set KUBECONFIG or create ~/.kube/config (or run inside a "
        "cluster)");
  }

  KubeConfig config;
  std::string context_file;
  if (selection.context) {
    config.context = *selection.context;
  } else if (merged.current_context) {
    config.context = merged.current_context->body.as<std::string>();
    context_file = merged.current_context->file;
  } else {
    throw ConfigError(fmt::format("{}: no current-context is set; choose one with --context (contexts: {})",
                                  merged.file_list(), join_names(merged.contexts)));
  }
  const auto context_entry = merged.contexts.find(config.context);
  if (context_entry == merged.contexts.end()) {
    throw ConfigError(fmt::format(
        "{}: context '{}' not found (contexts: {})",
        context_file.empty() ? merged.file_list() : at(context_file, merged.current_context->line),
        config.context, join_names(merged.contexts)));
  }
  const Named& context = context_entry->second;
  config.source_file = context.file;
  const Fields context_fields(context, fmt::format("context '{}'", config.context));
  config.cluster_name = context_fields.text("cluster");
  config.user_name = context_fields.text("user");
  if (const auto namespace_name = context_fields.text("namespace"); !namespace_name.empty()) {
    config.namespace_name = namespace_name;
  }
  if (config.cluster_name.empty()) context_fields.fail(0, "names no cluster");
  const auto cluster = merged.clusters.find(config.cluster_name);
  if (cluster == merged.clusters.end()) {
    context_fields.fail(context_fields.line("cluster"), fmt::format("cluster '{}' is not defined in {}",
                                                                    config.cluster_name, merged.file_list()));
  }
  read_cluster(cluster->second, config.cluster_name, config);
  if (!config.user_name.empty()) {
    const auto user = merged.users.find(config.user_name);
    if (user == merged.users.end()) {
      context_fields.fail(context_fields.line("user"), fmt::format("user '{}' is not defined in {}",
                                                                   config.user_name, merged.file_list()));
    }
    read_user(user->second, config.user_name, config);
  }
  return config;
}

}  // namespace scs
