// The naming rule from a standard's spec file to its check and test files.
#include <catch2/catch.hpp>

#include "spec/standard_files.hpp"

TEST_CASE("a standard's files are named after its spec file, dashes turned to underscores", "[spec]") {
  const auto files = scs::standard_files("/anywhere/standards/scs-0211-kaas-default-storage-class.yaml");
  REQUIRE(files.has_value());
  CHECK(files->number == "0211");
  CHECK(files->spec == "standards/scs-0211-kaas-default-storage-class.yaml");
  CHECK(files->check == "checks/scs_0211_kaas_default_storage_class.cpp");
  CHECK(files->tests == "tests/checks/scs_0211_kaas_default_storage_class_test.cpp");
  CHECK(files->registration_function == "register_scs_0211");
}

TEST_CASE("a spec file named otherwise has no standard files", "[spec]") {
  for (const auto* name :
       {"scs-0101.yaml", "scs-101-entropy.yaml", "scs-0101-Entropy.yaml", "scs-0101-entropy.yml",
        "scs-0101_entropy.yaml", "scs-0101--entropy.yaml", "scs-compatible-iaas.yaml"}) {
    INFO(name);
    CHECK_FALSE(scs::standard_files(name).has_value());
  }
}
