// scs-0101: the sample VM's console log (checks/entropy_console.hpp parse_probe), which the
// guest (and anything else writing to its serial console) controls.
#include "checks/entropy_console.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  scs::fuzz::contract([&] { (void)scs::checks::parse_probe(scs::fuzz::text_of(data, size)); });
  return 0;
}
