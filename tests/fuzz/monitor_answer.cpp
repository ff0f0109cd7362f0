// The compliance monitor's answers to an upload (src/certify/monitor_client.hpp upload_report):
// never an exception, and the reason, shown to the user, one line without the password. The
// first two bytes are the HTTP status (100..999), the rest the body. Also the credentials file
// (read_monitor_credentials) with the same bytes.
#include <sys/stat.h>

#include "certify/monitor_client.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const long status = 100 + (data[0] << 8 | data[1]) % 900;
  const auto body = scs::fuzz::text_of(data + 2, size - 2);
  scs::fuzz::FixedAnswer transport(status, body);
  const scs::MonitorCredentials credentials{"provider", "monitor-password"};
  scs::UploadRequest request{"https://monitor.test/", "-----BEGIN SSH SIGNATURE-----", "report: 1",
                             "application/x-signed-yaml", "provider"};
  scs::fuzz::contract([&] {
    const auto result =
        scs::upload_report(transport, credentials, request, {.attempts = 2, .first_backoff = {}});
    if (!result.reason.empty()) {
      scs::fuzz::check_message("UploadResult::reason", result.reason);
      if (result.reason.find(credentials.password) != std::string::npos)
        scs::fuzz::finding("the reason shows the password", "UploadResult::reason", result.reason);
    }
  });
  const auto file = scs::fuzz::put_file("credentials", body);
  ::chmod(file.c_str(), 0600);
  scs::fuzz::contract([&] { (void)scs::read_monitor_credentials(file); });
  return 0;
}
