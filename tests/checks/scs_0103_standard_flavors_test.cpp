#include "checks/scs_0103_standard_flavors.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include "checks/flavor_name.hpp"
#include "core/errors.hpp"

using scs::Flavor;
using scs::Result;
using scs::Status;
using scs::checks::check_standard_flavor;

namespace {

// The 31 standard flavors of https://docs.scs.community/standards/scs-0103-v1-standard-flavors
// with the values the official suite expects (Tests/iaas/SCS-Spec.MandatoryFlavors.verbose.yaml).
struct StandardFlavor {
  std::string name;
  int cpus;
  long long ram_mib;
  long long disk_gb;  // 0: no disk
  std::string cpu_type;
  std::string disk0_type;  // "" without disk; "network" where the official suite requires it
  std::string name_v1;
  std::string name_v2;
};

const std::vector<StandardFlavor>& standard_flavors() {
  static const std::vector<StandardFlavor> flavors = {
      // mandatory
      {"SCS-1V-4", 1, 4096, 0, "shared-core", "", "SCS-1V:4", "SCS-1V-4"},
      {"SCS-2V-8", 2, 8192, 0, "shared-core", "", "SCS-2V:8", "SCS-2V-8"},
      {"SCS-4V-16", 4, 16384, 0, "shared-core", "", "SCS-4V:16", "SCS-4V-16"},
      {"SCS-8V-32", 8, 32768, 0, "shared-core", "", "SCS-8V:32", "SCS-8V-32"},
      {"SCS-1V-2", 1, 2048, 0, "shared-core", "", "SCS-1V:2", "SCS-1V-2"},
      {"SCS-2V-4", 2, 4096, 0, "shared-core", "", "SCS-2V:4", "SCS-2V-4"},
      {"SCS-4V-8", 4, 8192, 0, "shared-core", "", "SCS-4V:8", "SCS-4V-8"},
      {"SCS-8V-16", 8, 16384, 0, "shared-core", "", "SCS-8V:16", "SCS-8V-16"},
      {"SCS-16V-32", 16, 32768, 0, "shared-core", "", "SCS-16V:32", "SCS-16V-32"},
      {"SCS-1V-8", 1, 8192, 0, "shared-core", "", "SCS-1V:8", "SCS-1V-8"},
      {"SCS-2V-16", 2, 16384, 0, "shared-core", "", "SCS-2V:16", "SCS-2V-16"},
      {"SCS-4V-32", 4, 32768, 0, "shared-core", "", "SCS-4V:32", "SCS-4V-32"},
      {"SCS-1L-1", 1, 1024, 0, "crowded-core", "", "SCS-1L:1", "SCS-1L-1"},
      {"SCS-2V-4-20s", 2, 4096, 20, "shared-core", "ssd", "SCS-2V:4:20s", "SCS-2V-4-20s"},
      {"SCS-4V-16-100s", 4, 16384, 100, "shared-core", "ssd", "SCS-4V:16:100s", "SCS-4V-16-100s"},
      // recommended
      {"SCS-1V-4-10", 1, 4096, 10, "shared-core", "network", "SCS-1V:4:10", "SCS-1V-4-10"},
      {"SCS-2V-8-20", 2, 8192, 20, "shared-core", "network", "SCS-2V:8:20", "SCS-2V-8-20"},
      {"SCS-4V-16-50", 4, 16384, 50, "shared-core", "network", "SCS-4V:16:50", "SCS-4V-16-50"},
      {"SCS-8V-32-100", 8, 32768, 100, "shared-core", "network", "SCS-8V:32:100", "SCS-8V-32-100"},
      {"SCS-1V-2-5", 1, 2048, 5, "shared-core", "network", "SCS-1V:2:5", "SCS-1V-2-5"},
      {"SCS-2V-4-10", 2, 4096, 10, "shared-core", "network", "SCS-2V:4:10", "SCS-2V-4-10"},
      {"SCS-4V-8-20", 4, 8192, 20, "shared-core", "network", "SCS-4V:8:20", "SCS-4V-8-20"},
      {"SCS-8V-16-50", 8, 16384, 50, "shared-core", "network", "SCS-8V:16:50", "SCS-8V-16-50"},
      {"SCS-16V-32-100", 16, 32768, 100, "shared-core", "network", "SCS-16V:32:100", "SCS-16V-32-100"},
      {"SCS-1V-8-20", 1, 8192, 20, "shared-core", "network", "SCS-1V:8:20", "SCS-1V-8-20"},
      {"SCS-2V-16-50", 2, 16384, 50, "shared-core", "network", "SCS-2V:16:50", "SCS-2V-16-50"},
      {"SCS-4V-32-100", 4, 32768, 100, "shared-core", "network", "SCS-4V:32:100", "SCS-4V-32-100"},
      {"SCS-1L-1-5", 1, 1024, 5, "crowded-core", "network", "SCS-1L:1:5", "SCS-1L-1-5"},
      {"SCS-16V-64", 16, 65536, 0, "shared-core", "", "SCS-16V:64", "SCS-16V-64"},
      {"SCS-8V-64", 8, 65536, 0, "shared-core", "", "SCS-8V:64", "SCS-8V-64"},
      {"SCS-16V-128", 16, 131072, 0, "shared-core", "", "SCS-16V:128", "SCS-16V-128"},
  };
  return flavors;
}

// A flavor exactly as the official suite wants it.
Flavor compliant(const StandardFlavor& standard) {
  Flavor flavor;
  flavor.id = "id-" + standard.name;
  flavor.name = standard.name;
  flavor.vcpus = standard.cpus;
  flavor.ram_mib = standard.ram_mib;
  flavor.disk_gb = standard.disk_gb;
  flavor.extra_specs = {{"scs:cpu-type", standard.cpu_type},
                        {"scs:name-v1", standard.name_v1},
                        {"scs:name-v2", standard.name_v2}};
  if (!standard.disk0_type.empty()) flavor.extra_specs["scs:disk0-type"] = standard.disk0_type;
  return flavor;
}

Flavor compliant(const std::string& name) {
  const auto& all = standard_flavors();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const StandardFlavor& f) { return f.name == name; });
  REQUIRE(it != all.end());
  return compliant(*it);
}

