#include <catch2/catch.hpp>

#include <filesystem>

#include "clients/openstack/cloud_config.hpp"
#include "core/errors.hpp"
#include "tests/support/temp_env.hpp"

namespace {

namespace fs = std::filesystem;
using scs::CloudSelection;
using scs::resolve_cloud;

constexpr const char* canary = "canary-password-123";

/// A sandbox for one test: empty temp dirs as HOME, XDG dirs and working directory, every OS_*
/// variable removed. Everything is restored afterwards.
class Sandbox {
 public:
  Sandbox() : old_cwd_(fs::current_path()) {
    fs::create_directories(root() / "home");
    fs::create_directories(root() / "work");
    env_.unset_prefixed("OS_");
    for (const char* name : {"HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS"}) env_.unset(name);
    set("HOME", (root() / "home").string());
    set("XDG_CONFIG_DIRS", (root() / "xdg-dirs").string());
    fs::current_path(root() / "work");
  }
  ~Sandbox() {
    std::error_code ignored;
    fs::current_path(old_cwd_, ignored);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  void set(const char* name, const std::string& value) { env_.set(name, value); }
  fs::path write(const fs::path& relative, const std::string& text) const {
    return dir_.write(relative, text);
  }
  [[nodiscard]] const fs::path& root() const { return dir_.path(); }

 private:
  scs::test::TempDir dir_{"scs-clouds"};
  scs::test::ScopedEnv env_;
  fs::path old_cwd_;
};

const std::string two_clouds = R"(clouds:
  alpha:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: alice
      password: canary-password-123
      user_domain_name: Default
      project_name: proj
      project_domain_id: default
    region_name: RegionOne
    interface: internal
    verify: false
    cacert: /etc/ssl/ca.pem
    api_timeout: 12.5
    compute_endpoint_override: https://nova.example.com/v2.1/%(project_id)s
    block_storage_endpoint_override: https://cinder.example.com/v3
  beta:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example.com/v3
      application_credential_id: ac-id
      application_credential_secret: canary-password-123
    cacert: ~/ca.pem
)";

CloudSelection named(std::string cloud) {
  CloudSelection selection;
  selection.cloud = std::move(cloud);
  return selection;
}

CloudSelection from_file(std::string file) {
  CloudSelection selection;
  selection.config_file = std::move(file);
  return selection;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const scs::ConfigError& error) {
    return error.what();
  }
  return "(no ConfigError)";
}

}  // namespace

