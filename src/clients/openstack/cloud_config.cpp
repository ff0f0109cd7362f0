// clouds.yaml resolution, following openstacksdk's loader (openstack/config/loader.py): the same
// search path, secure.yaml merged over clouds.yaml, the `envvars` cloud from OS_* variables,
// the same legacy aliases (tenant_*, endpoint_type, insecure, auth_plugin, top-level auth keys)
// and the same precedence (values under `auth:` beat top-level ones; `insecure` and
// `verify: false` beat `cacert`).
#include "clients/openstack/cloud_config.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/errors.hpp"

extern char** environ;  // POSIX; the only way to list the OS_* variables

namespace scs {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view supported_auth_types =
    "password, v3password, v3applicationcredential, token, v3token";

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string home() { return env("HOME").value_or(""); }

std::string expand_user(std::string path) {
  if (path == "~" || path.rfind("~/", 0) == 0) path.replace(0, 1, home());
  return path;
}

/// openstacksdk's CONFIG_SEARCH_PATH: cwd, the user config dir, ~/.config/openstack, the site
/// config dir ($XDG_CONFIG_DIRS, default /etc/xdg) and /etc/openstack.
std::vector<fs::path> search_dirs() {
  std::vector<fs::path> dirs;
  std::error_code ignored;
  dirs.push_back(fs::current_path(ignored));
  const std::string unix_home = home().empty() ? std::string() : home() + "/.config/openstack";
  if (const auto xdg = env("XDG_CONFIG_HOME")) {
    dirs.emplace_back(*xdg + "/openstack");
  } else if (!unix_home.empty()) {
    dirs.emplace_back(unix_home);
  }
  if (!unix_home.empty()) dirs.emplace_back(unix_home);
  const std::string xdg_dirs = env("XDG_CONFIG_DIRS").value_or("/etc/xdg");
  dirs.emplace_back(xdg_dirs.substr(0, xdg_dirs.find(':')) + "/openstack");
  dirs.emplace_back("/etc/openstack");
  std::vector<fs::path> unique;
  for (auto& dir : dirs) {
    if (std::find(unique.begin(), unique.end(), dir) == unique.end()) unique.push_back(std::move(dir));
  }
  return unique;
}

std::vector<fs::path> candidates(std::string_view stem, const char* override_variable,
                                 const std::optional<fs::path>& first) {
  std::vector<fs::path> files;
  if (const auto path = env(override_variable)) files.emplace_back(*path);
  if (first) files.push_back(*first);
  for (const auto& dir : search_dirs()) {
    for (const char* suffix : {".yaml", ".yml", ".json"})
      files.push_back(dir / fmt::format("{}{}", stem, suffix));
  }
  return files;
}

std::optional<fs::path> first_existing(const std::vector<fs::path>& files) {
  for (const auto& file : files) {
    std::error_code ignored;
    if (fs::is_regular_file(file, ignored)) return file;
  }
  return std::nullopt;
}

YAML::Node load_yaml(const fs::path& file) {
  try {
    YAML::Node document = YAML::LoadFile(file.string());
    if (!document.IsDefined() || document.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!document.IsMap())
      throw ConfigError(fmt::format("{}: expected a mapping with a 'clouds' key", file.string()));
    return document;
  } catch (const YAML::BadFile&) {
    throw ConfigError(fmt::format("{}: cannot read the file", file.string()));
  } catch (const YAML::ParserException& error) {
    throw ConfigError(
        fmt::format("{}:{}: malformed YAML: {}", file.string(), error.mark.line + 1, error.msg));
  }
}

/// openstacksdk's merge_clouds: maps are merged key by key, anything else is replaced.
YAML::Node merge(const YAML::Node& base, const YAML::Node& over) {
  if (!base.IsMap() || !over.IsMap()) return YAML::Clone(over);
  YAML::Node out = YAML::Clone(base);
  for (const auto& item : over) {
    const auto key = item.first.as<std::string>();
    out[key] = out[key] ? merge(out[key], item.second) : YAML::Clone(item.second);
  }
  return out;
}

std::string normalise_key(std::string key) {
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

using Values = std::map<std::string, YAML::Node>;

/// Sets a value. (Assigning to an existing YAML::Node rebinds the node it shares with the
/// document, so entries are replaced rather than assigned.)
void put(Values& values, const std::string& key, const YAML::Node& node) {
  values.erase(key);
  values.emplace(key, node);
}

/// The settings of one cloud, with keys normalised, before they are interpreted.
struct Raw {
  std::string cloud;
  std::string file;  // for messages
  Values top;
  Values auth;

  [[nodiscard]] std::string where() const {
    return file.empty() ? fmt::format("cloud '{}' (from OS_* variables)", cloud)
                        : fmt::format("{}: cloud '{}'", file, cloud);
  }

  [[noreturn]] void fail(std::string_view problem) const {
    throw ConfigError(fmt::format("{}: {}", where(), problem));
  }

  std::optional<std::string> scalar(const YAML::Node& node, std::string_view key) const {
    if (!node || node.IsNull()) return std::nullopt;
    if (!node.IsScalar()) fail(fmt::format("'{}' must be a single value", key));
    auto value = node.as<std::string>();
    if (value.empty()) return std::nullopt;
    return value;
  }

  /// A value under `auth:`, else at top level (openstacksdk moves those into auth).
  std::string auth_value(const std::string& key) const {
    if (const auto it = auth.find(key); it != auth.end()) {
      if (auto value = scalar(it->second, key)) return *value;
    }
    if (const auto it = top.find(key); it != top.end()) {
      if (auto value = scalar(it->second, key)) return *value;
    }
    return {};
  }

  std::string top_value(const std::string& key) const {
    const auto it = top.find(key);
    return it == top.end() ? std::string() : scalar(it->second, key).value_or("");
  }

  std::optional<bool> boolean(const std::string& key) const {
    const auto it = top.find(key);
    if (it == top.end() || !it->second || it->second.IsNull()) return std::nullopt;
    const auto text = scalar(it->second, key);
    if (!text) return std::nullopt;
    std::string lowered = *text;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lowered == "true" || lowered == "yes" || lowered == "on" || lowered == "1") return true;
    if (lowered == "false" || lowered == "no" || lowered == "off" || lowered == "0") return false;
    fail(fmt::format("'{}' must be true or false, not '{}'", key, *text));
  }
};

void put_all(Values& target, const YAML::Node& map) {
  for (const auto& item : map) put(target, normalise_key(item.first.as<std::string>()), item.second);
}

Raw make_raw(std::string cloud, std::string file, const YAML::Node& settings) {
  Raw raw{std::move(cloud), std::move(file), {}, {}};
  if (!settings.IsMap()) raw.fail("its settings must be a mapping");
  for (const auto& item : settings) {
    const auto key = normalise_key(item.first.as<std::string>());
    if (key == "auth") {
      if (!item.second.IsMap()) raw.fail("'auth' must be a mapping");
      put_all(raw.auth, item.second);
    } else {
      put(raw.top, key, item.second);
    }
  }
  return raw;
}

/// The `envvars` cloud: every OS_* variable as a top-level key, lower-cased without the prefix
/// (OS_PROJECT_NAME → project_name). Absent when only selectors are set.
std::optional<YAML::Node> envvars_cloud() {
  static const std::set<std::string, std::less<>> selectors = {
      "OS_CLOUD", "OS_REGION_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME"};
  YAML::Node cloud(YAML::NodeType::Map);
  bool meaningful = false;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view item(*entry);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string name(item.substr(0, eq));
    if (name.rfind("OS_", 0) != 0) continue;
    // CI and logging variables of OpenStack's own test infrastructure, ignored by openstacksdk.
    if (name.rfind("OS_TEST", 0) == 0 || name.rfind("OS_STD", 0) == 0 || name.rfind("OS_LOG", 0) == 0)
      continue;
    std::string key = name.substr(3);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    cloud[key] = std::string(item.substr(eq + 1));
    if (!selectors.contains(name)) meaningful = true;
  }
  if (!meaningful) return std::nullopt;
  return cloud;
}

