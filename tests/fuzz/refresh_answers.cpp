// The network answers `refresh-data` (and the scs-0210 check's run-time refresh) reads
// (checks/kaas/version_fetch.hpp, version_policy.hpp): the first byte picks the source
// (even: endoflife.date's list of cycles, odd: the Kubernetes CVE feed) and its strictness
// (bit 1: strict, as refresh-data), the next two the HTTP status (100..999, mostly 200), the
// rest is the body. Fetched and merged into the bundled data set: an error is a scs::Error of one
// line; data merged strictly must read again once written, as refresh-data checks.
#include <nlohmann/json.hpp>

#include "checks/kaas/version_data_file.hpp"
#include "checks/kaas/version_fetch.hpp"
#include "checks/kaas/version_policy.hpp"
#include "core/files.hpp"
#include "fuzz_support.hpp"

namespace kaas = scs::checks::kaas;

namespace {

const kaas::VersionData& bundled() {
  static const kaas::VersionData data =
      kaas::parse_version_data(nlohmann::json::parse(scs::read_file(
                                   SCS_SOURCE_DIR "/standards/data/k8s-version-data.json", "version data")),
                               "bundled");
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const bool feed = (data[0] & 1) != 0;
  const auto strictness = (data[0] & 2) != 0 ? kaas::Strictness::strict : kaas::Strictness::lenient;
  const int code = data[1] << 8 | data[2];
  const long status = code < 0xf000 ? 200 : 100 + code % 900;
  scs::fuzz::FixedAnswer transport(status, scs::fuzz::text_of(data + 3, size - 3));
  scs::fuzz::contract([&] {
    const auto url = feed ? kaas::kCveFeedUrl : kaas::kEndOfLifeUrl;
    const auto answer = kaas::fetch_source_json(transport, url);
    auto merged = bundled();
    const auto today = *kaas::parse_date("2026-12-07");
    if (feed) {
      kaas::merge_cve_feed(merged, answer, strictness);
    } else {
      kaas::merge_endoflife(merged, answer, today, strictness);
    }
    for (const auto& remark : merged.remarks) scs::fuzz::check_message("VersionData::remarks", remark);
    if (strictness == kaas::Strictness::strict) {
      // refresh-data refuses to write what it cannot read: for an answer it accepted, a bug.
      merged.retrieved = today;
      try {
        (void)kaas::parse_version_data(nlohmann::json::parse(kaas::version_data_to_json(merged).dump(2)),
                                       "the regenerated data");
      } catch (const scs::Error& error) {
        scs::fuzz::finding("refresh-data would write data it cannot read", "ConfigError", error.what());
      }
    }
  });
  return 0;
}