std::vector<std::string> evidence(const Result& result) {
  std::vector<std::string> lines;
  for (const auto& finding : result.evidence) lines.push_back(finding.subject + ": " + finding.message);
  return lines;
}

}  // namespace

TEST_CASE("the 31 standard flavor names yield the official extra spec values", "[flavor-name][scs-0103]") {
  REQUIRE(standard_flavors().size() == 31);
  for (const auto& standard : standard_flavors()) {
    CAPTURE(standard.name);
    const auto parsed = scs::checks::parse_flavor_name(standard.name);
    REQUIRE(parsed.valid());
    const auto& name = *parsed.name;
    CHECK(name.cpus == standard.cpus);
    CHECK(name.ram_mib() == standard.ram_mib);
    CHECK((name.disk && name.disk->size_gb ? *name.disk->size_gb : 0) == standard.disk_gb);
    CHECK(scs::checks::extra_spec_value(name.cpu_type) == standard.cpu_type);
    CHECK(scs::checks::canonical_name(name) == standard.name_v2);
    CHECK(scs::checks::short_name(name) == standard.name_v2);
    CHECK(scs::checks::v1_name(name) == standard.name_v1);
    CHECK(scs::checks::name_variants(name) == std::vector<std::string>{standard.name_v1, standard.name_v2});
  }
}

