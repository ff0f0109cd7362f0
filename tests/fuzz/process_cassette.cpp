// Process cassettes (src/clients/process/process_cassette.hpp ReplayingProcessRunner), outside
// input to `run --replay`. Loads the file and asks for lookups; run() is not called, since a
// replayed invocation writes its recorded outputs to the recorded paths.
#include "clients/process/process_cassette.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = scs::fuzz::put_file("processes.json", scs::fuzz::text_of(data, size));
  scs::fuzz::contract([&] {
    scs::ReplayingProcessRunner replay(file);
    (void)replay.unused();
    for (const auto* program : {"sonobuoy", "hydrophone"}) {
      try {
        (void)replay.find(program);
      } catch (const scs::Error& error) {
        scs::fuzz::check_message(scs::fuzz::type_name(typeid(error)), error.what());
      }
    }
  });
  return 0;
}
