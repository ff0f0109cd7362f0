// The attestation file of `run --attest` (src/run/attestations.hpp load_attestations), read
// strictly: a SpecError "file:line: message" or attestations. Those read are then bound to the
// manual testcases of the bundled IaaS scope (apply_attestations), whose warnings and outcome
// summaries are printed one per line: each must be one line too.
#include <array>
#include <span>

#include "fuzz_support.hpp"
#include "run/attestations.hpp"
#include "spec/spec.hpp"

namespace {

const scs::Scope& scope() {
  static const scs::Scope loaded =
      scs::load_scope(SCS_SOURCE_DIR "/standards/scopes/scs-compatible-iaas.yaml");
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = scs::fuzz::put_file("attestations.yaml", scs::fuzz::text_of(data, size));
  const std::array<std::string, 1> paths{file.string()};
  std::vector<scs::Attestation> attestations;
  scs::fuzz::contract([&] { attestations = scs::load_attestations(paths); });
  if (attestations.empty()) return 0;
  const auto reported = scs::reported_manual_ids(scope(), {}, true);
  scs::fuzz::contract([&] {
    const auto manual =
        scs::apply_attestations(scope(), attestations, reported, "testcloud-member", "2026-12-07");
    if (manual.outcomes.size() != reported.size())
      scs::fuzz::finding("not one outcome per reported manual testcase", "ManualOutcomes", "");
    for (const auto& warning : manual.warnings) scs::fuzz::check_message("ManualOutcomes::warnings", warning);
    for (const auto& outcome : manual.outcomes)
      scs::fuzz::check_message("TestcaseOutcome::result.summary", outcome.result.summary);
  });
  return 0;
}
