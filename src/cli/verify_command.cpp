// scs-conformance verify REPORT [--sig FILE] (--allowed-signers FILE | --public-key FILE)
#include <ctime>
#include <ostream>

#include <fmt/format.h>

#include "certify/allowed_signers.hpp"
#include "certify/report_identity.hpp"
#include "certify/ssh_keygen.hpp"
#include "certify/ssh_wire.hpp"
#include "certify/sshsig.hpp"
#include "cli/certify_commands.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {
namespace {

std::string utc_now() {
  const auto now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

struct Judgement {
  bool holds = false;
  std::string signer;  // principals, or "the public key in FILE"
  std::string reason;
};

// The signature against the trusted keys: natively for Ed25519, by ssh-keygen otherwise.
Judgement judge(const VerifyCommandOptions& options, const ssh::SshSignature& signature,
                const std::string& armored, const std::string& report) {
  Judgement judgement;
  std::vector<ssh::AllowedSigner> signers;
  if (options.public_key) {
    ssh::AllowedSigner only;
    only.principals = {"report-signer"};
    only.key = ssh::read_public_key_file(*options.public_key);
    signers.push_back(std::move(only));
  } else {
    signers = ssh::read_allowed_signers(*options.allowed_signers);
  }
  const auto source = options.public_key ? *options.public_key : *options.allowed_signers;
  if (!ssh::supports_native(signature)) {
    std::string allowed;
    if (options.public_key) {
      allowed = fmt::format("report-signer {} {}\n", signers.front().key.type, signers.front().key.base64());
    } else {
      allowed = read_file(*options.allowed_signers, "allowed-signers file");
    }
    const auto principal =
        ssh::ssh_keygen_verify(allowed, armored, report, ssh::report_namespace, judgement.reason);
    judgement.holds = !principal.empty();
    judgement.signer = options.public_key ? fmt::format("the key in {}", source) : principal;
    return judgement;
  }
  const auto* allowed = ssh::find_signer(signers, signature.signer, ssh::report_namespace, utc_now());
  if (allowed == nullptr) {
    judgement.reason = fmt::format("signed by {} {}, which {} does not allow to sign reports",
                                   signature.signer.type, signature.signer.fingerprint(), source);
    return judgement;
  }
  judgement.holds = ssh::verify_ed25519(signature, report, ssh::report_namespace, judgement.reason);
  judgement.signer = options.public_key ? fmt::format("the key in {}", source) : join(allowed->principals);
  return judgement;
}

}  // namespace

int verify_command(const VerifyCommandOptions& options, std::ostream& out, std::ostream& err) {
  if (options.allowed_signers.has_value() == options.public_key.has_value())
    throw UsageError("verify needs exactly one of --allowed-signers FILE and --public-key FILE");
  const auto signature_file = options.signature.value_or(options.report + ".sig");
  const auto report = read_file(options.report, "report");
  const auto armored = read_file(signature_file, "signature");

  const auto fail = [&](const std::string& reason) {
    err << fmt::format("{}: signature does not hold: {}\n", options.report, reason);
    return 1;
  };
  ssh::SshSignature signature;
  try {
    signature = ssh::parse_armored(armored);
  } catch (const ssh::FormatError& error) {
    return fail(fmt::format("{} is not a valid SSH signature ({})", signature_file, error.what()));
  }
  const auto judgement = judge(options, signature, armored, report);
  if (!judgement.holds) return fail(judgement.reason);

  ReportDocuments documents;
  try {
    documents = read_report_identity(report, options.report);
  } catch (const ReportFormatError& error) {
    err << fmt::format("{}: the signature holds, but {}\n", options.report, error.what());
    return 1;
  }
  out << fmt::format("{}: good signature by {} ({} {})\n", options.report, judgement.signer,
                     signature.signer.type, signature.signer.fingerprint());
  for (const auto& document : documents.documents) {
    out << fmt::format("  subject {}, scope {} ({}), run {}, checked at {}, {} results\n", document.subject,
                       document.scope_name.empty() ? "?" : document.scope_name, document.scope_uuid,
                       document.run_uuid, document.checked_at, document.results);
  }
  return 0;
}

}  // namespace scs
