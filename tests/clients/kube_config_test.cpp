#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "clients/kubernetes/kube_config.hpp"
#include "core/errors.hpp"
#include "tests/support/temp_env.hpp"

// Table tests of kubeconfig resolution: every rule of client-go's loading rules that we follow.
// Each case writes its files into a fresh temporary directory (paths in the table are relative
// to it) and resolves with a fixed environment, never the process's.

namespace {

namespace fs = std::filesystem;
using scs::KubeConfig;
using scs::KubeEnvironment;
using scs::KubeSelection;
using scs::test::TempDir;

constexpr const char* secret_token = "sekret-token-4711";

// base64 of "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
constexpr const char* fake_pem_base64 =
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkFBQUEKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";
constexpr const char* fake_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

/// A kubeconfig with one cluster, one user and one context named `name`.
std::string kubeconfig(const std::string& name, const std::string& cluster_fields,
                       const std::string& user_fields, const std::string& current = "",
                       const std::string& context_extra = "") {
  std::string text = "apiVersion: v1\nkind: Config\n";
  if (!current.empty()) text += "current-context: " + current + "\n";
  text += "clusters:\n- name: " + name + "\n  cluster:\n" + cluster_fields;
  text += "users:\n- name: " + name + "\n  user:\n" + user_fields;
  text += "contexts:\n- name: " + name + "\n  context:\n    cluster: " + name + "\n    user: " + name + "\n" +
          context_extra;
  return text;
}

std::string server(const std::string& url) { return "    server: " + url + "\n"; }
std::string token(const std::string& value = secret_token) { return "    token: " + value + "\n"; }

struct Case {
  std::string rule;
  std::map<std::string, std::string> files;   // relative path → content
  std::optional<std::string> kubeconfig;      // --kubeconfig, relative
  std::optional<std::string> context;         // --context
  std::optional<std::string> kubeconfig_env;  // KUBECONFIG, relative entries joined by ':'
  bool home = false;                          // HOME = <dir>/home
  bool service = false;                       // KUBERNETES_SERVICE_HOST/PORT set, SA dir = <dir>/sa
  std::function<void(const KubeConfig&, const TempDir&)> expect;
  std::string error;  // fragment of the ConfigError, when the case must fail
};

KubeConfig resolve(const Case& test, const TempDir& dir) {
  for (const auto& [path, text] : test.files) dir.write(path, text);
  KubeSelection selection;
  if (test.kubeconfig) selection.kubeconfig = (dir / *test.kubeconfig).string();
  selection.context = test.context;
  KubeEnvironment environment;
  if (test.kubeconfig_env) {
    std::string list;
    std::stringstream entries(*test.kubeconfig_env);
    std::string entry;
    while (std::getline(entries, entry, ':')) list += (list.empty() ? "" : ":") + (dir / entry).string();
    environment.kubeconfig_list = list;
  }
  if (test.home) environment.home = (dir / "home").string();
  if (test.service) {
    environment.service_host = "10.96.0.1";
    environment.service_port = "6443";
  }
  environment.service_account_dir = (dir / "sa").string();
  return scs::resolve_kubeconfig(selection, environment);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"--kubeconfig names the one file; current-context picks the context",
       {{"a.yaml", kubeconfig("prod", server("https://api.example:6443/"), token(), "prod",
                              "    namespace: team-a\n")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       [](const KubeConfig& config, const TempDir& dir) {
         CHECK(config.context == "prod");
         CHECK(config.server == "https://api.example:6443");  // no trailing slash
         CHECK(config.token == secret_token);
         CHECK(config.namespace_name == "team-a");
         CHECK(config.source_file == (dir / "a.yaml").string());
         CHECK(config.transport.verify_tls);
       },
       ""},
      {"--kubeconfig wins over KUBECONFIG",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"), token(), "a")},
        {"b.yaml", kubeconfig("b", server("https://b:6443"), token(), "b")}},
       "a.yaml",
       {},
       "b.yaml",
       false,
       false,
       [](const KubeConfig& config, const TempDir&) { CHECK(config.server == "https://a:6443"); },
       ""},
      {"--kubeconfig naming a missing file is an error naming it",
       {},
       "missing.yaml",
       {},
       {},
       false,
       false,
       {},
       "missing.yaml: the kubeconfig file does not exist"},
      {"KUBECONFIG merges: the first file to define a name wins, current-context from the first that sets it",
       {{"1.yaml", kubeconfig("shared", server("https://first:6443"), token("first-token"))},
        {"2.yaml", kubeconfig("shared", server("https://second:6443"), token("second-token"), "shared")}},
       {},
       {},
       "1.yaml:2.yaml",
       false,
       false,
       [](const KubeConfig& config, const TempDir& dir) {
         CHECK(config.server == "https://first:6443");
         CHECK(config.token == "first-token");
         CHECK(config.source_file == (dir / "1.yaml").string());
       },
       ""},
      {"KUBECONFIG: missing files in the list are skipped",
       {{"2.yaml", kubeconfig("b", server("https://b:6443"), token(), "b")}},
       {},
       {},
       "gone.yaml:2.yaml",
       false,
       false,
       [](const KubeConfig& config, const TempDir&) { CHECK(config.server == "https://b:6443"); },
       ""},
      {"KUBECONFIG: names spread over files combine",
       {{"clusters.yaml", "clusters:\n- name: c\n  cluster:\n    server: https://c:6443\n"},
        {"rest.yaml",
         "current-context: x\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  "
         "context:\n    cluster: c\n    user: u\n"}},
       {},
       {},
       "rest.yaml:clusters.yaml",
       false,
       false,
       [](const KubeConfig& config, const TempDir&) {
         CHECK(config.server == "https://c:6443");
         CHECK(config.user_name == "u");
         CHECK(config.source_file.ends_with("rest.yaml"));
       },
       ""},
      {"KUBECONFIG with no existing file is an error",
       {},
       {},
       {},
       "none.yaml",
       false,
       false,
       {},
       "none of the kubeconfig files in KUBECONFIG"},
      {"~/.kube/config when neither --kubeconfig nor KUBECONFIG is given",
       {{"home/.kube/config", kubeconfig("home", server("https://home:6443"), token(), "home")}},
       {},
       {},
       {},
       true,
       false,
       [](const KubeConfig& config, const TempDir&) { CHECK(config.context == "home"); },
       ""},
      {"--context wins over current-context",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"), token(), "a") +
                       "- name: other\n  context:\n    cluster: a\n    user: a\n    namespace: other-ns\n"}},
       "a.yaml",
       "other",
       {},
       false,
       false,
       [](const KubeConfig& config, const TempDir&) {
         CHECK(config.context == "other");
         CHECK(config.namespace_name == "other-ns");
       },
       ""},
      {"an unknown --context is an error listing the contexts",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"), token(), "a")}},
       "a.yaml",
       "nope",
       {},
       false,
       false,
       {},
       "context 'nope' not found (contexts: a)"},
      {"an unknown current-context is an error pointing at its line",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"), token(), "ghost")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "a.yaml:3: context 'ghost' not found"},
      {"no current-context and no --context is an error",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"), token())}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "no current-context is set; choose one with --context (contexts: a)"},
      {"a context naming an undefined cluster is an error with file and line",
       {{"a.yaml",
         "current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: nowhere\n    user: u\n"}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "a.yaml:5: context 'x': cluster 'nowhere' is not defined"},
      {"a context naming an undefined user is an error",
       {{"a.yaml",
         "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://c\ncontexts:\n- name: "
         "x\n  context:\n    cluster: c\n    user: who\n"}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "context 'x': user 'who' is not defined"},
      {"a cluster without server is an error",
       {{"a.yaml", kubeconfig("a", "    insecure-skip-tls-verify: true\n", token(), "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "cluster 'a': no server given"},
      {"malformed YAML is an error with file and line",
       {{"a.yaml", "clusters:\n- name: a\n  cluster: {server: [\n"}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "a.yaml:4: malformed YAML"},
      {"relative certificate, key, CA and token files are resolved against the kubeconfig's directory",
       {{"conf/a.yaml", kubeconfig("a", server("https://a:6443") + "    certificate-authority: pki/ca.crt\n",
                                   "    client-certificate: pki/client.crt\n    client-key: pki/client.key\n"
                                   "    tokenFile: ../token\n",
                                   "a")},
        {"conf/pki/ca.crt", fake_pem},
        {"conf/pki/client.crt", fake_pem},
        {"conf/pki/client.key", "key"},
        {"token", "t"}},
       {},
       {},
       "conf/a.yaml",
       false,
       false,
       [](const KubeConfig& config, const TempDir& dir) {
         CHECK(config.transport.ca_file == (dir / "conf/pki/ca.crt").string());
         CHECK(config.transport.client_cert == (dir / "conf/pki/client.crt").string());
         CHECK(config.transport.client_key == (dir / "conf/pki/client.key").string());
         CHECK(config.token_file == (dir / "token").string());
       },
       ""},
      {"a certificate file that cannot be read is an error naming it",
       {{"a.yaml",
         kubeconfig("a", server("https://a:6443") + "    certificate-authority: ca.crt\n", token(), "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "a.yaml:8: cluster 'a': certificate-authority"},
      {"*-data fields are base64 and decoded",
       {{"a.yaml", kubeconfig("a",
                              server("https://a:6443") + "    certificate-authority-data: " +
                                  fake_pem_base64 + "\n" + "    tls-server-name: kube.internal\n",
                              std::string("    client-certificate-data: ") + fake_pem_base64 +
                                  "\n    client-key-data: " + fake_pem_base64 + "\n",
                              "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       [](const KubeConfig& config, const TempDir&) {
         CHECK(config.ca_data == fake_pem);
         CHECK(config.client_cert_data == fake_pem);
         CHECK(config.client_key_data == fake_pem);
         CHECK(config.tls_server_name == "kube.internal");
         CHECK(config.secrets() == std::vector<std::string>{fake_pem});
       },
       ""},
      {"invalid base64 is an error with the line, never the value",
       {{"a.yaml",
         kubeconfig("a", server("https://a:6443") + "    certificate-authority-data: 'not*base64'\n", token(),
                    "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "a.yaml:8: cluster 'a': 'certificate-authority-data' is not valid base64"},
      {"a file and data for the same certificate is an error",
       {{"a.yaml", kubeconfig("a",
                              server("https://a:6443") + "    certificate-authority: ca.crt\n" +
                                  "    certificate-authority-data: " + fake_pem_base64 + "\n",
                              token(), "a")},
        {"ca.crt", fake_pem}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "certificate-authority and certificate-authority-data are both given"},
      {"insecure-skip-tls-verify turns verification off",
       {{"a.yaml",
         kubeconfig("a", server("https://a:6443") + "    insecure-skip-tls-verify: true\n", token(), "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       [](const KubeConfig& config, const TempDir&) { CHECK_FALSE(config.transport.verify_tls); },
       ""},
      {"insecure-skip-tls-verify with a CA is an error",
       {{"a.yaml", kubeconfig("a",
                              server("https://a:6443") + "    insecure-skip-tls-verify: true\n" +
                                  "    certificate-authority-data: " + fake_pem_base64 + "\n",
                              token(), "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "insecure-skip-tls-verify cannot be combined with a certificate authority"},
      {"a certificate without key is an error",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"),
                              std::string("    client-certificate-data: ") + fake_pem_base64 + "\n", "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "a client certificate needs its key"},
      {"token plus basic auth is an error (more than one method)",
       {{"a.yaml",
         kubeconfig("a", server("https://a:6443"), token() + "    username: u\n    password: p\n", "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "more than one authentication method"},
      {"auth-provider is refused with a hint",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"), "    auth-provider:\n      name: oidc\n", "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "auth-provider is not supported"},
      {"exec: a command with a '/' is relative to the kubeconfig, env and args are kept",
       {{"conf/a.yaml",
         kubeconfig(
             "a", server("https://a:6443"),
             "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: bin/get-token\n"
             "      args: [--cluster, a]\n      env:\n      - name: REGION\n        value: eu\n"
             "      interactiveMode: Never\n      provideClusterInfo: true\n",
             "a")}},
       "conf/a.yaml",
       {},
       {},
       false,
       false,
       [](const KubeConfig& config, const TempDir& dir) {
         REQUIRE(config.exec);
         CHECK(config.exec->command == (dir / "conf/bin/get-token").string());
         CHECK(config.exec->args == std::vector<std::string>{"--cluster", "a"});
         CHECK(config.exec->env == std::vector<std::pair<std::string, std::string>>{{"REGION", "eu"}});
         CHECK(config.exec->provide_cluster_info);
         CHECK(config.exec->interactive_mode == "Never");
       },
       ""},
      {"exec: a bare command name is left for PATH; v1beta1 needs no interactiveMode",
       {{"a.yaml", kubeconfig("a", server("https://a:6443"),
                              "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                              "      command: kubelogin\n",
                              "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       [](const KubeConfig& config, const TempDir&) { CHECK(config.exec->command == "kubelogin"); },
       ""},
      {"exec v1 without interactiveMode is an error",
       {{"a.yaml",
         kubeconfig("a", server("https://a:6443"),
                    "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: x\n",
                    "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "interactiveMode must be given"},
      {"exec with an unknown apiVersion is an error",
       {{"a.yaml",
         kubeconfig("a", server("https://a:6443"),
                    "    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: x\n",
                    "a")}},
       "a.yaml",
       {},
       {},
       false,
       false,
       {},
       "exec apiVersion 'client.authentication.k8s.io/v1alpha1' is not supported"},
      {"in-cluster: no kubeconfig, KUBERNETES_SERVICE_HOST set, service-account files",
       {{"sa/token", "sa-token\n"}, {"sa/ca.crt", fake_pem}, {"sa/namespace", "monitoring\n"}},
       {},
       {},
       {},
       false,
       true,
       [](const KubeConfig& config, const TempDir& dir) {
         CHECK(config.context == "in-cluster");
         CHECK(config.server == "https://10.96.0.1:6443");
         CHECK(config.token_file == (dir / "sa/token").string());
         CHECK(config.transport.ca_file == (dir / "sa/ca.crt").string());
         CHECK(config.namespace_name == "monitoring");
       },
       ""},
      {"a kubeconfig file wins over in-cluster",
       {{"home/.kube/config", kubeconfig("home", server("https://home:6443"), token(), "home")},
        {"sa/token", "t"}},
       {},
       {},
       {},
       true,
       true,
       [](const KubeConfig& config, const TempDir&) { CHECK(config.context == "home"); },
       ""},
      {"in-cluster without a mounted token is an error",
       {},
       {},
       {},
       {},
       false,
       true,
       {},
       "service-account token"},
      {"nothing at all is an error saying what to give",
       {},
       {},
       {},
       {},
       true,
       false,
       {},
       "no kubeconfig: give --kubeconfig, set KUBECONFIG or create ~/.kube/config"},
  };
  return table;
}

}  // namespace

TEST_CASE("kubeconfig resolution follows client-go's rules") {
  for (const auto& test : cases()) {
    DYNAMIC_SECTION(test.rule) {
      const TempDir dir("scs-kubeconfig");
      if (test.error.empty()) {
        const auto config = resolve(test, dir);
        test.expect(config, dir);
      } else {
        try {
          resolve(test, dir);
          FAIL("no error, expected: " << test.error);
        } catch (const scs::ConfigError& error) {
          const std::string message = error.what();
          INFO(message);
          CHECK(message.find(test.error) != std::string::npos);
          CHECK(message.find(secret_token) == std::string::npos);
          CHECK(message.find('\n') == std::string::npos);
        }
      }
    }
  }
}