TEST_CASE("standards/scs-0103-standard-flavors.yaml has one testcase per standard flavor", "[scs-0103]") {
  const auto spec = YAML::LoadFile(std::string(SCS_SOURCE_DIR) + "/standards/scs-0103-standard-flavors.yaml");
  CHECK(spec["standard"].as<std::string>() == "scs-0103");
  const auto testcases = spec["testcases"];
  REQUIRE(testcases.size() == standard_flavors().size());
  for (std::size_t i = 0; i < testcases.size(); ++i) {
    const auto& standard = standard_flavors()[i];
    std::string id_suffix = standard.name.substr(4);
    std::transform(id_suffix.begin(), id_suffix.end(), id_suffix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    CAPTURE(standard.name);
    CHECK(testcases[i]["id"].as<std::string>() == "scs-0103-flavor-" + id_suffix);
    CHECK(testcases[i]["check"].as<std::string>() == "standard-flavor");
    CHECK(testcases[i]["params"]["name"].as<std::string>() == standard.name);
  }
}

TEST_CASE("scs-0103-flavor-*", "[checks][scs-0103][standard-flavor]") {
  SECTION("every standard flavor as the official suite wants it passes") {
    std::vector<Flavor> cloud;
    for (const auto& standard : standard_flavors()) cloud.push_back(compliant(standard));
    for (const auto& standard : standard_flavors()) {
      CAPTURE(standard.name);
      const auto result = check_standard_flavor(cloud, standard.name);
      CHECK(result.status == Status::pass);
      CHECK(result.evidence.empty());
      CHECK(result.notes.empty());
    }
    CHECK(check_standard_flavor(cloud, "SCS-2V-4-20s").summary ==
          "flavor SCS-2V-4-20s present with 2 vCPUs, 4096 MiB RAM, 20 GB disk and the required extra specs");
    CHECK(check_standard_flavor(cloud, "SCS-1L-1").summary ==
          "flavor SCS-1L-1 present with 1 vCPU, 1024 MiB RAM, no disk and the required extra specs");
  }
  SECTION("a missing flavor fails") {
    const auto result = check_standard_flavor({compliant("SCS-2V-4")}, "SCS-2V-8");
    CHECK(result.status == Status::fail);
    CHECK(result.summary == "standard flavor SCS-2V-8 missing");
    CHECK(evidence(result) ==
          std::vector<std::string>{"flavor SCS-2V-8: no flavor is named SCS-2V-8 or has the extra spec "
                                   "scs:name-v2=SCS-2V-8"});
  }
  SECTION("each mismatch is named") {
    auto flavor = compliant("SCS-2V-8");
    flavor.vcpus = 4;
    flavor.ram_mib = 7680;
    flavor.disk_gb = 20;
    flavor.extra_specs.erase("scs:cpu-type");
    flavor.extra_specs["scs:name-v1"] = "SCS-2V-8";
    const auto result = check_standard_flavor({flavor}, "SCS-2V-8");
    CHECK(result.status == Status::fail);
    CHECK(result.summary == "standard flavor SCS-2V-8 differs from scs-0103 in 5 points");
    CHECK(evidence(result) ==
          std::vector<std::string>{
              "flavor SCS-2V-8: vcpus is 4, SCS-2V-8 requires 2",
              "flavor SCS-2V-8: ram is 7680 MiB, SCS-2V-8 requires 8192",
              "flavor SCS-2V-8: disk is 20 GB, SCS-2V-8 requires 0",
              "flavor SCS-2V-8: extra spec scs:cpu-type is missing, SCS-2V-8 requires shared-core",
              "flavor SCS-2V-8: extra spec scs:name-v1 is SCS-2V-8, SCS-2V-8 requires SCS-2V:8",
          });
  }
  SECTION("without extra specs, as many clouds start") {
    auto flavor = compliant("SCS-2V-4-20s");
    flavor.extra_specs.clear();
    CHECK(
        evidence(check_standard_flavor({flavor}, "SCS-2V-4-20s")) ==
        std::vector<std::string>{
            "flavor SCS-2V-4-20s: extra spec scs:cpu-type is missing, SCS-2V-4-20s requires shared-core",
            "flavor SCS-2V-4-20s: extra spec scs:disk0-type is missing, SCS-2V-4-20s requires ssd (or nvme)",
            "flavor SCS-2V-4-20s: extra spec scs:name-v1 is missing, SCS-2V-4-20s requires SCS-2V:4:20s",
            "flavor SCS-2V-4-20s: extra spec scs:name-v2 is missing, SCS-2V-4-20s requires SCS-2V-4-20s",
        });
  }
  SECTION("scs:name-v2 finds a flavor under another name, and wins over the real name") {
    auto own_name = compliant("SCS-2V-4");
    own_name.name = "m1.medium";
    auto decoy = compliant("SCS-2V-4");
    decoy.vcpus = 1;
    decoy.extra_specs["scs:name-v2"] = "SCS-1V-4";
    const auto result = check_standard_flavor({decoy, own_name}, "SCS-2V-4");
    CHECK(result.status == Status::pass);
    CHECK(result.summary ==
          "flavor m1.medium (scs:name-v2=SCS-2V-4) present with 2 vCPUs, 4096 MiB RAM, no disk "
          "and the required extra specs");
  }
  SECTION(
      "disk types: ssd flavors accept nvme, untyped disks any known type (the official suite wants "
      "network)") {
    auto nvme = compliant("SCS-2V-4-20s");
    nvme.extra_specs["scs:disk0-type"] = "nvme";
    CHECK(check_standard_flavor({nvme}, "SCS-2V-4-20s").status == Status::pass);
    auto hdd = compliant("SCS-2V-4-20s");
    hdd.extra_specs["scs:disk0-type"] = "hdd";
    CHECK(evidence(check_standard_flavor({hdd}, "SCS-2V-4-20s")) ==
          std::vector<std::string>{
              "flavor SCS-2V-4-20s: extra spec scs:disk0-type is hdd, SCS-2V-4-20s requires ssd (or nvme)"});
    auto local = compliant("SCS-2V-4-10");
    local.extra_specs["scs:disk0-type"] = "ssd";
    CHECK(check_standard_flavor({local}, "SCS-2V-4-10").status == Status::pass);
    auto unknown = compliant("SCS-2V-4-10");
    unknown.extra_specs["scs:disk0-type"] = "ceph";
    CHECK(evidence(check_standard_flavor({unknown}, "SCS-2V-4-10")) ==
          std::vector<std::string>{
              "flavor SCS-2V-4-10: extra spec scs:disk0-type is ceph, SCS-2V-4-10 requires one "
              "of network, hdd, ssd, nvme"});
  }
  SECTION("notes: not public, disk0-type without a disk, several candidates") {
    auto flavor = compliant("SCS-2V-4");
    flavor.is_public = false;
    flavor.extra_specs["scs:disk0-type"] = "network";
    const auto result = check_standard_flavor({flavor, compliant("SCS-2V-4")}, "SCS-2V-4");
    CHECK(result.status == Status::pass);
    CHECK(result.notes == std::vector<std::string>{
                              "2 flavors stand for SCS-2V-4; checked the first, id id-SCS-2V-4",
                              "flavor SCS-2V-4 is not public: projects without access to it do not see it",
                              "flavor SCS-2V-4 has no disk, yet the extra spec scs:disk0-type is network"});
  }
  SECTION("a disabled flavor cannot be used") {
    auto flavor = compliant("SCS-2V-4");
    flavor.disabled = true;
    CHECK(evidence(check_standard_flavor({flavor}, "SCS-2V-4")) ==
          std::vector<std::string>{
              "flavor SCS-2V-4: the flavor is disabled, so no server can be created with it"});
  }
  SECTION("a broken name in the spec is a configuration error, not a failure of the cloud") {
    CHECK_THROWS_AS(check_standard_flavor({}, "SCS-2V-4-1.5"), scs::ConfigError);
    CHECK_THROWS_AS(check_standard_flavor({}, "SCS-2V:4"), scs::ConfigError);
  }
}
