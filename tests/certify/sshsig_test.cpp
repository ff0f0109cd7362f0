// SSH signatures over reports, cross-checked with the real ssh-keygen both ways.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <iostream>
#include <sstream>

#include "certify/allowed_signers.hpp"
#include "certify/key_signer.hpp"
#include "certify/ssh_keys.hpp"
#include "certify/ssh_wire.hpp"
#include "certify/sshsig.hpp"
#include "cli/certify_commands.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "tests/certify/ssh_fixtures.hpp"
#include "tests/support/temp_env.hpp"

using scs::test::make_key;
using scs::test::read_text;
using scs::test::run_tool;
using scs::test::sample_report;
using scs::test::TempDir;

namespace {

// ssh-keygen -Y verify with the key's own .pub as the only allowed signer.
int ssh_keygen_verifies(const TempDir& dir, const std::filesystem::path& key,
                        const std::filesystem::path& report, const std::filesystem::path& signature) {
  const auto allowed =
      dir.write("allowed-" + key.filename().string(), "signer@test " + read_text(key.string() + ".pub"));
  return run_tool({"ssh-keygen", "-Y", "verify", "-f", allowed.string(), "-I", "signer@test", "-n", "report",
                   "-s", signature.string()},
                  read_text(report))
      .exit_code;
}

int our_verify(const std::filesystem::path& key, const std::filesystem::path& report,
               const std::filesystem::path& signature, std::string* err_text = nullptr) {
  scs::VerifyCommandOptions options;
  options.report = report.string();
  options.signature = signature.string();
  options.public_key = key.string() + ".pub";
  std::ostringstream out, err;
  const int code = scs::verify_command(options, out, err);
  if (err_text != nullptr) *err_text = err.str();
  return code;
}

std::filesystem::path flip_one_byte(const TempDir& dir, const std::filesystem::path& file, std::size_t at) {
  auto bytes = read_text(file);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  return dir.write("flipped-" + file.filename().string(), bytes);
}

}  // namespace

TEST_CASE("our Ed25519 signature is byte for byte ssh-keygen's") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "id_ed25519");
  const auto report = dir.write("report.yaml", sample_report());
  REQUIRE(
      run_tool({"ssh-keygen", "-Y", "sign", "-f", key.string(), "-n", "report", report.string()}).exit_code ==
      0);
  const auto theirs = read_text(report.string() + ".sig");

  const auto made = scs::ssh::sign_with_key_file(key, read_text(report));
  CHECK(made.native);
  CHECK(made.armored == theirs);
  CHECK(made.signer.fingerprint() == run_tool({"ssh-keygen", "-l", "-f", key.string() + ".pub"})
                                         .out.substr(4, made.signer.fingerprint().size()));
}

TEST_CASE(
    "ssh-keygen accepts our signatures and we accept ssh-keygen's, and one changed byte is rejected by "
    "both") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "id_ed25519");
  const auto report = dir.write("report.yaml", sample_report());
  std::ostringstream out;
  REQUIRE(scs::sign_command({report.string(), key.string(), std::nullopt}, out) == 0);
  const std::filesystem::path ours = report.string() + ".sig";
  CHECK(out.str().find("SHA256:") != std::string::npos);
  CHECK(ssh_keygen_verifies(dir, key, report, ours) == 0);
  CHECK(our_verify(key, report, ours) == 0);

  const auto theirs_report = dir.write("theirs.yaml", sample_report("cloud-b"));
  REQUIRE(run_tool({"ssh-keygen", "-Y", "sign", "-f", key.string(), "-n", "report", theirs_report.string()})
              .exit_code == 0);
  const std::filesystem::path theirs = theirs_report.string() + ".sig";
  CHECK(our_verify(key, theirs_report, theirs) == 0);

  // One byte of the report (inside the subject) and one byte of the signature (in the middle
  // of its base64, where the Ed25519 signature bytes are).
  const auto changed_report = flip_one_byte(dir, report, read_text(report).find("cloud-a") + 2);
  std::string reason;
  CHECK(our_verify(key, changed_report, ours, &reason) == 1);
  CHECK(reason.find("signature does not hold") != std::string::npos);
  CHECK(ssh_keygen_verifies(dir, key, changed_report, ours) != 0);

  const auto signature_text = read_text(ours);
  const auto changed_signature = flip_one_byte(dir, ours, signature_text.rfind("-----END") - 20);
  CHECK(our_verify(key, report, changed_signature) == 1);
  CHECK(ssh_keygen_verifies(dir, key, report, changed_signature) != 0);
}

TEST_CASE("a signature by another key or for another namespace does not hold") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "signer");
  const auto other = make_key(dir, "other");
  const auto report = dir.write("report.yaml", sample_report());
  const auto signature =
      dir.write("other.sig", scs::ssh::sign_with_key_file(other, read_text(report)).armored);
  std::string reason;
  CHECK(our_verify(key, report, signature, &reason) == 1);
  CHECK(reason.find("does not allow") != std::string::npos);

  REQUIRE(
      run_tool({"ssh-keygen", "-Y", "sign", "-f", key.string(), "-n", "file", report.string()}).exit_code ==
      0);
  CHECK(our_verify(key, report, signature) == 1);
  CHECK(our_verify(key, report, report.string() + ".sig", &reason) == 1);
  CHECK(reason.find("namespace 'file'") != std::string::npos);
}

