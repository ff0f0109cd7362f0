// scs-0121 availability zones: the compliant recording's catalog, with the zone listings of
// Nova (port 8774) and Cinder (port 8776) canned, since no scope version of the SCS-compatible
// IaaS scope asks for them (our extras scope does).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::CannedAnswer;
using scs::testing::mentions;
using scs::testing::run_check;

namespace {

constexpr const char* check = "availability-zones-storage-match-compute";

// {"availabilityZoneInfo": [...]} with each zone as Nova and Cinder list it.
std::string listing(const std::vector<std::pair<std::string, bool>>& zones) {
  std::string items;
  for (const auto& [name, available] : zones) {
    if (!items.empty()) items += ", ";
    items += R"({"zoneName": ")" + name + R"(", "zoneState": {"available": )" +
             (available ? "true" : "false") + R"(}, "hosts": null})";
  }
  return R"({"availabilityZoneInfo": [)" + items + "]}";
}

scs::Result judge(const std::vector<std::pair<std::string, bool>>& compute,
                  const std::vector<std::pair<std::string, bool>>& storage) {
  return run_check("compliant", check, scs::Params::object(),
                   {{":8774/v2.1/os-availability-zone", 200, listing(compute)},
                    {"/os-availability-zone", 200, listing(storage)}});
}

}  // namespace

TEST_CASE("scs-0121-storage-zones passes on one storage zone or the compute zones", "[checks][scs-0121]") {
  // The default of every small cloud: nova everywhere.
  CHECK(judge({{"nova", true}}, {{"nova", true}}).status == Status::pass);
  // Several compute zones over one storage zone (a backend replicating across fire zones).
  const auto single = judge({{"az1", true}, {"az2", true}, {"az3", true}}, {{"storage", true}});
  CHECK(single.status == Status::pass);
  CHECK_THAT(single.summary, Catch::Contains("one storage availability zone (storage)"));
  // One storage zone per compute zone, by name.
  CHECK(judge({{"az1", true}, {"az2", true}}, {{"az2", true}, {"az1", true}}).status == Status::pass);
  // A zone listed as not available is named, not judged.
  const auto disabled = judge({{"nova", true}}, {{"nova", true}, {"az2", false}});
  CHECK(disabled.status == Status::pass);
  CHECK_THAT(disabled.summary, Catch::Contains("not judged: storage az2"));
}

TEST_CASE("scs-0121-storage-zones fails and names the zones that do not match", "[checks][scs-0121]") {
  // Spelled differently in Nova and Cinder.
  const auto renamed = judge({{"nova", true}, {"AZ2", true}}, {{"nova", true}, {"az2", true}});
  CHECK(renamed.status == Status::fail);
  CHECK(renamed.evidence.size() == 2);
  CHECK(mentions(renamed, "storage availability zone az2"));
  CHECK(mentions(renamed, "compute availability zone AZ2"));
  // Storage split into zones, one compute zone without its storage zone.
  const auto missing = judge({{"az1", true}, {"az2", true}, {"az3", true}}, {{"az1", true}, {"az2", true}});
  CHECK(missing.status == Status::fail);
  CHECK(missing.evidence.size() == 1);
  CHECK(mentions(missing, "compute availability zone az3"));
  // Several storage zones over a single compute zone.
  CHECK(judge({{"nova", true}}, {{"nova", true}, {"az2", true}}).status == Status::fail);
}

TEST_CASE("scs-0121-storage-zones aborts when the zones cannot be read or judged", "[checks][scs-0121]") {
  const std::vector<std::pair<std::string, bool>> nova{{"nova", true}};
  // The first canned answer that fits wins: Nova's path first, then Cinder's (with a project id).
  for (const std::size_t broken : {0U, 1U}) {
    const std::string shown = broken == 0 ? ":8774/v2.1/os-availability-zone" : ":8776/v3/";
    INFO(shown);
    for (const auto& [status, body] : std::vector<std::pair<long, std::string>>{
             {503, R"({"error": "down"})"},
             {404, R"({"itemNotFound": {"message": "not found"}})"},
             {200, R"({"availabilityZoneInfo": []})"},
             {200, R"({"availabilityZoneInfo": [{"zoneName": "nova", "zoneState": {"available": "yes"}}]})"},
             {200, R"({"zones": []})"}}) {
      INFO(status << " " << body);
      std::vector<CannedAnswer> canned{{":8774/v2.1/os-availability-zone", 200, listing(nova)},
                                       {"/os-availability-zone", 200, listing(nova)}};
      canned[broken].status = status;
      canned[broken].body = body;
      const auto result = run_check("compliant", check, scs::Params::object(), canned);
      CHECK(result.status == Status::abort);
      CHECK_THAT(result.summary, Catch::Contains(shown) && Catch::Contains("os-availability-zone"));
    }
  }
  // Every zone of a service listed as not available: nothing to judge.
  const auto none = judge({{"nova", false}}, {{"nova", true}});
  CHECK(none.status == Status::abort);
  CHECK_THAT(none.summary, Catch::Contains("no compute availability zone is listed as available"));
}
