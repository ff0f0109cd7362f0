// scs-fake-kube-api: the fake Kubernetes API (tests/support/fake_kube_api.hpp) as a process of
// its own, for integration tests that run the real scs-conformance binary against a cluster.
//
//   scs-fake-kube-api --cluster NAME_OR_PATH --kubeconfig OUT [--context NAME]
//
// Serves the cluster fixture tests/kube/clusters/NAME.json (or the JSON file at a path: an
// argument containing '/' or ending in ".json") over HTTPS on a free port of 127.0.0.1, writes
// a kubeconfig for it to OUT (mode 0600: the CA as certificate-authority-data, a random bearer
// token the server accepts, one context — default name fake-<cluster> — set as current-context)
// and then prints one line to stdout:
//
//   ready server=https://127.0.0.1:PORT kubeconfig=OUT
//
// It serves until SIGTERM or SIGINT, or until its stdin reaches EOF (so a test that starts it
// with a pipe on stdin stops it by closing the pipe, and it never outlives a parent that dies),
// and then exits 0. Note that a shell without job control starts `cmd &` with stdin from
// /dev/null, which is EOF at once: give such a background server a stdin that stays open.
// Exit codes: 64 bad arguments (or no such fixture), 65 a fixture that cannot be read as a
// cluster, 73 OUT cannot be written, 70 any other failure to start. Errors are one line on
// stderr. The kubeconfig is left in place on exit.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/support/fake_kube_api.hpp"

namespace {

constexpr int kUsageError = 64;     // EX_USAGE
constexpr int kDataError = 65;      // EX_DATAERR
constexpr int kSoftwareError = 70;  // EX_SOFTWARE
constexpr int kCannotCreate = 73;   // EX_CANTCREAT

constexpr const char* kUsage =
    "usage: scs-fake-kube-api --cluster NAME_OR_PATH --kubeconfig OUT [--context NAME]";

/// A failure that ends the program with `code` and a one-line message.
struct Exit {
  int code;
  std::string message;
};

struct Arguments {
  std::string cluster;
  std::string kubeconfig;
  std::optional<std::string> context;
};

Arguments parse_arguments(const std::vector<std::string_view>& args) {
  Arguments parsed;
  bool have_cluster = false;
  bool have_kubeconfig = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto arg = args[i];
    if (arg == "-h" || arg == "--help") throw Exit{0, kUsage};
    std::string_view name = arg;
    std::optional<std::string> value;
    if (const auto equals = arg.find('='); arg.starts_with("--") && equals != std::string_view::npos) {
      name = arg.substr(0, equals);
      value = std::string(arg.substr(equals + 1));
    }
    if (name != "--cluster" && name != "--kubeconfig" && name != "--context") {
      throw Exit{kUsageError, fmt::format("unknown argument '{}' ({})", arg, kUsage)};
    }
    if (!value) {
      if (i + 1 >= args.size()) throw Exit{kUsageError, fmt::format("{} needs a value ({})", name, kUsage)};
      value = std::string(args[++i]);
    }
    if (value->empty()) throw Exit{kUsageError, fmt::format("{} needs a non-empty value", name)};
    bool given_before = false;
    if (name == "--cluster") {
      given_before = std::exchange(have_cluster, true);
      parsed.cluster = *value;
    } else if (name == "--kubeconfig") {
      given_before = std::exchange(have_kubeconfig, true);
      parsed.kubeconfig = *value;
    } else {
      given_before = parsed.context.has_value();
      parsed.context = *value;
    }
    if (given_before) throw Exit{kUsageError, fmt::format("{} is given more than once", name)};
  }
  if (!have_cluster) throw Exit{kUsageError, fmt::format("--cluster is missing ({})", kUsage)};
  if (!have_kubeconfig) throw Exit{kUsageError, fmt::format("--kubeconfig is missing ({})", kUsage)};
  return parsed;
}

/// The fixture file and the cluster's short name (for the default context name).
std::pair<std::filesystem::path, std::string> resolve_fixture(const std::string& cluster) {
  const bool is_path = cluster.find('/') != std::string::npos || cluster.ends_with(".json");
  const std::filesystem::path file =
      is_path ? std::filesystem::path(cluster) : scs::test::FakeKubeApi::fixture(cluster);
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw Exit{kUsageError,
               is_path ? fmt::format("no cluster fixture file {}", file.string())
                       : fmt::format("no cluster fixture '{}' (looked for {})", cluster, file.string())};
  }
  return {file, is_path ? file.stem().string() : cluster};
}