TEST_CASE("verify with an allowed-signers file honours principals' namespaces and validity") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "signer");
  const auto public_line = read_text(key.string() + ".pub");
  const auto report = dir.write("report.yaml", sample_report());
  std::ostringstream signed_line;
  REQUIRE(scs::sign_command({report.string(), key.string(), std::nullopt}, signed_line) == 0);

  const auto verify = [&](const std::string& allowed_text, std::string* out_text = nullptr) {
    scs::VerifyCommandOptions options;
    options.report = report.string();
    options.allowed_signers = dir.write("allowed_signers", allowed_text).string();
    std::ostringstream out, err;
    const int code = scs::verify_command(options, out, err);
    if (out_text != nullptr) *out_text = out.str() + err.str();
    return code;
  };
  std::string text;
  CHECK(verify("# provider keys\nops@cloud-a " + public_line, &text) == 0);
  CHECK(text.find("good signature by ops@cloud-a") != std::string::npos);
  CHECK(text.find("subject cloud-a") != std::string::npos);
  CHECK(verify("ops@cloud-a namespaces=\"report,file\" " + public_line) == 0);
  CHECK(verify("ops@cloud-a namespaces=\"file\" " + public_line) == 1);
  CHECK(verify("ops@cloud-a valid-before=\"20200101\" " + public_line) == 1);
  CHECK(verify("ops@cloud-a valid-after=\"20200101Z\" " + public_line) == 0);
  CHECK(verify("ops@cloud-a cert-authority " + public_line) == 1);
  CHECK_THROWS_WITH(verify("ops@cloud-a bogus=1 " + public_line),
                    Catch::Contains("allowed_signers: line 1: unknown option 'bogus'"));
}

TEST_CASE("verify refuses a validly signed file that is no report") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "signer");
  const auto file = dir.write("notes.yaml", "spec:\n  name: x\nsubject: a\n");
  REQUIRE(
      run_tool({"ssh-keygen", "-Y", "sign", "-f", key.string(), "-n", "report", file.string()}).exit_code ==
      0);
  std::string reason;
  CHECK(our_verify(key, file, file.string() + ".sig", &reason) == 1);
  CHECK(reason.find("the signature holds, but") != std::string::npos);
  CHECK(reason.find("no spec.uuid") != std::string::npos);
}

TEST_CASE("RSA keys sign and verify through ssh-keygen") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "id_rsa", "rsa");
  const auto report = dir.write("report.yaml", sample_report());
  const auto made = scs::ssh::sign_with_key_file(key, read_text(report));
  CHECK_FALSE(made.native);
  CHECK(made.signer.type == "ssh-rsa");
  const auto signature = dir.write("report.yaml.sig", made.armored);
  CHECK(ssh_keygen_verifies(dir, key, report, signature) == 0);
  CHECK(our_verify(key, report, signature) == 0);
  const auto changed = flip_one_byte(dir, report, 10);
  CHECK(our_verify(key, changed, signature) == 1);
}

TEST_CASE("without ssh-keygen, a key it would have to sign with gives a clear error") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "id_rsa", "rsa");
  scs::test::ScopedEnv env;
  env.set("PATH", (dir / "empty-bin").string());
  CHECK_THROWS_WITH(
      scs::ssh::sign_with_key_file(key, "report"),
      Catch::Contains("needs ssh-keygen, which is not installed (Debian package openssh-client)"));
}

TEST_CASE("a key with a passphrase is recognised and signed through ssh-agent") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "locked", "ed25519", "correct horse");
  const auto parsed = scs::ssh::read_private_key_file(key);
  CHECK(parsed.kind == scs::ssh::PrivateKeyFile::Kind::encrypted);
  CHECK_FALSE(parsed.key.has_value());

  // An agent that holds the key; ssh-keygen signs with it when given the public key file.
  const auto socket = dir / "agent.sock";
  const auto agent = run_tool({"ssh-agent", "-s", "-a", socket.string()});
  REQUIRE(agent.exit_code == 0);
  const auto pid_at = agent.out.find("SSH_AGENT_PID=") + 14;
  const auto agent_pid = agent.out.substr(pid_at, agent.out.find(';', pid_at) - pid_at);
  scs::test::ScopedEnv env;
  env.set("SSH_AUTH_SOCK", socket.string());
  const auto askpass = dir.write("askpass", "#!/bin/sh\necho 'correct horse'\n");
  std::filesystem::permissions(askpass, std::filesystem::perms::owner_all);
  env.set("SSH_ASKPASS", askpass.string());
  env.set("SSH_ASKPASS_REQUIRE", "force");
  env.set("DISPLAY", ":0");
  const auto added = run_tool({"ssh-add", key.string()});
  const auto report = dir.write("report.yaml", sample_report());
  const auto made = scs::ssh::sign_with_key_file(key.string() + ".pub", read_text(report));
  run_tool({"kill", agent_pid});
  REQUIRE(added.exit_code == 0);
  CHECK_FALSE(made.native);
  const auto signature = dir.write("report.yaml.sig", made.armored);
  CHECK(our_verify(key, report, signature) == 0);
  CHECK(ssh_keygen_verifies(dir, key, report, signature) == 0);
}

