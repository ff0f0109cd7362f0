// The TLS probe against `openssl s_server` children with chosen protocols, ciphers and groups,
// and the transport decorator that carries probes through the Transport seam.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "clients/process/subprocess.hpp"
#include "clients/tls/tls_probe.hpp"
#include "clients/tls/tls_probe_transport.hpp"
#include "core/call_meter.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "tests/support/loopback_http.hpp"
#include "tests/support/temp_env.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

void openssl(const Strings& args) {
  scs::ProcessOptions options;
  options.argv = {"openssl"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  const auto result = scs::run_process(options);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

// A CA, a 30-day RSA-2048 server certificate for 127.0.0.1 and ffdhe2048 parameters, made once.
struct Pki {
  scs::test::TempDir temp{"scs-tls-probe"};
  fs::path dir = temp.path();
  Pki() {
    const auto at = [&](const char* name) { return (dir / name).string(); };
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("ca.key"), "-out", at("ca.pem"),
             "-days", "30", "-subj", "/CN=probe test CA"});
    openssl({"req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", at("server.key"), "-out",
             at("server.csr"), "-subj", "/CN=127.0.0.1"});
    {
      std::ofstream ext(at("server.ext"));
      ext << "subjectAltName=IP:127.0.0.1\n";
    }
    openssl({"x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"),
             "-CAcreateserial", "-days", "30", "-sha256", "-extfile", at("server.ext"), "-out",
             at("server.pem")});
    openssl(
        {"genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", at("dh.pem")});
  }
  [[nodiscard]] std::string file(const char* name) const { return (dir / name).string(); }
};

