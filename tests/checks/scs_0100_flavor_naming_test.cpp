#include "checks/scs_0100_flavor_naming.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using scs::Finding;
using scs::Flavor;
using scs::Result;
using scs::Status;
using scs::checks::check_flavor_name_semantics;
using scs::checks::check_flavor_name_syntax;

namespace {

Flavor flavor(std::string name, int vcpus, long long ram_mib, long long disk_gb,
              std::map<std::string, std::string> extra_specs = {}) {
  Flavor f;
  f.id = "id-" + name;
  f.name = std::move(name);
  f.vcpus = vcpus;
  f.ram_mib = ram_mib;
  f.disk_gb = disk_gb;
  f.extra_specs = std::move(extra_specs);
  return f;
}

// "subject: message" lines, for readable failures and exact comparisons.
std::vector<std::string> evidence(const Result& result) {
  std::vector<std::string> lines;
  for (const auto& finding : result.evidence) lines.push_back(finding.subject + ": " + finding.message);
  return lines;
}

bool has_note_containing(const Result& result, const std::string& text) {
  return std::any_of(result.notes.begin(), result.notes.end(),
                     [&](const std::string& note) { return note.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("scs-0100-syntax-check", "[checks][scs-0100][flavor-name-syntax]") {
  SECTION("passes without SCS flavors") {
    const auto result =
        check_flavor_name_syntax({flavor("m1.small", 1, 2048, 20), flavor("scs-2V-4", 2, 4096, 0)});
    CHECK(result.status == Status::pass);
    CHECK(result.summary == "no flavor name starts with SCS-");
  }
  SECTION("passes valid names and notes v1 and non-canonical spellings") {
    const auto result =
        check_flavor_name_syntax({flavor("SCS-2V-4", 2, 4096, 0), flavor("SCS-2V:8", 2, 8192, 0),
                                  flavor("SCS-4V-16.0", 4, 16384, 0), flavor("m1.tiny", 1, 512, 1)});
    CHECK(result.status == Status::pass);
    CHECK(result.summary == "all 3 SCS flavor names follow the scs-0100 syntax");
    CHECK(result.notes ==
          std::vector<std::string>{
              "flavor SCS-2V:8: v1 name, merely tolerated by scs-0100 v3; the v3 spelling is SCS-2V-8",
              "flavor SCS-4V-16.0: valid, but the canonical spelling is SCS-4V-16"});
  }
  SECTION("fails and names every invalid flavor with the reason") {
    const auto result =
        check_flavor_name_syntax({flavor("SCS-2V-4", 2, 4096, 0), flavor("SCS-2C-4ou-10n", 2, 4096, 10),
                                  flavor("SCS-2V-4.25", 2, 4352, 0), flavor("SCS-4V-16", 4, 16384, 0)});
    CHECK(result.status == Status::fail);
    CHECK(result.summary == "2 of 4 SCS flavor names break the scs-0100 syntax");
    CHECK(evidence(result) ==
          std::vector<std::string>{
              "flavor SCS-2C-4ou-10n: Extra characters: u-10n (the RAM flag u must come before o)",
              "flavor SCS-2V-4.25: RAM must be a multiple of 0.5 GiB, not 4.25"});
  }
  SECTION("an absurd number is a failure with a reason, not an abort") {
    const auto result = check_flavor_name_syntax({flavor("SCS-2V-" + std::string(400, '7'), 2, 4096, 0)});
    CHECK(result.status == Status::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK_THAT(result.evidence[0].message, Catch::Contains("is too large"));
  }
}

TEST_CASE("scs-0100-semantics-check", "[checks][scs-0100][flavor-name-semantics]") {
  SECTION("passes when every flavor delivers at least what its name promises") {
    const auto result = check_flavor_name_semantics({
        flavor("SCS-2V-4", 2, 4096, 0),
        flavor("SCS-2V-4-20s", 4, 8192, 40),  // understating is allowed
        flavor("SCS-1V-0.5", 1, 512, 0),
        flavor("SCS-2C-4-", 2, 4096, 0),  // the cloud picks the size: the reference aborts here
        flavor("SCS-2C-4-n", 2, 4096, 0),
        flavor("SCS-2V:8:20", 2, 8192, 20),  // tolerated v1 names are checked too
        flavor("SCS-2V-4ou-x", 1, 1, 0),     // invalid: the syntax check's business
        flavor("m1.small", 1, 1, 1),
    });
    CHECK(result.status == Status::pass);
    CHECK(result.summary == "6 flavors with SCS names or scs: extra specs deliver what they promise");
    CHECK(result.evidence.empty());
  }
  SECTION("fails and names each flavor with each shortfall") {
    const auto result = check_flavor_name_semantics({
        flavor("SCS-2V-4", 1, 4096, 0),
        flavor("SCS-2V-8", 2, 7680, 0),
        flavor("SCS-4V-16-100s", 4, 16384, 50),
        flavor("SCS-2V-4-3x10", 2, 4096, 0),
        flavor("SCS-4V-16", 4, 16384, 0),
    });
    CHECK(result.status == Status::fail);
    CHECK(result.summary == "4 of 5 flavors have names or scs: extra specs that do not hold");
    CHECK(evidence(result) == std::vector<std::string>{
                                  "flavor SCS-2V-4: has 1 vCPU, but the name promises 2",
                                  "flavor SCS-2V-8: RAM is 7680 MiB, but the name promises 8 GiB (8192 MiB)",
                                  "flavor SCS-4V-16-100s: root disk is 50 GB, but the name promises 100 GB",
                                  "flavor SCS-2V-4-3x10: root disk is 0 GB, but the name promises 10 GB",
                              });
  }
  SECTION("RAM: the official 51 MiB tolerance, and a note when it is used") {
    const auto within = check_flavor_name_semantics({flavor("SCS-2V-4", 2, 4096 - 51, 0)});
    CHECK(within.status == Status::pass);
    CHECK(has_note_containing(within, "RAM is 4045 MiB, 51 MiB short of the 4 GiB the name promises"));
    const auto beyond = check_flavor_name_semantics({flavor("SCS-2V-4", 2, 4096 - 52, 0)});
    CHECK(beyond.status == Status::fail);
    CHECK(
        evidence(beyond) ==
        std::vector<std::string>{"flavor SCS-2V-4: RAM is 4044 MiB, but the name promises 4 GiB (4096 MiB)"});
    CHECK(check_flavor_name_semantics({flavor("SCS-1V-3.5", 1, 3584, 0)}).notes.empty());
    CHECK(evidence(check_flavor_name_semantics({flavor("SCS-1V-3.5", 1, 3072, 0)})) ==
          std::vector<std::string>{
              "flavor SCS-1V-3.5: RAM is 3072 MiB, but the name promises 3.5 GiB (3584 MiB)"});
  }
  SECTION("scs:cpu-type must be known and keep the name's promise") {
    const auto result = check_flavor_name_semantics({
        flavor("SCS-2V-4", 2, 4096, 0, {{"scs:cpu-type", "shared-core"}}),
        flavor("SCS-2L-4", 2, 4096, 0, {{"scs:cpu-type", "dedicated-core"}}),  // the name understates
        flavor("SCS-2C-4", 2, 4096, 0, {{"scs:cpu-type", "shared-core"}}),
        flavor("SCS-2T-4", 2, 4096, 0, {{"scs:cpu-type", "turbo"}}),
    });
    CHECK(result.status == Status::fail);
    CHECK(evidence(result) ==
          std::vector<std::string>{
              "flavor SCS-2C-4: extra spec scs:cpu-type is shared-core, but the name promises C "
              "(dedicated-core)",
              "flavor SCS-2T-4: extra spec scs:cpu-type is 'turbo', not one of crowded-core, shared-core, "
              "dedicated-thread, dedicated-core"});
  }
  SECTION("scs:diskN-type must be known and keep the disk letter's promise") {
    const auto result = check_flavor_name_semantics({
        flavor("SCS-2V-4-20s", 2, 4096, 20, {{"scs:disk0-type", "nvme"}}),  // NVMe keeps an SSD promise
        flavor("SCS-2V-4-20", 2, 4096, 20, {{"scs:disk0-type", "hdd"}}),    // untyped: anything known
        flavor("SCS-2V-4-20n", 2, 4096, 20, {{"scs:disk0-type", "ssd"}}),   // local is not network
        flavor("SCS-2V-4-2x20s", 2, 4096, 20, {{"scs:disk0-type", "ssd"}, {"scs:disk1-type", "hdd"}}),
        flavor("SCS-2V-4-20p", 2, 4096, 20, {{"scs:disk0-type", "flash"}}),
    });
    CHECK(
        evidence(result) ==
        std::vector<std::string>{
            "flavor SCS-2V-4-20n: extra spec scs:disk0-type is ssd, but the name promises n (network)",
            "flavor SCS-2V-4-2x20s: extra spec scs:disk1-type is hdd, but the name promises s (ssd)",
            "flavor SCS-2V-4-20p: extra spec scs:disk0-type is 'flash', not one of network, hdd, ssd, nvme"});
  }
  SECTION("scs:name-vN: valid names this flavor can carry") {
    const auto result = check_flavor_name_semantics({
        flavor("SCS-2V-4-20s", 2, 4096, 20,
               {{"scs:name-v1", "SCS-2V:4:20s"},
                {"scs:name-v2", "SCS-2V-4-20s"},
                {"scs:name-v3", "SCS-2V-4-20s_kvm"}}),
        flavor("SCS-4V-16", 4, 16384, 0, {{"scs:name-v2", "SCS-4V-32"}}),
        flavor("SCS-4V-8", 4, 8192, 0, {{"scs:name-v1", "SCS-4V:8:"}, {"scs:name-v2", "SCS-4V-8-?"}}),
        flavor("SCS-8V-16", 8, 16384, 0, {{"scs:name-v2", "SCS-4V-8"}}),  // understates: a note
    });
    CHECK(result.status == Status::fail);
    CHECK(evidence(result) ==
          std::vector<std::string>{
              "flavor SCS-4V-16: RAM is 16384 MiB, but scs:name-v2 SCS-4V-32 promises 32 GiB "
              "(32768 MiB)",
              "flavor SCS-4V-8: extra spec scs:name-v2 is 'SCS-4V-8-?', which is not a valid SCS "
              "flavor name: Extra characters: ?",
          });
    CHECK(has_note_containing(result,
                              "flavor SCS-8V-16: extra spec scs:name-v2=SCS-4V-8 names another flavor"));
    CHECK_FALSE(has_note_containing(result, "flavor SCS-2V-4-20s"));
  }
  SECTION("flavors without an SCS name are checked by their scs: extra specs") {
    const auto result = check_flavor_name_semantics({
        flavor("m1.medium", 2, 4096, 0, {{"scs:name-v2", "SCS-2V-4"}, {"scs:cpu-type", "crowded-core"}}),
        flavor("m1.large", 4, 8192, 0, {{"hw:cpu_policy", "dedicated"}}),
    });
    CHECK(result.status == Status::fail);
    CHECK(result.summary == "1 of 1 flavors have names or scs: extra specs that do not hold");
    CHECK(evidence(result) ==
          std::vector<std::string>{"flavor m1.medium: extra spec scs:cpu-type is crowded-core, "
                                   "but scs:name-v2 SCS-2V-4 promises V (shared-core)"});
  }
}