std::string join_keys(const YAML::Node& clouds) {
  std::vector<std::string> names;
  for (const auto& item : clouds) names.push_back(item.first.as<std::string>());
  std::sort(names.begin(), names.end());
  return fmt::format("{}", fmt::join(names, ", "));
}

/// Vendor profiles (`profile:` or the deprecated `cloud:`) from clouds-public.yaml. openstacksdk
/// also has built-in vendor files and fetches /.well-known/openstack/api; neither is done here.
YAML::Node apply_profile(const YAML::Node& settings, const std::string& cloud_name, const std::string& file) {
  const YAML::Node name_node = settings["profile"] ? settings["profile"] : settings["cloud"];
  if (!name_node) return settings;
  const auto profile = name_node.as<std::string>();
  std::optional<YAML::Node> vendor;
  if (const auto vendor_file =
          first_existing(candidates("clouds-public", "OS_CLIENT_PUBLIC_FILE", std::nullopt))) {
    const YAML::Node document = load_yaml(*vendor_file);
    const YAML::Node clouds = document["public-clouds"];
    if (clouds && clouds.IsMap() && clouds[profile]) {
      const YAML::Node entry = clouds[profile];
      vendor = entry["profile"] ? YAML::Clone(entry["profile"]) : YAML::Clone(entry);
    }
  }
  if (!vendor) {
    throw ConfigError(
        fmt::format("{}: cloud '{}': profile '{}' not found in clouds-public.yaml (built-in vendor "
                    "profiles are not supported)",
                    file, cloud_name, profile));
  }
  YAML::Node out = merge(*vendor, settings);
  out.remove("profile");
  out.remove("cloud");
  return out;
}

