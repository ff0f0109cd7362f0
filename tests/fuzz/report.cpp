// Reports read back: what `verify` and `upload` check before the monitor sees a report
// (src/certify/report_identity.hpp read_report_identity), and `diff` (src/cli/diff_command.hpp,
// reports/report_summary.hpp), which compares the file with itself here: YAML reports are
// evaluated with the bundled scopes of the source tree.
#include <sstream>

#include "certify/report_identity.hpp"
#include "cli/diff_command.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = scs::fuzz::text_of(data, size);
  scs::fuzz::contract([&] { (void)scs::read_report_identity(text, "report.yaml"); });
  const auto file = scs::fuzz::put_file("report", text);
  const char* const formats[] = {"text", "markdown", "json"};
  const auto* format = formats[size % 3];
  {
    scs::fuzz::contract([&] {
      scs::DiffCommandOptions options;
      options.old_report = options.new_report = file.string();
      options.format = format;
      options.fail_on = "new-failures";
      options.scopes_dir = SCS_SOURCE_DIR "/standards/scopes";
      std::ostringstream out;
      if (scs::diff_command(options, out) != 0)
        scs::fuzz::finding("a report compared with itself got worse", "diff", out.str());
    });
  }
  return 0;
}
