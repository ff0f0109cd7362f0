#pragma once

// Helpers of the cli tests: an environment in which clouds.yaml
// resolution sees only what a test writes, a fake OpenStack (Keystone + Nova) on the local HTTP
// server, and checks that written reports parse.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/run_command.hpp"
#include "tests/support/local_http_server.hpp"
#include "tests/support/temp_env.hpp"

namespace scs::test {

namespace fs = std::filesystem;

/// What clouds.yaml resolution may see: no OS_* variable, HOME, XDG_CONFIG_HOME and
/// XDG_CONFIG_DIRS and the working directory inside a temporary directory, so neither the
/// developer's nor the test cloud's clouds.yaml is found; XDG_CACHE_HOME there too, so the spec
/// cache is the sandbox's. write_clouds_yaml() points OS_CLIENT_CONFIG_FILE at the file it
/// writes. Everything is restored afterwards.
class CloudSandbox {
 public:
  CloudSandbox();
  ~CloudSandbox();
  CloudSandbox(const CloudSandbox&) = delete;
  CloudSandbox& operator=(const CloudSandbox&) = delete;

  [[nodiscard]] const fs::path& dir() const { return dir_.path(); }
  fs::path write_clouds_yaml(const std::string& text);
  ScopedEnv& env() { return env_; }

 private:
  TempDir dir_;
  ScopedEnv env_;
  fs::path old_cwd_;
};

/// A clouds.yaml entry (indented for `clouds:`) for password auth against `auth_url`.
/// `extra` is added as more top-level keys of the cloud, e.g. "api_timeout: 1".
std::string password_cloud(const std::string& name, const std::string& auth_url, const std::string& password,
                           const std::string& extra = "api_timeout: 2");

/// The same for an application credential (v3applicationcredential).
std::string application_credential_cloud(const std::string& name, const std::string& auth_url,
                                         const std::string& secret,
                                         const std::string& extra = "api_timeout: 2");

/// Options of a quiet run of the SCS-compatible IaaS scope of this source tree.
RunOptions iaas_run(const std::string& cloud);

/// Options of a quiet run of the SCS-compatible IaaS scope replaying the test cloud's Keystone
/// refusing testcloud-member's password with HTTP 401 (tests/cli/fixtures/replay-wrong-password).
RunOptions wrong_password_run();

/// Keystone and Nova, just enough for a run: POST /v3/auth/tokens gives `token_value` and a
/// catalog with compute and identity; GET /compute/v2.1/flavors/detail lists two flavors with
/// extra specs. `keystone` / `compute` replace the answers of those paths when set.
class FakeCloud {
 public:
  using Handler = std::function<LocalHttpServer::Reply(const LocalHttpServer::Request&)>;

  FakeCloud();
  FakeCloud(const FakeCloud&) = delete;
  FakeCloud& operator=(const FakeCloud&) = delete;

  void on_keystone(Handler handler);
  void on_compute(Handler handler);

  [[nodiscard]] int port() const { return server_.port(); }
  [[nodiscard]] std::string auth_url() const { return server_.url("/v3"); }
  [[nodiscard]] std::string token_url() const { return server_.url("/v3/auth/tokens"); }
  [[nodiscard]] std::string compute_url() const { return server_.url("/compute/v2.1"); }
  [[nodiscard]] static std::string token_value() { return "gAAAAB-token-canary-0c41d"; }
  [[nodiscard]] std::vector<LocalHttpServer::Request> requests() const { return server_.requests(); }
  /// Requests whose target starts with `prefix`.
  [[nodiscard]] std::size_t count(std::string_view prefix) const;

  /// A good token answer (201 with X-Subject-Token and the catalog).
  [[nodiscard]] LocalHttpServer::Reply token_reply() const;

 private:
  LocalHttpServer::Reply answer(const LocalHttpServer::Request& request);

  std::mutex mutex_;
  Handler keystone_;
  Handler compute_;
  LocalHttpServer server_;  // last: its threads stop before the handlers go
};

/// Redirects a stream (std::cout, std::cerr) into a string for the lifetime of the object.
class CaptureStream {
 public:
  explicit CaptureStream(std::ostream& stream);
  ~CaptureStream();
  CaptureStream(const CaptureStream&) = delete;
  CaptureStream& operator=(const CaptureStream&) = delete;
  [[nodiscard]] std::string text() const { return out_.str(); }

 private:
  std::ostream& stream_;
  std::ostringstream out_;
  std::streambuf* old_;
};

/// Empty when `text` is well-formed XML (one root element, balanced and matching tags,
/// quoted attributes, known entities); otherwise what is wrong, and where.
std::string xml_problem(std::string_view text);

/// What a process running `scs-conformance run` would show, obtained in-process the way main()
/// does it: the exit code, stdout, stderr (what the run writes there, and the one-line error
/// main() prints for an exception), whether an exception escaped run_command(), and the four
/// reports, written into `dir` as report.yaml, report.json, report.xml and report.md.
struct CollectedRun {
  int exit_code = -1;
  bool threw = false;
  std::string stdout_text;
  std::string stderr_text;
  fs::path yaml, json, junit, markdown;
};
CollectedRun run_like_main(RunOptions options, const fs::path& dir);

/// Every regular file below `dir` (recursively) with its contents.
std::map<fs::path, std::string> files_below(const fs::path& dir);

}  // namespace scs::test
