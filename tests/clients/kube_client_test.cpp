#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "clients/http/curl_transport.hpp"
#include "clients/kubernetes/exec_credential.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "core/errors.hpp"
#include "tests/support/fake_kube_api.hpp"
#include "tests/support/temp_env.hpp"

// The Kubernetes client end to end: kubeconfig → TLS and credentials → the fake API server.

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using scs::test::base64;
using scs::test::FakeKubeApi;
using scs::test::TempDir;

/// A kubeconfig for the fake API with the given cluster and user fields.
std::string kubeconfig(const std::string& server, const std::string& cluster_fields,
                       const std::string& user_fields) {
  return "apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n- name: fake\n  cluster:\n    "
         "server: " +
         server + "\n" + cluster_fields + "users:\n- name: tester\n  user:\n" + user_fields +
         "contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: tester\n";
}

std::string ca_data(const FakeKubeApi& api) {
  return "    certificate-authority-data: " + base64(api.pki().ca_pem) + "\n";
}

/// A connected client, as run_command builds it.
struct Session {
  scs::KubeConfig config;
  std::shared_ptr<scs::ExecCredentialSource> exec;
  std::unique_ptr<scs::Transport> transport;
  std::unique_ptr<scs::Kubernetes> client;

  explicit Session(const std::string& file, std::vector<std::string>* plugin_stderr = nullptr) {
    scs::KubeSelection selection;
    selection.kubeconfig = file;
    config = scs::resolve_kubeconfig(selection, {});
    if (config.exec) {
      scs::ExecCredentialSource::StderrSink sink;
      if (plugin_stderr != nullptr)
        sink = [plugin_stderr](std::string_view text) { plugin_stderr->emplace_back(text); };
      exec = std::make_shared<scs::ExecCredentialSource>(*config.exec, config, nullptr, sink);
    }
    scs::TransportOptions options;
    options.max_retries = 0;
    options.connect_timeout = 2000ms;
    options.request_timeout = 3000ms;
    transport = scs::make_kube_transport(config, exec, options);
    client = std::make_unique<scs::Kubernetes>(config, *transport, exec);
  }
};

/// An exec plugin: a shell script answering with answer-<n>.json on its n-th run (or
/// answer.json), saving KUBERNETES_EXEC_INFO and writing stderr.txt to its stderr.
struct Plugin {
  const TempDir& dir;
  std::string path;

  explicit Plugin(const TempDir& temp) : dir(temp) {
    const auto root = dir.path().string();
    path = dir.write("plugin.sh",
                     "#!/bin/sh\n"
                     "d='" +
                         root +
                         "'\n"
                         "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$d/info.json\"\n"
                         "n=$(cat \"$d/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$d/count\"\n"
                         "[ -f \"$d/stderr.txt\" ] && cat \"$d/stderr.txt\" >&2\n"
                         "[ -f \"$d/exit\" ] && exit $(cat \"$d/exit\")\n"
                         "if [ -f \"$d/answer-$n.json\" ]; then cat \"$d/answer-$n.json\"; "
                         "else cat \"$d/answer.json\"; fi\n");
    ::chmod(path.c_str(), 0755);
  }
  void answer(const json& status, const std::string& file = "answer.json",
              const std::string& version = "client.authentication.k8s.io/v1") const {
    (void)dir.write(file,
                    json{{"apiVersion", version}, {"kind", "ExecCredential"}, {"status", status}}.dump());
  }
  [[nodiscard]] std::string user(bool provide_cluster_info = false,
                                 const std::string& version = "client.authentication.k8s.io/v1") const {
    return "    exec:\n      apiVersion: " + version + "\n      command: " + path +
           "\n      interactiveMode: Never\n      provideClusterInfo: " +
           (provide_cluster_info ? "true" : "false") +
           "\n      env:\n      - name: PLUGIN_MODE\n        value: test\n";
  }
};

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return {};
}

}  // namespace

TEST_CASE("kube client: bearer token, a wrong token is a clear ConfigError without the token") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  Session good(dir.write("good.yaml", kubeconfig(api.server(), ca_data(api), "    token: good-token\n")));
  good.client->preflight();
  CHECK(good.client->version()["gitVersion"] == "v1.35.3");
  CHECK(good.client->nodes().size() == 6);
  CHECK(api.requests().back().auth == "token");

  Session wrong(
      dir.write("wrong.yaml", kubeconfig(api.server(), ca_data(api), "    token: wrong-secret-token\n")));
  try {
    wrong.client->preflight();
    FAIL("a wrong token was accepted");
  } catch (const scs::ConfigError& error) {
    const std::string message = error.what();
    CHECK(message.find("the credentials of user 'tester' in context 'fake' were not accepted") !=
          std::string::npos);
    CHECK(message.find("HTTP 401") != std::string::npos);
    CHECK(message.find("wrong-secret-token") == std::string::npos);
  }
}

