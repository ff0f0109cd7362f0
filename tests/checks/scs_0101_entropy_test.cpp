// scs-0101-flavor-property and -image-property. No scope version runs them, so the checks run
// directly over recordings of the real test cloud, and over constructed Glance
// answers for the cases the scenarios do not cover.
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"

using scs::Status;
using scs::testing::CannedAnswer;
using scs::testing::mentions;
using scs::testing::run_check;

namespace {

// Two pages, the way Glance paginates: the second is asked for through `next`.
const std::vector<CannedAnswer> two_image_pages(const std::string& second_image) {
  return {
      {"marker=first-page-end", 200, R"({"images": [)" + second_image + "]}"},
      {"/v2/images", 200,
       R"({"images": [{"id": "i1", "name": "Ubuntu 24.04", "visibility": "public", "hw_rng_model": "virtio"},
                          {"id": "i2", "name": "scratch", "visibility": "private"}],
               "next": "/v2/images?member_status=all&marker=first-page-end"})"}};
}

}  // namespace

TEST_CASE("scs-0101-flavor-property passes when every public flavor allows the RNG", "[checks][scs-0101]") {
  for (const auto* recording : {"compliant", "compliant-edge"}) {
    INFO(recording);
    CHECK(run_check(recording, "flavor-hw-rng-allowed").status == Status::pass);
  }
}

TEST_CASE("scs-0101-flavor-property fails and names the flavor without hw_rng:allowed",
          "[checks][scs-0101]") {
  const auto result = run_check("broken-flavors", "flavor-hw-rng-allowed");
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "flavor SCS-8V-32"));
  CHECK(mentions(result, "has no extra spec hw_rng:allowed"));
  CHECK(result.evidence.size() == 1);
}

TEST_CASE("scs-0101-flavor-property aborts when the flavors cannot be read", "[checks][scs-0101]") {
  const auto result = run_check("compliant", "flavor-hw-rng-allowed", scs::Params::object(),
                                {{"/flavors/detail", 500, R"({"error": "boom"})"}});
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("/flavors/detail"));
}

TEST_CASE("scs-0101-image-property checks public and community images on every page", "[checks][scs-0101]") {
  const auto pass = run_check(
      "compliant", "image-hw-rng-virtio", scs::Params::object(),
      two_image_pages(
          R"({"id": "i3", "name": "Debian 12", "visibility": "community", "hw_rng_model": "virtio"})"));
  CHECK(pass.status == Status::pass);
  CHECK_THAT(pass.summary, Catch::Contains("all 2 public images"));  // the private one is not judged

  const auto fail = run_check(
      "compliant", "image-hw-rng-virtio", scs::Params::object(),
      two_image_pages(
          R"({"id": "i3", "name": "Debian 12", "visibility": "public", "hw_rng_model": "VirtIO"})"));
  CHECK(fail.status == Status::fail);
  CHECK(mentions(fail, "image Debian 12 (id i3)"));
  CHECK(mentions(fail, "hw_rng_model=VirtIO"));
  CHECK(fail.evidence.size() == 1);

  const auto missing =
      run_check("compliant", "image-hw-rng-virtio", scs::Params::object(),
                two_image_pages(R"({"id": "i4", "name": "Windows", "visibility": "public"})"));
  CHECK(missing.status == Status::fail);
  CHECK(mentions(missing, "has no property hw_rng_model"));
}

TEST_CASE("scs-0101-image-property aborts when Glance fails", "[checks][scs-0101]") {
  const auto result = run_check("compliant", "image-hw-rng-virtio", scs::Params::object(),
                                {{"/v2/images", 503, R"({"error": "down"})"}});
  CHECK(result.status == Status::abort);
  CHECK_THAT(result.summary, Catch::Contains("/v2/images"));
}

TEST_CASE("scs-0101-image-property passes on the recorded compliant clouds", "[checks][scs-0101]") {
  for (const auto* recording : {"compliant", "compliant-edge", "broken-images"}) {
    INFO(recording);
    CHECK(run_check(recording, "image-hw-rng-virtio").status == Status::pass);
  }
}
