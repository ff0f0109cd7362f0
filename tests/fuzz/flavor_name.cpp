// scs-0100 flavor names (checks/flavor_name.hpp): parse_flavor_name never throws; a name it
// accepts can be spelled again in every form, and its canonical spelling is valid and canonical.
#include "checks/flavor_name.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scs::checks;
  const auto text = scs::fuzz::text_of(data, size);
  scs::fuzz::contract([&] {
    (void)is_scs_name(text);
    (void)v3_to_v1_spelling(text);
    (void)v1_to_v3_spelling(text);
    (void)cpu_type_from_extra_spec(text);
    (void)disk_type_from_extra_spec(text);
    const auto result = parse_flavor_name(text);
    if (!result.name) return;
    const auto canonical = canonical_name(*result.name);
    (void)v1_name(*result.name);
    (void)short_name(*result.name);
    (void)name_variants(*result.name);
    (void)describe(*result.name);
    // The canonical spelling is valid and its own canonical spelling. (Not "the same name": an
    // explicit CPU generation 0 and none at all have one spelling, by design.)
    const auto again = parse_flavor_name(canonical);
    if (!again.valid() || canonical_name(*again.name) != canonical)
      scs::fuzz::finding("the canonical spelling is not canonical", "flavor name", canonical);
  });
  return 0;
}
