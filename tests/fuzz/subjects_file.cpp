// The subjects file of `batch` (src/cli/subjects_file.hpp read_subjects), with the bundled
// scopes of the source tree.
#include "cli/subjects_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = scs::fuzz::put_file("subjects.yaml", scs::fuzz::text_of(data, size));
  scs::fuzz::contract([&] { (void)scs::read_subjects(file.string(), SCS_SOURCE_DIR "/standards"); });
  return 0;
}