TEST_CASE("kube client: client certificates from files and from inline data, CA file and data") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  SECTION("files") {
    Session session(
        dir.write("files.yaml",
                  kubeconfig(api.server(), "    certificate-authority: " + api.pki().ca_file.string() + "\n",
                             "    client-certificate: " + api.pki().client_cert_file.string() +
                                 "\n    client-key: " + api.pki().client_key_file.string() + "\n")));
    CHECK_NOTHROW(session.client->preflight());
  }
  SECTION("inline data") {
    Session session(dir.write(
        "data.yaml", kubeconfig(api.server(), ca_data(api),
                                "    client-certificate-data: " + base64(api.pki().client_cert_pem) +
                                    "\n    client-key-data: " + base64(api.pki().client_key_pem) + "\n")));
    CHECK_NOTHROW(session.client->preflight());
  }
  REQUIRE_FALSE(api.requests().empty());
  CHECK(api.requests().back().auth == "certificate");
  CHECK(api.requests().back().user == "kube-admin");
}

TEST_CASE("kube client: a CA that did not sign the server certificate is unreachable, naming the server") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const scs::test::TestPki other;
  const TempDir dir("scs-kube");
  Session session(dir.write(
      "ca.yaml", kubeconfig(api.server(), "    certificate-authority-data: " + base64(other.ca_pem) + "\n",
                            "    token: good-token\n")));
  const auto message = error_of([&] { session.client->preflight(); });
  CHECK(message.find("cannot reach " + api.server()) != std::string::npos);
}

TEST_CASE("kube client: insecure-skip-tls-verify connects without a CA") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  Session session(dir.write("insecure.yaml", kubeconfig(api.server(), "    insecure-skip-tls-verify: true\n",
                                                        "    token: good-token\n")));
  CHECK_NOTHROW(session.client->preflight());
  REQUIRE_FALSE(api.requests().empty());
  CHECK(api.requests().back().target == "/version");  // the preflight reached the server, unverified
}

TEST_CASE("kube client: tls-server-name checks the certificate against that name") {
  scs::test::FakeKubeApi::Options options;
  options.server_names = {"kube.internal"};
  FakeKubeApi api(FakeKubeApi::fixture("good"), options);
  const TempDir dir("scs-kube");
  Session without(
      dir.write("without.yaml", kubeconfig(api.server(), ca_data(api), "    token: good-token\n")));
  CHECK(error_of([&] { without.client->preflight(); }).find("cannot reach") != std::string::npos);
  Session with(
      dir.write("with.yaml", kubeconfig(api.server(), ca_data(api) + "    tls-server-name: kube.internal\n",
                                        "    token: good-token\n")));
  with.client->preflight();
  CHECK(with.client->version()["major"] == "1");
}

TEST_CASE("kube client: a token file is re-read when it changes") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  api.accept_token("rotated-token", "rotated");
  const TempDir dir("scs-kube");
  const auto token_file = dir.write("token", "good-token\n");
  Session session(dir.write(
      "file.yaml", kubeconfig(api.server(), ca_data(api), "    tokenFile: " + token_file.string() + "\n")));
  session.client->get_json("/version");
  CHECK(api.requests().back().user == "kube-admin");
  (void)dir.write("token", "rotated-token");
  session.client->get_json("/version");
  CHECK(api.requests().back().user == "rotated");
}

TEST_CASE("kube client: basic auth header is sent when the user has a username") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  Session session(dir.write(
      "basic.yaml", kubeconfig(api.server(), ca_data(api), "    username: admin\n    password: pw\n")));
  CHECK_THROWS_AS(session.client->preflight(), scs::ConfigError);  // the fake API knows no basic auth
  CHECK(scs::find_header(api.requests().back().headers, "Authorization") == "Basic YWRtaW46cHc=");
}

