// Standard and scope YAML (src/spec: load_standard, load_scope). The first byte chooses which;
// the rest is the file.
#include "fuzz_support.hpp"
#include "spec/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool scope = (data[0] & 1) != 0;
  const auto file =
      scs::fuzz::put_file(scope ? "scope.yaml" : "standard.yaml", scs::fuzz::text_of(data + 1, size - 1));
  scs::fuzz::contract([&] {
    if (scope) {
      const auto loaded = scs::load_scope(file.string());
      (void)scs::versions_in_force(loaded, "2026-12-07");
      (void)scs::with_recommended_companions(loaded);
    } else {
      (void)scs::load_standard(file.string());
    }
  });
  return 0;
}