TEST_CASE("keys that cannot be used give one line and never their contents") {
  const TempDir dir("scs-sshsig");
  const auto key = make_key(dir, "id_ed25519");
  const auto secret_body = read_text(key);
  const auto some_secret_line = secret_body.substr(secret_body.find('\n') + 1, 40);
  const auto report = dir.write("report.yaml", sample_report());

  std::filesystem::permissions(key, std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  CHECK_THROWS_WITH(scs::ssh::sign_with_key_file(key, "x"), Catch::Contains("readable by others (mode 640)"));

  auto damaged = secret_body;
  damaged.replace(damaged.find('\n') + 80, 8, "AAAAAAAA");
  const auto broken = dir.write("broken", damaged);
  std::filesystem::permissions(broken,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  try {
    (void)scs::ssh::sign_with_key_file(broken, "x");
    FAIL("a damaged key signed");
  } catch (const scs::ConfigError& error) {
    const std::string message = error.what();
    CHECK(message.find("broken") != std::string::npos);
    CHECK(message.find(some_secret_line) == std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
  CHECK_THROWS_AS(scs::ssh::sign_with_key_file(dir / "missing", "x"), scs::ConfigError);
}

TEST_CASE("wire and base64 helpers refuse truncated or malformed input") {
  scs::ssh::WireReader reader(
      std::string_view("\0\0\0\x05"
                       "abc",
                       7));
  CHECK_THROWS_AS(reader.string(), scs::ssh::FormatError);
  CHECK_THROWS_AS(scs::ssh::decode_base64("ab$d"), scs::ssh::FormatError);
  CHECK(scs::ssh::decode_base64("cmVw\nb3J0\n") == "report");
  CHECK_THROWS_AS(
      scs::ssh::parse_armored("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"),
      scs::ssh::FormatError);
}

// Found by fuzzing (tests/fuzz/ssh.cpp): a key line whose blob names another type quoted that
// type, line breaks and all.
TEST_CASE("a FormatError is one line, even when it quotes the bytes of a key") {
  const std::string blob = scs::ssh::WireWriter().string("ssh-e\n25519").string(std::string(32, 'k')).bytes();
  const auto line = "ssh-ed25519 " + scs::base64_encode(blob);
  try {
    (void)scs::ssh::parse_public_key_line(line);
    FAIL("parsed a key whose blob names another type");
  } catch (const scs::ssh::FormatError& error) {
    CHECK(std::string(error.what()).find('\n') == std::string::npos);
    CHECK(std::string(error.what()).find("ssh-e\\n25519") != std::string::npos);
  }
}

TEST_CASE("principal patterns: OpenSSH's * and ?, and negation") {
  using scs::ssh::matches_pattern_list;
  CHECK(matches_pattern_list("ops@example.com", {"*@example.com"}));
  CHECK(matches_pattern_list("ops@example.com", {"op?@example.*"}));
  CHECK(matches_pattern_list("ops@example.com", {"*"}));
  CHECK(matches_pattern_list("", {"*"}));
  CHECK(matches_pattern_list("abcabd", {"*ab?"}));
  CHECK(matches_pattern_list("aaa", {"a*a*a"}));
  CHECK_FALSE(matches_pattern_list("aa", {"a*a*a"}));
  CHECK_FALSE(matches_pattern_list("ops@example.com", {"*@example.org"}));
  CHECK_FALSE(matches_pattern_list("ops@example.com", {"?"}));
  CHECK_FALSE(matches_pattern_list("", {"?"}));
  CHECK_FALSE(matches_pattern_list("ops@example.com", {"*@example.com", "!ops@*"}));
  CHECK(matches_pattern_list("dev@example.com", {"*@example.com", "!ops@*"}));
}

// Found by fuzzing (tests/fuzz/ssh.cpp, in the 10-minute run): trying every split at every `*`
// took exponential time; a pattern of many `*?` against a long value that does not match must
// be answered at once (this one took longer than the fuzzer's 25 s before).
TEST_CASE("a pattern of many wildcards against a long value that does not match ends at once") {
  const std::string value(4000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*?";
  CHECK_FALSE(scs::ssh::matches_pattern_list(value, {pattern + "b"}));
  CHECK(scs::ssh::matches_pattern_list(value + "b", {pattern + "b"}));
}

// Found by fuzzing (tests/fuzz/ssh.cpp, in the 10-minute run): the reason quoted the
// signature's namespace, line breaks and all.
TEST_CASE("the reason a signature for another namespace is refused is one line") {
  scs::ssh::SshSignature signature;
  signature.sig_namespace = "r\neport";
  std::string reason;
  CHECK_FALSE(scs::ssh::verify_ed25519(signature, "report: 1\n", "report", reason));
  CHECK(reason.find('\n') == std::string::npos);
  CHECK(reason.find("r\\neport") != std::string::npos);
}
