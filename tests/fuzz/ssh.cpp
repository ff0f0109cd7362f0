// SSH signatures, keys and allowed signers (src/certify: sshsig.hpp parse_armored and
// verify_ed25519, ssh_keys.hpp parse_public_key_line, public_key_from_blob and
// parse_openssh_private_key, allowed_signers.hpp parse_allowed_signers and find_signer). The
// first byte chooses the parser. These parsers throw ssh::FormatError (ssh_wire.hpp), which
// every caller turns into a ConfigError with the file's name: for them it counts as scs::Error.
#include "certify/allowed_signers.hpp"
#include "certify/ssh_keys.hpp"
#include "certify/ssh_wire.hpp"
#include "certify/sshsig.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scs::ssh;
  if (size == 0) return 0;
  const int kind = data[0] % 5;
  const auto text = scs::fuzz::text_of(data + 1, size - 1);
  scs::fuzz::contract([&] {
    try {
      switch (kind) {
        case 0: {
          const auto signature = parse_armored(text);
          (void)signature.signer.fingerprint();
          if (supports_native(signature)) {
            std::string reason;
            if (!verify_ed25519(signature, "report", report_namespace, reason))
              scs::fuzz::check_message("verify_ed25519's reason", reason);
          }
          break;
        }
        case 1: {
          const auto key = parse_public_key_line(text);
          (void)key.fingerprint();
          (void)key.base64();
          (void)key.ed25519_bytes();
          break;
        }
        case 2:
          (void)public_key_from_blob(text).fingerprint();
          break;
        case 3: {
          const auto file = parse_openssh_private_key(text);
          if (file.key) (void)file.key->sign("report");
          break;
        }
        default: {
          const auto signers = parse_allowed_signers(text);
          for (const auto& signer : signers) {
            (void)find_signer(signers, signer.key, report_namespace, "20261207");
            (void)matches_pattern_list("ops@example.com", signer.principals);
          }
          break;
        }
      }
    } catch (const FormatError& error) {
      scs::fuzz::check_message("scs::ssh::FormatError", error.what());
    }
  });
  return 0;
}