/// The region to use: OS_REGION_NAME, else the cloud's (first) region. With a `regions` list
/// the choice must be one of them, and its `values` apply on top.
void apply_region(Raw& raw, CloudConfig& config) {
  struct Region {
    std::string name;
    YAML::Node values;
  };
  std::vector<Region> regions;
  if (const auto it = raw.top.find("regions"); it != raw.top.end() && it->second.IsSequence()) {
    for (const auto& entry : it->second) {
      if (entry.IsScalar()) {
        regions.push_back({entry.as<std::string>(), {}});
      } else if (entry.IsMap() && entry["name"]) {
        regions.push_back({entry["name"].as<std::string>(), entry["values"]});
      } else {
        raw.fail("each entry of 'regions' must be a name or a mapping with 'name'");
      }
    }
  } else if (const auto name = raw.top_value("region_name"); !name.empty()) {
    for (std::string_view rest = name; !rest.empty();) {  // comma lists are deprecated but allowed
      const auto comma = rest.find(',');
      regions.push_back({std::string(rest.substr(0, comma)), {}});
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  const auto wanted = env("OS_REGION_NAME");
  if (!wanted) {
    if (!regions.empty()) config.region_name = regions.front().name;
  } else {
    const auto it =
        std::find_if(regions.begin(), regions.end(), [&](const Region& r) { return r.name == *wanted; });
    if (!regions.empty() && it == regions.end()) {
      std::vector<std::string> names;
      for (const auto& region : regions) names.push_back(region.name);
      raw.fail(
          fmt::format("OS_REGION_NAME '{}' is not one of its regions ({}); region names are case-sensitive",
                      *wanted, fmt::join(names, ", ")));
    }
    config.region_name = *wanted;
  }
  for (const auto& region : regions) {
    if (region.name == config.region_name && region.values && region.values.IsMap()) {
      for (const auto& item : region.values) {
        const auto key = normalise_key(item.first.as<std::string>());
        if (key == "auth" && item.second.IsMap()) {
          put_all(raw.auth, item.second);
        } else {
          put(raw.top, key, item.second);
        }
      }
    }
  }
}

/// openstacksdk's _fix_backwards_project: tenant_* are project_*, and these keys live in auth.
void fix_backwards_project(Raw& raw) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> mappings = {
      {"project_id", {"tenant_id", "project_id"}},
      {"project_name", {"tenant_name", "project_name"}},
      {"token", {"auth_token", "token"}},
  };
  for (const auto& [target, aliases] : mappings) {
    std::optional<YAML::Node> winner;
    for (const auto& alias : aliases) {
      if (const auto it = raw.top.find(alias); it != raw.top.end()) {
        winner.emplace(it->second);
        raw.top.erase(it);
      }
      if (const auto it = raw.auth.find(alias); it != raw.auth.end()) {
        winner.emplace(it->second);
        raw.auth.erase(it);
      }
    }
    if (winner) put(raw.auth, target, *winner);
  }
}

std::string auth_type_of(const Raw& raw) {
  std::string type = raw.top_value("auth_type");
  if (type.empty()) type = raw.top_value("auth_plugin");  // legacy name
  if (!type.empty()) return type;
  // No auth_type: openstacksdk assumes password. A cloud that only has a token or an
  // application credential cannot mean that, so those are recognised here.
  if (raw.auth_value("password").empty()) {
    if (!raw.auth_value("application_credential_secret").empty()) return "v3applicationcredential";
    if (!raw.auth_value("token").empty()) return "token";
  }
  return "password";
}

std::string interface_of(const Raw& raw) {
  std::string interface = raw.top_value("interface");
  if (interface.empty()) interface = raw.top_value("endpoint_type");  // legacy name
  if (interface.empty()) return "public";
  if (interface.size() > 3 && interface.ends_with("URL"))
    interface.resize(interface.size() - 3);  // publicURL
  if (interface != "public" && interface != "internal" && interface != "admin") {
    raw.fail(fmt::format("interface '{}' is not one of public, internal, admin", interface));
  }
  return interface;
}

void read_transport(const Raw& raw, TransportOptions& transport) {
  transport.ca_file = expand_user(raw.top_value("cacert"));
  transport.client_cert = expand_user(raw.top_value("cert"));
  transport.client_key = expand_user(raw.top_value("key"));
  transport.verify_tls = raw.boolean("verify").value_or(true);
  if (raw.boolean("insecure").value_or(false)) transport.verify_tls = false;  // insecure wins
  if (!transport.verify_tls) transport.ca_file.clear();                       // and beats cacert
  std::string timeout = raw.top_value("api_timeout");
  if (timeout.empty()) timeout = raw.top_value("timeout");
  if (!timeout.empty()) {
    double seconds = 0;
    try {
      std::size_t used = 0;
      seconds = std::stod(timeout, &used);
      if (used != timeout.size()) throw std::invalid_argument(timeout);
    } catch (const std::exception&) {
      raw.fail(fmt::format("api_timeout '{}' is not a number of seconds", timeout));
    }
    // 0 means "no timeout" in openstacksdk; a conformance run always wants one, so it keeps ours.
    if (seconds > 0)
      transport.request_timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
}

void read_auth(const Raw& raw, CloudConfig& config) {
  config.auth_url = raw.auth_value("auth_url");
  config.username = raw.auth_value("username");
  if (config.username.empty()) config.username = raw.auth_value("user_name");
  config.user_id = raw.auth_value("user_id");
  config.password = raw.auth_value("password");
  config.user_domain_name = raw.auth_value("user_domain_name");
  config.user_domain_id = raw.auth_value("user_domain_id");
  config.project_name = raw.auth_value("project_name");
  config.project_id = raw.auth_value("project_id");
  config.project_domain_name = raw.auth_value("project_domain_name");
  config.project_domain_id = raw.auth_value("project_domain_id");
  config.domain_name = raw.auth_value("domain_name");
  config.domain_id = raw.auth_value("domain_id");
  config.application_credential_id = raw.auth_value("application_credential_id");
  config.application_credential_name = raw.auth_value("application_credential_name");
  config.application_credential_secret = raw.auth_value("application_credential_secret");
  config.token = raw.auth_value("token");

  // openstacksdk's _handle_domain_id: with a project scope, domain_id/domain_name are the
  // default for the user and project domains instead of a domain scope.
  if (!config.project_id.empty() || !config.project_name.empty()) {
    if (config.user_domain_id.empty()) config.user_domain_id = config.domain_id;
    if (config.project_domain_id.empty()) config.project_domain_id = config.domain_id;
    if (config.user_domain_name.empty()) config.user_domain_name = config.domain_name;
    if (config.project_domain_name.empty()) config.project_domain_name = config.domain_name;
    config.domain_id.clear();
    config.domain_name.clear();
  }
  // keystoneauth's default_domain_*: fills whichever domain was not given.
  const std::string default_id = raw.auth_value("default_domain_id");
  const std::string default_name = raw.auth_value("default_domain_name");
  const auto fill = [](std::string& id, const std::string& name, const std::string& fallback_id,
                       const std::string& fallback_name, std::string& name_out) {
    if (!id.empty() || !name.empty()) return;
    if (!fallback_id.empty()) {
      id = fallback_id;
    } else {
      name_out = fallback_name;
    }
  };
  fill(config.user_domain_id, config.user_domain_name, default_id, default_name, config.user_domain_name);
  fill(config.project_domain_id, config.project_domain_name, default_id, default_name,
       config.project_domain_name);
}

void validate(const Raw& raw, const CloudConfig& config) {
  if (config.auth_url.empty()) raw.fail("no auth_url (the Keystone URL) under 'auth'");
  if (config.auth_type == "password" || config.auth_type == "v3password") {
    if (config.username.empty() && config.user_id.empty())
      raw.fail("password auth needs a username or user_id");
    if (config.password.empty()) raw.fail("password auth needs a password (in clouds.yaml or secure.yaml)");
    if (config.user_id.empty() && config.user_domain_id.empty() && config.user_domain_name.empty()) {
      raw.fail("a username needs user_domain_name or user_domain_id (Keystone v3 looks users up per domain)");
    }
    if (config.project_id.empty() && !config.project_name.empty() && config.project_domain_id.empty() &&
        config.project_domain_name.empty()) {
      raw.fail("a project_name needs project_domain_name or project_domain_id");
    }
  } else if (config.auth_type == "v3applicationcredential") {
    if (config.application_credential_secret.empty()) raw.fail("application credential auth needs a secret");
    if (config.application_credential_id.empty()) {
      if (config.application_credential_name.empty()) {
        raw.fail("application credential auth needs application_credential_id, or its name and the user");
      }
      if (config.user_id.empty() && config.username.empty()) {
        raw.fail("an application credential given by name needs user_id or username");
      }
    }
  } else if (config.auth_type == "token" || config.auth_type == "v3token") {
    if (config.token.empty()) raw.fail("token auth needs a token");
  } else {
    raw.fail(fmt::format("auth_type '{}' is not supported (supported: {})", config.auth_type,
                         supported_auth_types));
  }
}

CloudConfig interpret(Raw raw) {
  CloudConfig config;
  config.name = raw.cloud;
  config.source_file = raw.file;
  apply_region(raw, config);
  fix_backwards_project(raw);
  config.auth_type = auth_type_of(raw);
  config.interface = interface_of(raw);
  read_transport(raw, config.transport);
  read_auth(raw, config);
  for (const auto& [key, value] : raw.top) {
    constexpr std::string_view suffix = "_endpoint_override";
    if (key.size() > suffix.size() && key.ends_with(suffix)) {
      std::string type = key.substr(0, key.size() - suffix.size());
      std::replace(type.begin(), type.end(), '_', '-');  // block_storage → block-storage
      if (auto url = raw.scalar(value, key)) config.endpoint_overrides[type] = *url;
    }
  }
  validate(raw, config);
  return config;
}

}  // namespace

std::vector<std::string> CloudConfig::secrets() const {
  std::vector<std::string> out;
  for (const auto* value : {&password, &application_credential_secret, &token}) {
    if (!value->empty()) out.push_back(*value);
  }
  return out;
}

namespace {
CloudConfig select_cloud(const CloudSelection& selection, const std::vector<fs::path>& config_files,
                         const std::optional<fs::path>& config_file, const YAML::Node& root,
                         const std::string& file_name);
}

CloudConfig resolve_cloud(const CloudSelection& selection) {
  std::vector<fs::path> config_files;
  std::optional<fs::path> beside;
  if (selection.config_file) {
    // An explicit file is the only clouds file; it must exist.
    const fs::path file = expand_user(*selection.config_file);
    std::error_code ignored;
    if (!fs::is_regular_file(file, ignored))
      throw ConfigError(fmt::format("{}: no such file", file.string()));
    config_files.push_back(file);
    beside = file.parent_path() / "secure.yaml";
  } else {
    config_files = candidates("clouds", "OS_CLIENT_CONFIG_FILE", std::nullopt);
  }
  const auto config_file = first_existing(config_files);
  const auto secure_file = first_existing(candidates("secure", "OS_CLIENT_SECURE_FILE", beside));

  YAML::Node document = config_file ? load_yaml(*config_file) : YAML::Node(YAML::NodeType::Map);
  if (secure_file) {
    try {
      document = merge(document, load_yaml(*secure_file));
    } catch (const YAML::Exception& error) {
      // A key that is no name (a list, a map) where the merge needs one.
      throw ConfigError(
          fmt::format("{}:{}: unexpected value: {}", secure_file->string(), error.mark.line + 1, error.msg));
    }
  }
  const std::string file_name = config_file ? config_file->string() : std::string("clouds.yaml");
  try {
    return select_cloud(selection, config_files, config_file, document, file_name);
  } catch (const YAML::Exception& error) {
    // A value of the wrong shape (a list where a name belongs, …) found while interpreting.
    throw ConfigError(fmt::format("{}:{}: unexpected value: {}", file_name, error.mark.line + 1, error.msg));
  }
}

namespace {
// `root` is const: a lookup must not add keys.
CloudConfig select_cloud(const CloudSelection& selection, const std::vector<fs::path>& config_files,
                         const std::optional<fs::path>& config_file, const YAML::Node& root,
                         const std::string& file_name) {
  const YAML::Node clouds = root["clouds"] ? root["clouds"] : YAML::Node(YAML::NodeType::Map);
  if (!clouds.IsMap())
    throw ConfigError(fmt::format("{}: 'clouds' must be a mapping of cloud names", file_name));

  const std::string envvars_name = env("OS_CLOUD_NAME").value_or("envvars");
  const auto from_env = envvars_cloud();
  if (from_env && clouds[envvars_name]) {
    throw ConfigError(
        fmt::format("{}: defines a cloud named '{}', which is also the name of the cloud from OS_* "
                    "variables; rename one of them (OS_CLOUD_NAME renames the latter)",
                    file_name, envvars_name));
  }

  std::optional<std::string> wanted = selection.cloud;
  if (!wanted) wanted = env("OS_CLOUD");
  if (!wanted && from_env) wanted = envvars_name;
  if (!wanted && clouds.size() == 1) wanted = clouds.begin()->first.as<std::string>();

  if (from_env && wanted == envvars_name) return interpret(make_raw(envvars_name, "", *from_env));

  if (!config_file) {
    std::vector<std::string> searched;
    for (const auto& file : config_files) searched.push_back(file.string());
    throw ConfigError(
        fmt::format("no cloud configured: no clouds.yaml found (searched {}) and no OS_* variables set",
                    fmt::join(searched, ", ")));
  }
  std::string available = join_keys(clouds);
  if (from_env) available += available.empty() ? envvars_name : ", " + envvars_name;
  if (!wanted) {
    throw ConfigError(fmt::format("{}: no cloud selected: pass --os-cloud or set OS_CLOUD (available: {})",
                                  file_name, available));
  }
  const YAML::Node settings = clouds[*wanted];
  if (!settings) {
    throw ConfigError(fmt::format("{}: cloud '{}' not found (available: {})", file_name, *wanted,
                                  available.empty() ? "none" : available));
  }
  return interpret(make_raw(*wanted, file_name, apply_profile(settings, *wanted, file_name)));
}

}  // namespace

}  // namespace scs
