#include "clients/process/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

extern char** environ;

namespace scs {

namespace {

/// A pipe whose ends close themselves.
struct Pipe {
  std::array<int, 2> fds{-1, -1};
  Pipe() {
    if (pipe2(fds.data(), O_CLOEXEC) != 0)
      throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  void close_write() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
};

std::vector<std::string> merged_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> values;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string::npos) values[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : extra) values[name] = value;
  std::vector<std::string> out;
  for (const auto& [name, value] : values) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& text : strings) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::optional<std::filesystem::path> find_program(const std::string& program) {
  const auto usable = [](const std::filesystem::path& candidate) {
    std::error_code ignored;
    return ::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate, ignored);
  };
  if (program.find('/') != std::string::npos) {
    if (usable(program)) return std::filesystem::path(program);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view entries = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!entries.empty()) {
    const auto colon = entries.find(':');
    const auto dir = entries.substr(0, colon);
    entries = colon == std::string_view::npos ? std::string_view{} : entries.substr(colon + 1);
    if (dir.empty()) continue;
    const auto candidate = std::filesystem::path(dir) / program;
    if (usable(candidate)) return candidate;
  }
  return std::nullopt;
}

ProcessResult run_process(const ProcessOptions& options) {
  if (options.argv.empty()) throw Error("run_process: no program given");
  // A child that exits without reading its stdin must not kill us with SIGPIPE.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!options.interactive) posix_spawn_file_actions_adddup2(&actions, in.fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], STDERR_FILENO);
  if (!options.working_dir.empty())
    posix_spawn_file_actions_addchdir_np(&actions, options.working_dir.c_str());
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so a timeout kills whatever the program started too; an interactive
  // child stays in ours, the terminal's foreground group, or reading the terminal would stop it.
  if (!options.interactive) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }

  auto argv_copy = options.argv;
  auto env_copy = merged_environment(options.extra_env);
  auto argv_c = c_strings(argv_copy);
  auto env_c = c_strings(env_copy);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv_c[0], &actions, &attributes, argv_c.data(), env_c.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    throw Error(fmt::format("cannot run '{}': {}", options.argv.front(), std::strerror(spawned)));
  }
  in.close_read();
  out.close_write();
  err.close_write();

  ProcessResult result;
  std::size_t written = 0;
  if (options.stdin_data.empty() || options.interactive) in.close_write();
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool cancelled = false;
  std::array<char, 8192> buffer{};
  while (out.fds[0] >= 0 || err.fds[0] >= 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      break;
    }
    if (cancellation_requested()) {
      cancelled = true;
      break;
    }
    std::vector<pollfd> watched;
    if (out.fds[0] >= 0) watched.push_back({out.fds[0], POLLIN, 0});
    if (err.fds[0] >= 0) watched.push_back({err.fds[0], POLLIN, 0});
    if (in.fds[1] >= 0) watched.push_back({in.fds[1], POLLOUT, 0});
    if (poll(watched.data(), watched.size(), 100) < 0 && errno != EINTR) break;
    for (const auto& entry : watched) {
      if (entry.revents == 0) continue;
      if (entry.fd == in.fds[1]) {
        const auto count =
            ::write(in.fds[1], options.stdin_data.data() + written, options.stdin_data.size() - written);
        if (count > 0) written += static_cast<std::size_t>(count);
        if (count < 0 || written == options.stdin_data.size()) in.close_write();
        continue;
      }
      const auto count = ::read(entry.fd, buffer.data(), buffer.size());
      if (count > 0) {
        (entry.fd == out.fds[0] ? result.out : result.err)
            .append(buffer.data(), static_cast<std::size_t>(count));
      } else if (count == 0 || errno != EINTR) {
        if (entry.fd == out.fds[0])
          out.close_read();
        else
          err.close_read();
      }
    }
  }
  if (result.timed_out || cancelled) ::kill(options.interactive ? pid : -pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (cancelled) throw_if_cancelled();
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  for (const auto& output : options.outputs) {
    std::error_code ignored;
    if (std::filesystem::is_regular_file(output, ignored))
      result.outputs[output.string()] = read_file(output, "the output file");
  }
  return result;
}

}  // namespace scs