TEST_CASE("kube client: exec plugin tokens are cached until they expire and refreshed once on 401") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  const Plugin plugin(dir);
  const auto file = dir.write("exec.yaml", kubeconfig(api.server(), ca_data(api), plugin.user(true)));

  SECTION("no expiry: one run for many requests; KUBERNETES_EXEC_INFO carries the cluster") {
    plugin.answer({{"token", "good-token"}});
    Session session(file);
    session.client->preflight();
    session.client->nodes();
    session.client->storage_classes();
    CHECK(session.exec->runs() == 1);
    std::ifstream in(dir / "info.json");
    const json info = json::parse(in);
    CHECK(info["kind"] == "ExecCredential");
    CHECK(info["apiVersion"] == "client.authentication.k8s.io/v1");
    CHECK(info["spec"]["interactive"] == false);
    CHECK(info["spec"]["cluster"]["server"] == api.server());
    CHECK(info["spec"]["cluster"]["certificate-authority-data"] == base64(api.pki().ca_pem));
  }
  SECTION("an expired credential is fetched again for the next request") {
    plugin.answer({{"token", "good-token"}, {"expirationTimestamp", "2001-01-01T00:00:00Z"}});
    Session session(file);
    session.client->get_json("/version");
    session.client->get_json("/api/v1/nodes");
    CHECK(session.exec->runs() == 3);  // transport set-up, then once per request
  }
  SECTION("a future expiry is cached") {
    plugin.answer({{"token", "good-token"}, {"expirationTimestamp", "2200-01-01T00:00:00+02:00"}});
    Session session(file);
    session.client->get_json("/version");
    session.client->get_json("/api/v1/nodes");
    CHECK(session.exec->runs() == 1);
  }
  SECTION("a 401 runs the plugin once more, and the fresh token is used") {
    plugin.answer({{"token", "stale-token"}}, "answer-1.json");
    plugin.answer({{"token", "good-token"}});
    Session session(file);
    session.client->preflight();
    CHECK(session.exec->runs() == 2);
    CHECK(api.requests().back().user == "kube-admin");
  }
  SECTION("a token rejected twice is a ConfigError naming the user") {
    plugin.answer({{"token", "always-stale-token"}});
    Session session(file);
    const auto message = error_of([&] { session.client->preflight(); });
    CHECK(message.find("credentials of user 'tester'") != std::string::npos);
    CHECK(message.find("always-stale-token") == std::string::npos);
    CHECK(session.exec->runs() == 2);
  }
}

TEST_CASE("kube client: exec plugin output is never shown, its stderr is scrubbed") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  const Plugin plugin(dir);
  const auto file = dir.write("exec.yaml", kubeconfig(api.server(), ca_data(api), plugin.user()));
  std::vector<std::string> stderr_lines;

  SECTION("stderr passes through without the token") {
    plugin.answer({{"token", "good-token"}});
    (void)dir.write("stderr.txt", "issued good-token for you\n");
    Session session(file, &stderr_lines);
    session.client->preflight();
    REQUIRE(stderr_lines.size() == 1);
    CHECK(stderr_lines[0] == "issued <redacted> for you\n");
  }
  SECTION("a failing plugin is a ConfigError with its exit code and last stderr line") {
    (void)dir.write("exit", "3");
    (void)dir.write("stderr.txt", "login required\n");
    plugin.answer({{"token", "good-token"}});
    const auto message = error_of([&] { Session session(file, &stderr_lines); });
    CHECK(message == "exec plugin 'plugin.sh' failed with exit code 3: login required");
  }
  SECTION("output that is not an ExecCredential is refused without quoting it") {
    (void)dir.write("answer.json", "top-secret-output");
    const auto message = error_of([&] { Session session(file, &stderr_lines); });
    CHECK(message == "exec plugin 'plugin.sh': its output is not JSON");
  }
  SECTION("an answer of another apiVersion is refused") {
    plugin.answer({{"token", "good-token"}}, "answer.json", "client.authentication.k8s.io/v1beta1");
    const auto message = error_of([&] { Session session(file, &stderr_lines); });
    CHECK(message.find("has apiVersion 'client.authentication.k8s.io/v1beta1'") != std::string::npos);
  }
  SECTION("an answer without token or certificate is refused") {
    plugin.answer(json::object());
    CHECK(error_of([&] { Session session(file, &stderr_lines); }).find("neither status.token") !=
          std::string::npos);
  }
}

TEST_CASE("kube client: exec plugins of v1beta1, with a client certificate, or missing") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  const Plugin plugin(dir);
  SECTION("v1beta1 and a client certificate instead of a token") {
    plugin.answer(
        {{"clientCertificateData", api.pki().client_cert_pem}, {"clientKeyData", api.pki().client_key_pem}},
        "answer.json", "client.authentication.k8s.io/v1beta1");
    Session session(dir.write(
        "exec.yaml",
        kubeconfig(api.server(), ca_data(api), plugin.user(false, "client.authentication.k8s.io/v1beta1"))));
    session.client->preflight();
    CHECK(api.requests().back().auth == "certificate");
    std::ifstream in(dir / "info.json");
    CHECK_FALSE(json::parse(in)["spec"].contains("cluster"));
  }
  SECTION("a command that does not exist names it and the install hint") {
    const auto file =
        dir.write("missing.yaml",
                  kubeconfig(api.server(), ca_data(api),
                             "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: "
                             "/nonexistent/kubelogin\n      interactiveMode: IfAvailable\n"
                             "      installHint: install kubelogin from your provider\n"));
    const auto message = error_of([&] { Session session(file); });
    CHECK(message.find("exec plugin '/nonexistent/kubelogin' cannot be started") != std::string::npos);
    CHECK(message.find("install kubelogin from your provider") != std::string::npos);
  }
}