std::string random_token() {
  std::random_device random;
  std::string token = "fake-kube-api-";
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", random());
  return token;
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

void write_kubeconfig(const std::string& file, const scs::test::FakeKubeApi& api, const std::string& context,
                      const std::string& token) {
  const auto user = context + "-admin";
  const auto text = fmt::format(
      "apiVersion: v1\n"
      "kind: Config\n"
      "clusters:\n"
      "- name: {0}\n"
      "  cluster:\n"
      "    server: {1}\n"
      "    certificate-authority-data: {2}\n"
      "users:\n"
      "- name: {3}\n"
      "  user:\n"
      "    token: {4}\n"
      "contexts:\n"
      "- name: {0}\n"
      "  context:\n"
      "    cluster: {0}\n"
      "    user: {3}\n"
      "current-context: {0}\n",
      quoted(context), quoted(api.server()), scs::test::base64(api.pki().ca_pem), quoted(user),
      quoted(token));
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Exit{kCannotCreate, fmt::format("cannot write {}: {}", file, std::strerror(errno))};
  bool written = ::fchmod(fd, 0600) == 0;  // an existing file keeps its mode otherwise
  for (std::size_t done = 0; written && done < text.size();) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) done += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  if (::close(fd) != 0 || !written) {
    throw Exit{kCannotCreate,
               fmt::format("cannot write {}: {}", file, std::strerror(written ? errno : saved))};
  }
}

/// Waits for SIGTERM/SIGINT (blocked, read from `signals`) or EOF on stdin; `watch_stdin` false
/// when the process was started without a stdin.
void wait_for_the_end(int signals, bool watch_stdin) {
  std::vector<char> discard(4096);
  while (true) {
    pollfd fds[2] = {{signals, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    const nfds_t count = watch_stdin ? 2 : 1;
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      throw Exit{kSoftwareError, fmt::format("poll failed: {}", std::strerror(errno))};
    }
    if (fds[0].revents != 0) return;  // SIGTERM or SIGINT
    if (watch_stdin && fds[1].revents != 0) {
      if ((fds[1].revents & POLLNVAL) != 0) {
        watch_stdin = false;
        continue;
      }
      const auto n = ::read(STDIN_FILENO, discard.data(), discard.size());
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return;  // EOF (or stdin failed: treated alike)
    }
  }
}

int run(const std::vector<std::string_view>& args) {
  const auto arguments = parse_arguments(args);
  const auto [fixture, cluster] = resolve_fixture(arguments.cluster);
  const auto context = arguments.context.value_or("fake-" + cluster);

  // Without a stdin (fd 0 closed) the server's sockets could become fd 0: keep it taken.
  const bool have_stdin = ::fcntl(STDIN_FILENO, F_GETFD) != -1;
  if (!have_stdin) {
    const int null = ::open("/dev/null", O_RDONLY);
    if (null > STDIN_FILENO) ::close(null);
  }

  // Blocked before the server's threads start, so they inherit the mask and the signals wait
  // for the signalfd.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) {
    throw Exit{kSoftwareError, fmt::format("sigprocmask failed: {}", std::strerror(errno))};
  }
  const int signals = ::signalfd(-1, &mask, SFD_CLOEXEC);
  if (signals < 0) throw Exit{kSoftwareError, fmt::format("signalfd failed: {}", std::strerror(errno))};

  std::optional<scs::test::FakeKubeApi> api;
  try {
    api.emplace(fixture);
  } catch (const nlohmann::json::exception& error) {
    throw Exit{kDataError, fmt::format("{} is no valid cluster fixture: {}", fixture.string(), error.what())};
  }
  const auto token = random_token();
  api->accept_token(token, "kube-admin");
  write_kubeconfig(arguments.kubeconfig, *api, context, token);

  std::cout << "ready server=" << api->server() << " kubeconfig=" << arguments.kubeconfig << std::endl;
  wait_for_the_end(signals, have_stdin);
  api.reset();
  ::close(signals);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    return run(args);
  } catch (const Exit& exit) {
    (exit.code == 0 ? std::cout : std::cerr)
        << (exit.code == 0 ? "" : "scs-fake-kube-api: ") << exit.message << std::endl;
    return exit.code;
  } catch (const std::exception& error) {
    std::cerr << "scs-fake-kube-api: " << error.what() << std::endl;
    return kSoftwareError;
  }
}
