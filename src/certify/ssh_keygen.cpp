#include "certify/ssh_keygen.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

#include "certify/file_bytes.hpp"
#include "clients/process/subprocess.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs::ssh {
namespace {

constexpr std::chrono::minutes interactive_timeout{5};  // a passphrase typed by a person

void require_ssh_keygen(std::string_view why) {
  if (!find_program("ssh-keygen"))
    throw ConfigError(
        fmt::format("{} needs ssh-keygen, which is not installed (Debian package openssh-client)", why));
}

// ssh-keygen's last non-empty stderr line: its reason, without our temp file names mattering.
std::string last_line(const std::string& text) {
  std::string last;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) last = line;
  }
  // Without a terminal the passphrase prompt shares the line with the reason.
  constexpr std::string_view prompt = "Enter passphrase: ";
  if (last.starts_with(prompt)) last.erase(0, prompt.size());
  return last.empty() ? std::string("no reason given") : last;
}

// A private directory for the files ssh-keygen reads, removed with the object.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "scs-sshsig-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw Error("cannot create a temporary directory");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::filesystem::path file(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::string ssh_keygen_sign(const std::filesystem::path& key, std::string_view message,
                            std::string_view sig_namespace) {
  require_ssh_keygen(
      fmt::format("signing with {} (a key with a passphrase, in ssh-agent, or not Ed25519)", key.string()));
  // The message goes in a file, so that stdin stays the caller's: ssh-keygen asks for a
  // passphrase on the terminal, or reads it from stdin when that is no terminal (CI).
  const ScratchDir scratch;
  const auto message_file = scratch.file("report");
  write_file_atomically(message_file, message, 0600);
  ProcessOptions options;
  options.argv = {
      "ssh-keygen",         "-q", "-Y", "sign", "-f", key.string(), "-n", std::string(sig_namespace),
      message_file.string()};
  options.interactive = true;
  options.timeout = interactive_timeout;
  const auto result = run_process(options);
  const auto signature_file = scratch.file("report.sig");
  if (result.exit_code != 0 || !std::filesystem::exists(signature_file)) {
    throw ConfigError(fmt::format("ssh-keygen could not sign with {}: {}", key.string(),
                                  result.timed_out ? "timed out" : last_line(result.err)));
  }
  return read_file(signature_file, "signature");
}

std::string ssh_keygen_verify(std::string_view allowed_signers, std::string_view armored,
                              std::string_view message, std::string_view sig_namespace, std::string& reason) {
  require_ssh_keygen("verifying a signature that is not Ed25519");
  const ScratchDir scratch;
  const auto allowed_file = scratch.file("allowed_signers");
  const auto signature_file = scratch.file("report.sig");
  write_file_atomically(allowed_file, allowed_signers, 0600);
  write_file_atomically(signature_file, armored, 0600);

  ProcessOptions find;
  find.argv = {"ssh-keygen",          "-Y", "find-principals",      "-f",
               allowed_file.string(), "-s", signature_file.string()};
  const auto found = run_process(find);
  if (found.exit_code != 0 || found.out.empty()) {
    reason = "the signing key is not among the allowed signers";
    return {};
  }
  const auto principal = found.out.substr(0, found.out.find('\n'));

  ProcessOptions verify;
  verify.argv = {"ssh-keygen",
                 "-Y",
                 "verify",
                 "-f",
                 allowed_file.string(),
                 "-I",
                 principal,
                 "-n",
                 std::string(sig_namespace),
                 "-s",
                 signature_file.string()};
  verify.stdin_data = std::string(message);
  const auto verified = run_process(verify);
  if (verified.exit_code != 0) {
    reason = fmt::format("ssh-keygen: {}", last_line(verified.err));
    return {};
  }
  return principal;
}

}  // namespace scs::ssh
