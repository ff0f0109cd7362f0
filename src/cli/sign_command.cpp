// scs-conformance sign REPORT --key KEY
#include <ostream>

#include <fmt/format.h>

#include "certify/file_bytes.hpp"
#include "certify/key_signer.hpp"
#include "certify/report_identity.hpp"
#include "cli/certify_commands.hpp"
#include "core/files.hpp"

namespace scs {

int sign_command(const SignCommandOptions& options, std::ostream& out) {
  const auto report = read_file(options.report, "report");
  // Refuse what the monitor could not file anyway, before anything is written.
  read_report_identity(report, options.report);
  const auto made = ssh::sign_with_key_file(options.key, report);
  const auto output = options.output.value_or(options.report + ".sig");
  write_file_atomically(output, made.armored, 0644);
  out << fmt::format("signed {} ({} {}, {}) -> {}\n", options.report, made.signer.type,
                     made.signer.fingerprint(), made.native ? "native" : "ssh-keygen", output);
  return 0;
}

}  // namespace scs
