// scs-0104 over recordings of the real test cloud, with the scope's image specs (bundled
// copies), and constructed Glance answers and specs for the other paths.
#include <catch2/catch.hpp>

#include "tests/support/check_harness.hpp"
#include "tests/support/recorded_run.hpp"

using scs::Status;
using scs::testing::evidence_mentions;
using scs::testing::mentions;
using scs::testing::outcome_of;
using scs::testing::replay_recording;
using scs::testing::run_check;

namespace {

const std::string v5_spec =
    "https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/iaas/"
    "scs-0104-v1-images-v5.yaml";

scs::Params params(const std::string& image, const std::string& spec = v5_spec) {
  return {{"image", image}, {"image_spec", spec}};
}

}  // namespace

TEST_CASE("scs-0104 passes on the compliant cloud", "[checks][scs-0104]") {
  const auto report = replay_recording("compliant", "scs-0104");
  for (const auto* id :
       {"scs-0104-source-capi-1", "scs-0104-source-capi-2", "scs-0104-source-ubuntu-2404",
        "scs-0104-source-ubuntu-2204", "scs-0104-source-ubuntu-2004", "scs-0104-source-debian-13",
        "scs-0104-source-debian-12", "scs-0104-source-debian-11", "scs-0104-image-ubuntu-2404"}) {
    const auto& outcome = outcome_of(report, id);
    INFO(id << ": " << outcome.result.summary);
    CHECK((outcome.result.status == Status::pass || outcome.result.status == Status::not_applicable));
  }
  CHECK(outcome_of(report, "scs-0104-source-ubuntu-2404").result.status == Status::pass);
  // The v5 spec does not list Debian 13: no rule, and the summary says so.
  CHECK_THAT(outcome_of(report, "scs-0104-source-debian-13").result.summary,
             Catch::Contains("does not list"));
}

TEST_CASE("scs-0104-source fails and names the image from a mirror", "[checks][scs-0104]") {
  const auto report = replay_recording("broken-images", "scs-0104");
  const auto& source = outcome_of(report, "scs-0104-source-ubuntu-2404");
  CHECK(source.result.status == Status::fail);
  CHECK(evidence_mentions(source, "image Ubuntu 24.04 ("));
  CHECK(evidence_mentions(source, "mirror.example-cloud.net"));
  CHECK(outcome_of(report, "scs-0104-source-debian-12").result.status == Status::pass);
}

TEST_CASE("scs-0104-image fails when the standard image is missing", "[checks][scs-0104]") {
  const auto result = run_check("compliant", "standard-image-offered", params("Ubuntu 24.04"),
                                {{"/v2/images", 200, R"({"images": [{"id": "x", "name": "Ubuntu 24.04 old",
                                  "visibility": "public"}, {"id": "y", "name": "Ubuntu 24.04",
                                  "visibility": "private"}]})"}});
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "image Ubuntu 24.04"));
}

TEST_CASE("scs-0104 reads other specs: the v4 one by path, others over https", "[checks][scs-0104]") {
  const auto v4 = std::string(SCS_SOURCE_DIR) + "/standards/data/scs-0104-v1-images.yaml";
  CHECK(run_check("compliant", "standard-image-offered", params("Ubuntu 22.04", v4)).status == Status::pass);
  const auto spec = R"(images:
  - name: Ubuntu 24.04
    source: https://example.org/only-here/
)";
  const auto result =
      run_check("compliant", "standard-image-source", params("Ubuntu 24.04", "https://example.org/spec.yaml"),
                {{"https://example.org/spec.yaml", 200, spec}});
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "is not under https://example.org/only-here/"));
}

TEST_CASE("scs-0104 aborts on an unreadable spec or image list", "[checks][scs-0104]") {
  const auto images_down = run_check("compliant", "standard-image-source", params("Ubuntu 24.04"),
                                     {{"/v2/images", 503, R"({"error": "down"})"}});
  CHECK(images_down.status == Status::abort);
  CHECK_THAT(images_down.summary, Catch::Contains("/v2/images") && Catch::Contains("answered HTTP 503"));
  const auto spec_missing = run_check("compliant", "standard-image-offered",
                                      params("Ubuntu 24.04", "https://example.org/spec.yaml"),
                                      {{"https://example.org/spec.yaml", 404, "not found"}});
  CHECK(spec_missing.status == Status::abort);
  CHECK_THAT(spec_missing.summary, Catch::Contains("GET https://example.org/spec.yaml answered HTTP 404"));
  const auto spec_malformed = run_check("compliant", "standard-image-offered",
                                        params("Ubuntu 24.04", "https://example.org/spec.yaml"),
                                        {{"https://example.org/spec.yaml", 200, "images: {not: a list}"}});
  CHECK(spec_malformed.status == Status::abort);
  CHECK_THAT(spec_malformed.summary,
             Catch::Contains("the image spec https://example.org/spec.yaml has no 'images' list"));
}
