// A recording's recording.yaml (src/run/recording_info.hpp read_recording_info), outside input
// to `run --replay DIR`.
#include "run/recording_info.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  scs::fuzz::put_file("recording/recording.yaml", scs::fuzz::text_of(data, size));
  scs::fuzz::contract([&] { (void)scs::read_recording_info(scs::fuzz::scratch() / "recording"); });
  return 0;
}