TEST_CASE("kube client: 403, 500 and HTML answers are errors naming the URL") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const TempDir dir("scs-kube");
  Session session(dir.write("good.yaml", kubeconfig(api.server(), ca_data(api), "    token: good-token\n")));
  api.inject({"GET", "/api/v1/nodes", 403, false, 0ms, 1});
  CHECK_THROWS_AS(session.client->list("/api/v1/nodes"), scs::HttpError);
  api.inject({"GET", "/api/v1/nodes", 200, true, 0ms, 1});
  CHECK(error_of([&] { session.client->list("/api/v1/nodes"); }).find(api.server() + "/api/v1/nodes") !=
        std::string::npos);
  CHECK(session.client->list("/api/v1/nodes?limit=2").size() == 6);  // follows continue
  CHECK_FALSE(session.client->remove("/api/v1/namespaces/default/pods/none"));
}

TEST_CASE("parse_rfc3339 reads Zulu, offsets and fractions") {
  using std::chrono::system_clock;
  CHECK(scs::parse_rfc3339("1970-01-01T00:00:10Z") == system_clock::from_time_t(10));
  CHECK(scs::parse_rfc3339("1970-01-01T01:00:10+01:00") == system_clock::from_time_t(10));
  CHECK(scs::parse_rfc3339("1970-01-01T00:00:10.123Z") == system_clock::from_time_t(10));
  CHECK_FALSE(scs::parse_rfc3339("yesterday").has_value());
}

// Found by fuzzing (tests/fuzz/exec_credential.cpp): a year outside what system_clock holds
// overflowed (undefined behaviour), an offset of letters threw std::invalid_argument.
TEST_CASE("parse_rfc3339 refuses times system_clock cannot hold and offsets that are no numbers") {
  CHECK_FALSE(scs::parse_rfc3339("1013-11-26T21:00:00Z").has_value());
  CHECK_FALSE(scs::parse_rfc3339("9999-11-26T21:00:00Z").has_value());
  CHECK_FALSE(scs::parse_rfc3339("2026-11-26T21:00:00+ab:cd").has_value());
  CHECK(scs::parse_rfc3339("2026-11-26T21:00:00-01:30").has_value());
}

// Found by fuzzing (tests/fuzz/exec_credential.cpp): the apiVersion a plugin answered was quoted
// with its line breaks.
TEST_CASE("exec credential answers: what is wrong with them is one line") {
  const auto answer = scs::parse_exec_credential(
      R"({"kind": "ExecCredential", "apiVersion": "client.\nauthentication.k8s.io/v1", "status": {"token": "t"}})",
      "client.authentication.k8s.io/v1");
  CHECK(answer.problem ==
        "its answer has apiVersion 'client.\\nauthentication.k8s.io/v1', not "
        "'client.authentication.k8s.io/v1'");
  CHECK(scs::parse_exec_credential("{not json", "client.authentication.k8s.io/v1").problem ==
        "its output is not JSON");
  const auto good = scs::parse_exec_credential(
      R"({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1", "status": {"token": "t"}})",
      "client.authentication.k8s.io/v1");
  CHECK(good.problem.empty());
  CHECK(good.credential.token == "t");
}

namespace {
/// Answers every request with the same page.
class SamePage final : public scs::Transport {
 public:
  explicit SamePage(std::string body) : body_(std::move(body)) {}
  scs::HttpResponse send(const scs::HttpRequest&) override {
    ++calls;
    return {200, {{"Content-Type", "application/json"}}, body_};
  }
  int calls = 0;

 private:
  std::string body_;
};

scs::KubeConfig offline_cluster() {
  scs::KubeConfig config;
  config.context = config.cluster_name = config.user_name = "test";
  config.server = "https://cluster.test:6443";
  config.token = "token";
  return config;
}
}  // namespace

// Found by fuzzing (tests/fuzz/kube_api.cpp): a server that answers the same continue token
// again was asked for the next page forever.
TEST_CASE("kube client: a list whose continue token repeats ends with an error, not a loop") {
  SamePage transport(R"({"items": [{"metadata": {"name": "n1"}}], "metadata": {"continue": "again"}})");
  scs::Kubernetes client(offline_cluster(), transport);
  CHECK_THROWS_AS(client.list("/api/v1/nodes"), scs::UnreachableError);
  CHECK(transport.calls == 2);
  // A continue token that is not a string ends the list.
  SamePage odd(R"({"items": [], "metadata": {"continue": 7}})");
  scs::Kubernetes other(offline_cluster(), odd);
  CHECK(other.list("/api/v1/nodes").empty());
}