const Pki& pki() {
  static const Pki made;
  return made;
}

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `openssl s_server` on 127.0.0.1 with `options`, stopped (by its pid) when the test ends.
// The server binds port 0 itself and reports the port the kernel gave it ("ACCEPT
// 127.0.0.1:PORT" on stdout), so no port is picked here and handed over later, which another
// test could take in between under `ctest -j`. That line needs s_server without -quiet, which
// would end at EOF on stdin: stdin is a pipe held open until the server is stopped, and stdout
// goes to a file (no pipe to fill with the session dumps).
class TlsServer {
 public:
  explicit TlsServer(const Strings& options) {
    Strings args{"openssl", "s_server",
                 "-accept", "127.0.0.1:0",
                 "-cert",   pki().file("server.pem"),
                 "-key",    pki().file("server.key")};
    args.insert(args.end(), options.begin(), options.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int stdin_pipe[2];
    REQUIRE(::pipe2(stdin_pipe, O_CLOEXEC) == 0);
    stdin_ = stdin_pipe[1];
    const auto out = out_file().string(), err = err_file().string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int spawned = posix_spawnp(&pid_, "openssl", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(stdin_pipe[0]);
    if (spawned != 0) {
      pid_ = 0;
      stop();
      FAIL("cannot start openssl s_server: " << std::strerror(spawned));
    }
    port_ = reported_port();
  }
  ~TlsServer() { stop(); }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  [[nodiscard]] scs::TlsProbeTarget target(bool with_ca = true) const {
    scs::TlsProbeTarget target;
    target.host = "127.0.0.1";
    target.port = port_;
    if (with_ca) target.ca_file = pki().file("ca.pem");
    // Only a server that stopped answering would need it: generous, so load cannot trip it.
    target.timeout = std::chrono::milliseconds(20'000);
    return target;
  }
  [[nodiscard]] int port() const { return port_; }

 private:
  [[nodiscard]] fs::path out_file() const { return temp_.path() / "s_server.out"; }
  [[nodiscard]] fs::path err_file() const { return temp_.path() / "s_server.err"; }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
      pid_ = 0;
    }
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // The port from s_server's "ACCEPT 127.0.0.1:PORT" line, written once it listens. The
  // deadline only guards against a hang: the line normally comes within milliseconds.
  int reported_port() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      const auto out = file_text(out_file());
      if (const auto at = out.find("ACCEPT 127.0.0.1:"); at != std::string::npos) {
        const auto end = out.find('\n', at);
        if (end != std::string::npos) return std::stoi(out.substr(at + 17, end - at - 17));
      }
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = 0;
        stop();
        FAIL("openssl s_server ended before it listened: " << file_text(err_file()));
      }
      if (std::chrono::steady_clock::now() > until) {
        stop();
        FAIL("openssl s_server did not report its port within 60 s: " << out << file_text(err_file()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  scs::test::TempDir temp_{"scs-tls-server"};
  int port_ = 0;
  pid_t pid_ = 0;
  int stdin_ = -1;
};

class Forwarded final : public scs::Transport {
 public:
  scs::HttpResponse send(const scs::HttpRequest& request) override {
    last_method = request.method;
    return {204, {}, {}};
  }
  std::string last_method;
};

}  // namespace

TEST_CASE("the TLS probe finds TLS 1.2 only, its ciphers, groups and certificate", "[clients][tls]") {
  TlsServer server({"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:@SECLEVEL=0",
                    "-groups", "X25519:secp384r1"});
  scs::CallStats stats;
  scs::TlsProbeResult result;
  {
    scs::MeterScope meter(stats);
    result = scs::probe_tls(server.target());
  }
  // Bounded work instead of a wall-clock limit: every handshake counted, and few of them.
  CHECK(result.protocols == Strings{"TLSv1.2"});
  CHECK_THAT(result.ciphers, Catch::Matchers::UnorderedEquals(
                                 Strings{"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA"}));
  CHECK(result.tls13_suites.empty());
  CHECK(result.groups == Strings{"X25519", "secp384r1"});
  CHECK_FALSE(result.dh_bits);
  CHECK(stats.calls == static_cast<std::uint64_t>(result.handshakes));
  CHECK(result.handshakes > 0);
  CHECK(result.handshakes < 20);
  REQUIRE(result.certificate);
  const auto& cert = *result.certificate;
  CHECK(cert.chain_verified);
  CHECK(cert.verify_error.empty());
  CHECK(cert.hostname_matches);
  CHECK(cert.key_type == "rsa");
  CHECK(cert.key_bits == 2048);
  CHECK(cert.signature_algorithm == "sha256WithRSAEncryption");
  CHECK((cert.not_after - cert.not_before) / 86'400 == 30);
  CHECK(cert.subject == "CN=127.0.0.1");
}

TEST_CASE("the TLS probe finds TLS 1.3 suites and groups", "[clients][tls]") {
  TlsServer server({"-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
                    "-groups", "prime256v1:ffdhe2048"});
  const auto result = scs::probe_tls(server.target());
  CHECK(result.protocols == Strings{"TLSv1.3"});
  CHECK(result.ciphers.empty());
  CHECK_THAT(result.tls13_suites, Catch::Matchers::UnorderedEquals(
                                      Strings{"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}));
  CHECK(result.groups == Strings{"prime256v1", "ffdhe2048"});
  REQUIRE(result.certificate);
  CHECK(result.certificate->chain_verified);
}

TEST_CASE("the TLS probe finds old protocols and the DH size", "[clients][tls]") {
  TlsServer server({"-no_tls1_3", "-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-SHA:@SECLEVEL=0",
                    "-dhparam", pki().file("dh.pem")});
  const auto result = scs::probe_tls(server.target());
  CHECK(result.protocols == Strings{"TLSv1", "TLSv1.1", "TLSv1.2"});
  CHECK_THAT(result.ciphers,
             Catch::Matchers::UnorderedEquals(Strings{"DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES128-SHA"}));
  REQUIRE(result.dh_bits);
  CHECK(*result.dh_bits == 2048);
}

TEST_CASE("without the CA file the chain does not verify, and the reason is kept", "[clients][tls]") {
  TlsServer server({"-tls1_2"});
  const auto result = scs::probe_tls(server.target(false));
  REQUIRE(result.certificate);
  CHECK_FALSE(result.certificate->chain_verified);
  CHECK_FALSE(result.certificate->verify_error.empty());
  CHECK(result.certificate->hostname_matches);
}

TEST_CASE("a closed port is unreachable, with the target in the message", "[clients][tls]") {
  scs::TlsProbeTarget target;
  target.host = "127.0.0.1";
  const scs::test::ClosedPort closed;  // held for the whole test: nobody can start listening there
  target.port = closed.port();
  target.timeout = std::chrono::milliseconds(1'000);
  CHECK_THROWS_AS(scs::probe_tls(target), scs::UnreachableError);
  CHECK_THROWS_WITH(scs::probe_tls(target),
                    Catch::Matchers::Contains("tls://127.0.0.1:" + std::to_string(target.port)));
}

TEST_CASE("probe results survive JSON, and a wrong document is an Error", "[clients][tls]") {
  scs::TlsProbeResult result;
  result.protocols = {"TLSv1.2"};
  result.ciphers = {"ECDHE-RSA-AES128-SHA"};
  result.groups = {"X25519"};
  result.dh_bits = 1024;
  result.handshakes = 9;
  scs::TlsCertificate cert;
  cert.key_type = "rsa";
  cert.key_bits = 2048;
  cert.not_before = 100;
  cert.not_after = 200;
  cert.verify_error = "self-signed certificate";
  result.certificate = cert;
  const auto back = scs::tls_probe_result_from_json(nlohmann::json::parse(scs::to_json(result).dump()));
  CHECK(back.protocols == result.protocols);
  CHECK(back.ciphers == result.ciphers);
  CHECK(back.groups == result.groups);
  CHECK(back.dh_bits == result.dh_bits);
  CHECK(back.handshakes == 9);
  REQUIRE(back.certificate);
  CHECK(back.certificate->verify_error == "self-signed certificate");
  CHECK(back.certificate->not_after == 200);
  CHECK_THROWS_AS(scs::tls_probe_result_from_json(nlohmann::json::object()), scs::Error);
}

TEST_CASE("the probe transport answers TLS-PROBE requests and forwards the rest", "[clients][tls]") {
  TlsServer server({"-tls1_2"});
  auto inner = std::make_unique<Forwarded>();
  auto* forwarded = inner.get();
  scs::TransportOptions options;
  options.ca_file = pki().file("ca.pem");
  scs::TlsProbeTransport transport(std::move(inner), options);

  scs::HttpRequest probe;
  probe.method = std::string(scs::tls_probe_method);
  probe.url = scs::tls_probe_url("127.0.0.1", server.port());
  CHECK(probe.url == "tls://127.0.0.1:" + std::to_string(server.port()));
  const auto answer = transport.send(probe);
  CHECK(answer.status == 200);
  const auto result = scs::tls_probe_result_from_json(nlohmann::json::parse(answer.body));
  CHECK(result.protocols == Strings{"TLSv1.2"});
  REQUIRE(result.certificate);
  CHECK(result.certificate->chain_verified);  // the CA file came from the options
  CHECK(forwarded->last_method.empty());

  scs::HttpRequest get;
  get.url = "http://127.0.0.1:1/";
  CHECK(transport.send(get).status == 204);
  CHECK(forwarded->last_method == "GET");

  probe.url = "tls://127.0.0.1";
  CHECK_THROWS_AS(transport.send(probe), scs::Error);
  CHECK(scs::tls_probe_url("::1", 443, "api.example") == "tls://[::1]:443?sni=api.example");
}

TEST_CASE("the probe stops between handshakes once the testcase is cancelled", "[clients][tls][timing]") {
  TlsServer server({"-tls1_2"});
  const std::atomic<bool> interrupted{true};
  scs::CancellationScope scope(std::chrono::steady_clock::now() + std::chrono::hours(1), &interrupted);
  scs::CallStats stats;
  scs::MeterScope meter(stats);
  CHECK_THROWS_AS(scs::probe_tls(server.target()), scs::Interrupted);
  CHECK(stats.calls == 0);
}