TEST_CASE("OS_CLIENT_CONFIG_FILE and --os-cloud pick a cloud, every setting is read") {
  Sandbox sandbox;
  const auto file = sandbox.write("elsewhere/my-clouds.yaml", two_clouds);
  sandbox.set("OS_CLIENT_CONFIG_FILE", file.string());
  const auto cloud = resolve_cloud(named("alpha"));
  CHECK(cloud.name == "alpha");
  CHECK(cloud.source_file == file.string());
  CHECK(cloud.auth_type == "password");
  CHECK(cloud.auth_url == "https://keystone.example.com:5000/v3");
  CHECK(cloud.username == "alice");
  CHECK(cloud.password == canary);
  CHECK(cloud.user_domain_name == "Default");
  CHECK(cloud.project_name == "proj");
  CHECK(cloud.project_domain_id == "default");
  CHECK(cloud.region_name == "RegionOne");
  CHECK(cloud.interface == "internal");
  CHECK_FALSE(cloud.transport.verify_tls);
  CHECK(cloud.transport.ca_file.empty());  // verify: false beats cacert, as in openstacksdk
  CHECK(cloud.transport.request_timeout == std::chrono::milliseconds(12'500));
  CHECK(cloud.endpoint_overrides.at("compute") == "https://nova.example.com/v2.1/%(project_id)s");
  CHECK(cloud.endpoint_overrides.at("block-storage") == "https://cinder.example.com/v3");
  CHECK(cloud.secrets() == std::vector<std::string>{canary});

  const auto beta = resolve_cloud(named("beta"));
  CHECK(beta.auth_type == "v3applicationcredential");
  CHECK(beta.application_credential_id == "ac-id");
  CHECK(beta.transport.verify_tls);
  CHECK(beta.transport.ca_file == (sandbox.root() / "home" / "ca.pem").string());
  CHECK(beta.interface == "public");
}

TEST_CASE("the search path: ./clouds.yaml, then the user config dir, then /etc") {
  Sandbox sandbox;
  sandbox.write("home/.config/openstack/clouds.yaml",
                "clouds: {home: {auth: {auth_url: h, username: u, "
                "password: p, user_domain_id: d}}}\n");
  CHECK(resolve_cloud({}).name == "home");  // the only cloud is the default
  sandbox.write("xdg/openstack/clouds.yml",
                "clouds: {xdg: {auth: {auth_url: h, username: u, password: p, "
                "user_domain_id: d}}}\n");
  sandbox.set("XDG_CONFIG_HOME", (sandbox.root() / "xdg").string());
  CHECK(resolve_cloud({}).name == "xdg");
  sandbox.write("work/clouds.yaml",
                "clouds: {cwd: {auth: {auth_url: h, username: u, password: p, "
                "user_domain_id: d}}}\n");
  CHECK(resolve_cloud({}).name == "cwd");
  const auto explicit_file = sandbox.write("x/c.yaml",
                                           "clouds: {given: {auth: {auth_url: h, username: u, "
                                           "password: p, user_domain_id: d}}}\n");
  CHECK(resolve_cloud(from_file(explicit_file.string())).name == "given");
  CHECK(message_of([&] { resolve_cloud(from_file((sandbox.root() / "nope.yaml").string())); }) ==
        (sandbox.root() / "nope.yaml").string() + ": no such file");
}

TEST_CASE("secure.yaml is merged over clouds.yaml, key by key") {
  Sandbox sandbox;
  sandbox.write("work/clouds.yaml", R"(clouds:
  prod:
    auth: {auth_url: https://k/v3, username: bob, user_domain_name: Default, project_name: p,
           project_domain_name: Default}
    region_name: RegionOne
)");
  sandbox.write("home/.config/openstack/secure.yaml",
                "clouds:\n  prod:\n    auth:\n      password: s3cret\n"
                "    region_name: RegionTwo\n");
  const auto cloud = resolve_cloud(named("prod"));
  CHECK(cloud.username == "bob");
  CHECK(cloud.password == "s3cret");
  CHECK(cloud.region_name == "RegionTwo");

  const auto other_secure =
      sandbox.write("s/other.yaml", "clouds: {prod: {auth: {password: from-env-file}}}\n");
  sandbox.set("OS_CLIENT_SECURE_FILE", other_secure.string());
  CHECK(resolve_cloud(named("prod")).password == "from-env-file");
}

// Found by fuzzing (tests/fuzz/cloud_config.cpp, in the 10-minute run): a secure.yaml whose key
// is a map escaped as yaml-cpp's TypedBadConversion while merging, before any cloud was read.
TEST_CASE("a secure.yaml key that is not a name is an error naming secure.yaml") {
  Sandbox sandbox;
  sandbox.write("work/clouds.yaml", "clouds:\n  prod:\n    auth: {auth_url: https://k/v3}\n");
  const auto secure =
      sandbox.write("home/.config/openstack/secure.yaml", "clouds:\n  prod:\n    ? {a: b}\n    : x\n");
  CHECK_THROWS_AS(resolve_cloud(named("prod")), scs::ConfigError);
  CHECK_THAT(message_of([] { resolve_cloud(named("prod")); }),
             Catch::StartsWith(secure.string() + ":3: unexpected value"));
}

TEST_CASE("OS_CLOUD selects, without it several clouds need a choice") {
  Sandbox sandbox;
  const auto file = sandbox.write("work/clouds.yaml", two_clouds);
  CHECK(message_of([] { resolve_cloud({}); }) ==
        file.string() + ": no cloud selected: pass --os-cloud or set OS_CLOUD (available: alpha, beta)");
  sandbox.set("OS_CLOUD", "beta");
  CHECK(resolve_cloud({}).name == "beta");
  CHECK(resolve_cloud(named("alpha")).name == "alpha");  // --os-cloud beats OS_CLOUD
}

TEST_CASE("a cloud that is not there is named, with the ones that are") {
  Sandbox sandbox;
  const auto file = sandbox.write("work/clouds.yaml", two_clouds);
  CHECK(message_of([] { resolve_cloud(named("foo")); }) ==
        file.string() + ": cloud 'foo' not found (available: alpha, beta)");
}

TEST_CASE("no clouds.yaml and no OS_* variables") {
  Sandbox sandbox;
  CHECK_THAT(message_of([] { resolve_cloud({}); }),
             Catch::StartsWith("no cloud configured: no clouds.yaml found"));
}

TEST_CASE("malformed YAML names the file and line") {
  Sandbox sandbox;
  const auto file = sandbox.write("work/clouds.yaml", "clouds:\n  a:\n    auth: {auth_url: x\n    b: [\n");
  const auto message = message_of([] { resolve_cloud(named("a")); });
  CHECK_THAT(message, Catch::StartsWith(file.string() + ":"));
  CHECK_THAT(message, Catch::Contains(": malformed YAML: "));
  const auto line = std::stoi(message.substr(file.string().size() + 1));
  CHECK(line >= 3);
  CHECK(line <= 5);

  sandbox.write("work/clouds.yaml", "clouds: [a, b]\n");
  CHECK(message_of([] { resolve_cloud({}); }) ==
        file.string() + ": 'clouds' must be a mapping of cloud names");
}

TEST_CASE("the envvars cloud is built from OS_* variables") {
  Sandbox sandbox;
  sandbox.set("OS_AUTH_URL", "https://k:5000/v3");
  sandbox.set("OS_USERNAME", "carol");
  sandbox.set("OS_PASSWORD", canary);
  sandbox.set("OS_PROJECT_NAME", "cproj");
  sandbox.set("OS_USER_DOMAIN_NAME", "Default");
  sandbox.set("OS_PROJECT_DOMAIN_ID", "default");
  sandbox.set("OS_REGION_NAME", "RegionX");
  sandbox.set("OS_INTERFACE", "internal");
  sandbox.set("OS_CACERT", "/ca.pem");
  sandbox.set("OS_COMPUTE_ENDPOINT_OVERRIDE", "https://nova/v2.1");
  const auto cloud = resolve_cloud({});
  CHECK(cloud.name == "envvars");
  CHECK(cloud.source_file.empty());
  CHECK(cloud.auth_url == "https://k:5000/v3");
  CHECK(cloud.username == "carol");
  CHECK(cloud.password == canary);
  CHECK(cloud.project_name == "cproj");
  CHECK(cloud.user_domain_name == "Default");
  CHECK(cloud.project_domain_id == "default");
  CHECK(cloud.region_name == "RegionX");
  CHECK(cloud.interface == "internal");
  CHECK(cloud.transport.ca_file == "/ca.pem");
  CHECK(cloud.endpoint_overrides.at("compute") == "https://nova/v2.1");

  sandbox.set("OS_INSECURE", "true");
  CHECK_FALSE(resolve_cloud({}).transport.verify_tls);

  sandbox.set("OS_CLOUD_NAME", "from-env");
  CHECK(resolve_cloud({}).name == "from-env");
  CHECK(resolve_cloud(named("from-env")).username == "carol");
}

TEST_CASE("the envvars cloud: application credentials and tokens, and selectors alone make no cloud") {
  Sandbox sandbox;
  sandbox.set("OS_AUTH_TYPE", "v3applicationcredential");
  sandbox.set("OS_AUTH_URL", "https://k/v3");
  sandbox.set("OS_APPLICATION_CREDENTIAL_NAME", "ci");
  sandbox.set("OS_USER_ID", "uid");
  sandbox.set("OS_APPLICATION_CREDENTIAL_SECRET", canary);
  auto cloud = resolve_cloud({});
  CHECK(cloud.auth_type == "v3applicationcredential");
  CHECK(cloud.application_credential_name == "ci");
  CHECK(cloud.user_id == "uid");
  CHECK(cloud.application_credential_secret == canary);

  Sandbox tokens;
  tokens.set("OS_AUTH_URL", "https://k/v3");
  tokens.set("OS_TOKEN", "tok");
  tokens.set("OS_PROJECT_ID", "pid");
  cloud = resolve_cloud({});
  CHECK(cloud.auth_type == "token");  // inferred: a token and no password
  CHECK(cloud.token == "tok");
  CHECK(cloud.project_id == "pid");

  Sandbox selectors;
  selectors.set("OS_REGION_NAME", "r");
  selectors.set("OS_CLOUD", "nothing");
  CHECK_THAT(message_of([] { resolve_cloud({}); }), Catch::StartsWith("no cloud configured"));
}

TEST_CASE("a file cloud with the envvars cloud's name is an error") {
  Sandbox sandbox;
  sandbox.write("work/clouds.yaml", "clouds: {envvars: {auth: {auth_url: h}}}\n");
  sandbox.set("OS_AUTH_URL", "https://k/v3");
  CHECK_THAT(message_of([] { resolve_cloud({}); }), Catch::Contains("defines a cloud named 'envvars'"));
}

TEST_CASE("legacy spellings: tenant_name, top-level auth keys, auth_plugin, endpoint_type, insecure") {
  Sandbox sandbox;
  sandbox.write("work/clouds.yaml", R"(clouds:
  old:
    auth_plugin: v3password
    auth_url: https://k/v3
    username: dave
    password: pw
    tenant_name: tproj
    user-domain-name: Default
    project_domain_name: Default
    endpoint_type: internalURL
    insecure: true
    cacert: /ca.pem
)");
  const auto cloud = resolve_cloud({});
  CHECK(cloud.auth_type == "v3password");
  CHECK(cloud.auth_url == "https://k/v3");
  CHECK(cloud.username == "dave");
  CHECK(cloud.project_name == "tproj");
  CHECK(cloud.user_domain_name == "Default");
  CHECK(cloud.interface == "internal");
  CHECK_FALSE(cloud.transport.verify_tls);
  CHECK(cloud.transport.ca_file.empty());
}

TEST_CASE("values under auth beat top-level ones, domain_name fills user and project domains") {
  Sandbox sandbox;
  sandbox.write("work/clouds.yaml", R"(clouds:
  c:
    username: top
    auth:
      auth_url: https://k
      username: inner
      password: pw
      project_name: p
      domain_name: Shared
)");
  const auto cloud = resolve_cloud({});
  CHECK(cloud.username == "inner");
  CHECK(cloud.user_domain_name == "Shared");
  CHECK(cloud.project_domain_name == "Shared");
  CHECK(cloud.domain_name.empty());  // not a domain scope
}

TEST_CASE("regions: the list form, per-region values, OS_REGION_NAME, and a wrong region") {
  Sandbox sandbox;
  sandbox.write("work/clouds.yaml", R"(clouds:
  multi:
    auth: {auth_url: https://k/v3, username: u, password: p, user_domain_id: default}
    regions:
      - name: north
      - name: south
        values:
          interface: internal
)");
  auto cloud = resolve_cloud({});
  CHECK(cloud.region_name == "north");
  CHECK(cloud.interface == "public");
  sandbox.set("OS_REGION_NAME", "south");
  cloud = resolve_cloud({});
  CHECK(cloud.region_name == "south");
  CHECK(cloud.interface == "internal");
  sandbox.set("OS_REGION_NAME", "North");
  CHECK_THAT(message_of([] { resolve_cloud({}); }),
             Catch::Contains("OS_REGION_NAME 'North' is not one of its regions (north, south)"));
}

TEST_CASE("unsupported or incomplete auth settings are clear errors without the secret") {
  Sandbox sandbox;
  const auto file = sandbox.write("work/clouds.yaml", R"(clouds:
  oidc:
    auth_type: v3oidcpassword
    auth: {auth_url: https://k/v3, username: u, password: canary-password-123}
  nopw:
    auth: {auth_url: https://k/v3, username: u, user_domain_name: Default}
  nodomain:
    auth: {auth_url: https://k/v3, username: u, password: canary-password-123}
  nourl:
    auth: {username: u, password: canary-password-123, user_domain_name: Default}
  badverify:
    verify: perhaps
    auth: {auth_url: https://k/v3, username: u, password: canary-password-123, user_domain_name: Default}
  badtimeout:
    api_timeout: soon
    auth: {auth_url: https://k/v3, username: u, password: canary-password-123, user_domain_name: Default}
  badinterface:
    interface: external
    auth: {auth_url: https://k/v3, username: u, password: canary-password-123, user_domain_name: Default}
)");
  const std::string prefix = file.string() + ": cloud ";
  CHECK(message_of([] { resolve_cloud(named("oidc")); }) ==
        prefix +
            "'oidc': auth_type 'v3oidcpassword' is not supported (supported: password, v3password, "
            "v3applicationcredential, token, v3token)");
  CHECK(message_of([] { resolve_cloud(named("nopw")); }) ==
        prefix + "'nopw': password auth needs a password (in clouds.yaml or secure.yaml)");
  CHECK_THAT(message_of([] { resolve_cloud(named("nodomain")); }), Catch::Contains("user_domain_name"));
  CHECK_THAT(message_of([] { resolve_cloud(named("nourl")); }), Catch::Contains("no auth_url"));
  CHECK_THAT(message_of([] { resolve_cloud(named("badverify")); }),
             Catch::Contains("'verify' must be true or false, not 'perhaps'"));
  CHECK_THAT(message_of([] { resolve_cloud(named("badtimeout")); }), Catch::Contains("api_timeout 'soon'"));
  CHECK_THAT(message_of([] { resolve_cloud(named("badinterface")); }),
             Catch::Contains("interface 'external'"));
  for (const char* name : {"oidc", "nopw", "nodomain", "nourl", "badverify", "badtimeout", "badinterface"}) {
    INFO(name);
    CHECK_THAT(message_of([name] { resolve_cloud(named(name)); }), !Catch::Contains("canary"));
  }
}

TEST_CASE("vendor profiles come from clouds-public.yaml") {
  Sandbox sandbox;
  sandbox.write("work/clouds-public.yaml", R"(public-clouds:
  vendor:
    auth: {auth_url: https://vendor.example.com:5000}
    region_name: VR1
    interface: public
)");
  sandbox.write("work/clouds.yaml", R"(clouds:
  mine:
    profile: vendor
    auth: {username: u, password: p, user_domain_name: Default, project_name: x, project_domain_name: Default}
  other:
    profile: nowhere
    auth: {auth_url: h, username: u, password: p, user_domain_name: Default}
)");
  const auto cloud = resolve_cloud(named("mine"));
  CHECK(cloud.auth_url == "https://vendor.example.com:5000");
  CHECK(cloud.region_name == "VR1");
  CHECK(cloud.username == "u");
  CHECK_THAT(message_of([] { resolve_cloud(named("other")); }),
             Catch::Contains("profile 'nowhere' not found"));
}
