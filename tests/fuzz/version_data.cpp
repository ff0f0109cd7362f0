// The Kubernetes version data file of scs-0210 (checks/kaas/version_data_file.hpp,
// parse_version_data), as `refresh-data --input` and the check read it: a ConfigError or data.
// Data that was read must survive the writer (version_data_to_json, what refresh-data writes):
// read again, it gives the same file, and the rules of the policy judge it without an exception.
#include <nlohmann/json.hpp>

#include "checks/kaas/version_data_file.hpp"
#include "checks/kaas/version_policy.hpp"
#include "fuzz_support.hpp"

namespace kaas = scs::checks::kaas;

namespace {

// What the writer drops (the suffix of a version) is data lost in a round trip too.
std::string suffixes(const kaas::VersionData& data) {
  std::string all;
  for (const auto& patch : data.patches) all += patch.version.suffix + '|';
  for (const auto& cve : data.cves) {
    for (const auto& range : cve.affected) all += range.from.suffix + '|' + range.fixed.suffix + '|';
  }
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = nlohmann::json::parse(scs::fuzz::text_of(data, size), nullptr, false);
  if (document.is_discarded()) return 0;  // no JSON: the callers say so before parse_version_data
  scs::fuzz::contract([&] {
    const auto first = kaas::parse_version_data(document, "fuzz.json");
    const auto written = kaas::version_data_to_json(first).dump(2);
    const auto second = kaas::parse_version_data(nlohmann::json::parse(written), "written.json");
    const auto rewritten = kaas::version_data_to_json(second).dump(2);
    if (rewritten != written)
      scs::fuzz::finding("written and read again, the data changed", "version_data_to_json", rewritten);
    if (suffixes(first) != suffixes(second))
      scs::fuzz::finding("the writer dropped a version suffix", "version_data_to_json", suffixes(first));
    for (const auto* version : {"1.31.4", "1.0.0", "2.99.1"}) {
      (void)kaas::evaluate_version_policy(*kaas::parse_kube_version(version), *kaas::parse_date("2026-12-07"),
                                          first);
    }
  });
  return 0;
}
