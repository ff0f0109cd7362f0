// scs-0104 over recordings of the real test cloud, with the scope's image specs (bundled
// copies), and constructed Glance answers and specs for the other paths.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks/standard_images_v2.hpp"
#include "cli/run_command.hpp"
#include "spec/spec.hpp"
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

// scs-0104-v2 (Draft, our own testcase ids): images found by os_distro/os_version/os_purpose.
// The params are the spec's own (standards/scs-0104-standard-images.yaml); the compliant
// recording's clock says 2026-11-26, when Ubuntu 26.04 has been due since April 30.
namespace {

scs::Params v2_params(const std::string& id) {
  const auto standard =
      scs::load_standard(std::string(SCS_SOURCE_DIR) + "/standards/scs-0104-standard-images.yaml");
  for (const auto& binding : standard.testcases) {
    if (binding.id == id) return binding.params;
  }
  throw std::runtime_error("no testcase " + id + " in the scs-0104 spec");
}

scs::Result run_v2(const std::string& id, const std::string& check, const std::string& images_json = {}) {
  std::vector<scs::testing::CannedAnswer> canned;
  if (!images_json.empty()) canned.emplace_back("/v2/images", 200, images_json);
  return run_check("compliant", check, v2_params(id), canned);
}

// One image of a Glance listing, public unless `extra` says otherwise.
std::string image(const std::string& name, const std::string& distro, const std::string& version,
                  const std::string& purpose, const std::string& source, const std::string& extra = {}) {
  return fmt::format(
      R"({{"id": "id-{}", "name": "{}", "visibility": "public", "os_distro": "{}", "os_version": "{}",
          "os_purpose": "{}", "image_source": "{}"{}}})",
      version, name, distro, version, purpose, source, extra.empty() ? "" : ", " + extra);
}

std::string listing(const std::vector<std::string>& images) {
  return fmt::format(R"({{"images": [{}]}})", fmt::join(images, ", "));
}

const std::string noble = "https://cloud-images.ubuntu.com/releases/noble/release-20261112/x.img";
const std::string resolute = "https://cloud-images.ubuntu.com/releases/resolute/release-20261201/x.img";

std::string releases_text() {
  return R"(ubuntu:
  - {version: "22.04", codename: jammy, released: 2022-04-21, lts: true}
  - {version: "24.04", codename: noble, released: 2024-04-25, lts: true}
  - {version: "25.10", codename: questing, released: 2025-10-09}
  - {version: "26.04", codename: resolute, released: 2026-04-23, lts: true}
debian:
  - {version: "12", codename: bookworm, released: 2023-06-10}
  - {version: "13", codename: trixie, released: 2025-08-09}
  - {version: "14", codename: forky}
)";
}

std::string versions(const scs::checks::WantedRelease& wanted) {
  std::vector<std::string> out;
  for (const auto* release : wanted.accepted) out.push_back(release->version);
  return fmt::format("{}", fmt::join(out, " "));
}

using namespace std::chrono_literals;

}  // namespace

TEST_CASE("scs-0104-v2: the latest and previous release, with the due period", "[checks][scs-0104]") {
  const auto ubuntu = scs::checks::parse_distro_releases(releases_text(), "ubuntu", "test data");
  const auto debian = scs::checks::parse_distro_releases(releases_text(), "debian", "test data");
  const scs::checks::ReleaseDue april_30{std::chrono::April / 30, 0};
  const scs::checks::ReleaseDue one_month{std::nullopt, 1};
  // 26.04 is out on April 23 but due only on April 30: until then 24.04 still counts.
  const auto in_grace = std::chrono::year_month_day(2026y / std::chrono::April / 25);
  CHECK(versions(scs::checks::wanted_release(ubuntu, in_grace, false, true, april_30)) == "24.04 26.04");
  CHECK(versions(scs::checks::wanted_release(ubuntu, in_grace, true, true, april_30)) == "22.04 24.04");
  const auto after = std::chrono::year_month_day(2026y / std::chrono::April / 30);
  CHECK(versions(scs::checks::wanted_release(ubuntu, after, false, true, april_30)) == "26.04");
  CHECK(versions(scs::checks::wanted_release(ubuntu, after, true, true, april_30)) == "24.04");
  // Without lts_only, 25.10 is a release like any other.
  const auto autumn = std::chrono::year_month_day(2025y / std::chrono::November / 1);
  CHECK(versions(scs::checks::wanted_release(ubuntu, autumn, false, false, april_30)) == "25.10");
  // Debian 13 (2025-08-09) is due a month later; 14 is announced, not out.
  CHECK(one_month.for_release(2025y / std::chrono::August / 9) == 2025y / std::chrono::September / 9);
  CHECK(one_month.for_release(2025y / std::chrono::January / 31) == 2025y / std::chrono::February / 28);
  CHECK(versions(scs::checks::wanted_release(debian, 2025y / std::chrono::September / 1, false, false,
                                             one_month)) == "12 13");
  CHECK(versions(scs::checks::wanted_release(debian, 2026y / std::chrono::December / 7, false, false,
                                             one_month)) == "13");
  CHECK(versions(scs::checks::wanted_release(debian, 2026y / std::chrono::December / 7, true, false,
                                             one_month)) == "12");
  // Nothing out yet, or nothing before the only release: the data cannot say.
  CHECK_THROWS_WITH(
      scs::checks::wanted_release(debian, 2020y / std::chrono::January / 1, false, false, one_month),
      Catch::Contains("knows no release out on 2020-01-01"));
  CHECK_THROWS_WITH(
      scs::checks::wanted_release(debian, 2024y / std::chrono::January / 1, true, false, one_month),
      Catch::Contains("no release before 12"));
  CHECK_THROWS_WITH(scs::checks::parse_distro_releases("ubuntu: []", "ubuntu", "bad.yaml"),
                    Catch::Contains("bad.yaml has no list of ubuntu releases"));
  CHECK_THROWS_WITH(
      scs::checks::parse_distro_releases("debian: [{version: '13', codename: trixie, released: 2025-13-01}]",
                                         "debian", "bad.yaml"),
      Catch::Contains("release day '2025-13-01', not YYYY-MM-DD"));
}

TEST_CASE("scs-0104-v2 over the compliant recording: Ubuntu 26.04 is missing", "[checks][scs-0104]") {
  const auto lts = run_v2("scs-0104-v2-ubuntu-lts", "standard-image-v2-release-offered");
  CHECK(lts.status == Status::fail);
  CHECK_THAT(lts.summary,
             Catch::Contains("ubuntu 26.04 (the latest ubuntu LTS") && Catch::Contains("due 2026-04-30"));
  CHECK(mentions(lts, "os_distro=ubuntu os_version=26.04 os_purpose=generic"));
  const auto previous = run_v2("scs-0104-v2-ubuntu-previous-lts", "standard-image-v2-release-offered");
  CHECK(previous.status == Status::pass);
  CHECK_THAT(previous.summary, Catch::Contains("image Ubuntu 24.04 ("));
  const auto debian = run_v2("scs-0104-v2-debian-stable", "standard-image-v2-release-offered");
  CHECK(debian.status == Status::pass);
  CHECK_THAT(debian.summary, Catch::Contains("image Debian 13 ("));
  CHECK(run_v2("scs-0104-v2-debian-previous-stable", "standard-image-v2-release-offered").status ==
        Status::pass);
  const auto sources = run_v2("scs-0104-v2-generic-source", "standard-image-v2-vendor-source");
  CHECK(sources.status == Status::pass);
  CHECK_THAT(sources.summary, Catch::Contains("all 4 generic debian/ubuntu images"));
  const auto capi = run_v2("scs-0104-v2-capi-properties", "standard-image-v2-capi-properties");
  CHECK(capi.status == Status::pass);
  CHECK(capi.notes.empty());
  CHECK(run_v2("scs-0104-v2-capi-image", "standard-image-v2-capi-offered").status == Status::pass);
}

TEST_CASE("scs-0104-v2 passes a cloud with Ubuntu 26.04 by its properties, whatever its name",
          "[checks][scs-0104]") {
  const auto result =
      run_v2("scs-0104-v2-ubuntu-lts", "standard-image-v2-release-offered",
             listing({image("Ubuntu 24.04", "ubuntu", "24.04", "generic", noble),
                      image("ubuntu-resolute-amd64", "ubuntu", "26.04", "generic", resolute)}));
  CHECK(result.status == Status::pass);
  CHECK_THAT(result.summary, Catch::Contains("image ubuntu-resolute-amd64 ("));
  // A release newer than every one the data knows counts, with a note.
  const auto newer = run_v2("scs-0104-v2-ubuntu-lts", "standard-image-v2-release-offered",
                            listing({image("Ubuntu 28.04", "ubuntu", "28.04", "generic", noble)}));
  CHECK(newer.status == Status::pass);
  REQUIRE(newer.notes.size() == 1);
  CHECK_THAT(newer.notes[0], Catch::Contains("newer than every release out by scs-0104-v2-releases.yaml"));
  // So does one the data lists without a release day (Debian 14 announced, the data not updated).
  const auto forky = run_v2("scs-0104-v2-debian-stable", "standard-image-v2-release-offered",
                            listing({image("Debian 14", "debian", "14", "generic",
                                           "https://cloud.debian.org/images/cloud/forky/x.raw")}));
  CHECK(forky.status == Status::pass);
  CHECK(forky.notes.size() == 1);
  // Never for "previous", and an older release is no latest.
  CHECK(run_v2("scs-0104-v2-debian-previous-stable", "standard-image-v2-release-offered",
               listing({image("Debian 14", "debian", "14", "generic",
                              "https://cloud.debian.org/images/cloud/forky/x")}))
            .status == Status::fail);
  CHECK(run_v2("scs-0104-v2-ubuntu-lts", "standard-image-v2-release-offered",
               listing({image("Ubuntu 25.10", "ubuntu", "25.10", "generic", noble)}))
            .status == Status::fail);
}

TEST_CASE("scs-0104-v2 release images: hidden, private or not generic ones do not count",
          "[checks][scs-0104]") {
  const auto result = run_v2(
      "scs-0104-v2-ubuntu-lts", "standard-image-v2-release-offered",
      listing(
          {image("Ubuntu 26.04 old", "ubuntu", "26.04", "oldgeneric", resolute),
           image("Ubuntu 26.04", "ubuntu", "26.04", "generic", resolute, R"("os_hidden": true)"),
           image("Ubuntu 26.04 mine", "ubuntu", "26.04", "generic", resolute, R"("visibility": "private")"),
           image("Ubuntu 24.04", "ubuntu", "24.04", "generic", noble)}));
  CHECK(result.status == Status::fail);
  CHECK(mentions(result, "os_purpose 'oldgeneric', not 'generic'"));
  CHECK(mentions(result, "is hidden (os_hidden)"));
  CHECK_FALSE(mentions(result, "Ubuntu 26.04 mine"));
}

TEST_CASE("scs-0104-v2-generic-source fails images from elsewhere or of the wrong codename",
          "[checks][scs-0104]") {
  const auto result =
      run_v2("scs-0104-v2-generic-source", "standard-image-v2-vendor-source",
             listing({image("Ubuntu 24.04", "ubuntu", "24.04", "generic",
                            "https://mirror.example-cloud.net/noble/x.img"),
                      image("Debian 13", "debian", "13", "generic",
                            "https://cdimage.debian.org/cdimage/cloud/bookworm/latest/x.raw"),
                      image("Ubuntu 24.04.1", "ubuntu", "24.04.1", "generic", noble),
                      image("Debian 12", "debian", "12", "generic",
                            "https://cdimage.debian.org/cdimage/cloud/bookworm/x.raw"),
                      image("openSUSE", "opensuse", "15.6", "generic", ""),
                      image("Ubuntu CAPI", "ubuntu", "24.04", "k8snode", "https://example.org/capi.img")}));
  CHECK(result.status == Status::fail);
  CHECK_THAT(result.summary, Catch::Contains("3 of 4 generic debian/ubuntu images"));
  CHECK(mentions(result, "mirror.example-cloud.net"));
  CHECK(mentions(result,
                 "is not under https://cloud.debian.org/images/cloud/trixie/ or "
                 "https://cdimage.debian.org/cdimage/cloud/trixie/"));
  CHECK(mentions(result, "os_version '24.04.1' is not of the form"));
  REQUIRE_FALSE(result.notes.empty());
  CHECK_THAT(result.notes.back(),
             Catch::Contains("generic images of other distributions are not judged (1)"));
  // A release the data does not know yet: the form is judged with any codename, and noted.
  const auto unknown = run_v2("scs-0104-v2-generic-source", "standard-image-v2-vendor-source",
                              listing({image("Ubuntu 26.10", "ubuntu", "26.10", "generic",
                                             "https://cloud-images.ubuntu.com/stonking/x.img")}));
  CHECK(unknown.status == Status::pass);
  CHECK_THAT(unknown.notes.at(0), Catch::Contains("ubuntu 26.10 is not in scs-0104-v2-releases.yaml"));
  const auto unknown_elsewhere = run_v2("scs-0104-v2-generic-source", "standard-image-v2-vendor-source",
                                        listing({image("Ubuntu 26.10", "ubuntu", "26.10", "generic",
                                                       "https://cloud-images.ubuntu.com/Stonking/x")}));
  CHECK(unknown_elsewhere.status == Status::fail);
  // No generic Debian or Ubuntu image: nothing to judge.
  const auto none = run_v2("scs-0104-v2-generic-source", "standard-image-v2-vendor-source",
                           listing({image("openSUSE", "opensuse", "15.6", "generic", "")}));
  CHECK(none.status == Status::not_applicable);
}

TEST_CASE("scs-0104-v2 CAPI images: properties and presence", "[checks][scs-0104]") {
  const std::string osism =
      "https://nbg1.your-objectstorage.com/osism/openstack-k8s-capi-images/ubuntu-2404-kube/x";
  const std::string regio =
      "https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/"
      "openstack-k8s-capi-images/ubuntu-2404-kube/x";
  const std::string description = R"("image_description": "https://github.com/osism/k8s-capi-images")";
  const auto bad = run_v2(
      "scs-0104-v2-capi-properties", "standard-image-v2-capi-properties",
      listing(
          {image("ubuntu-capi-image v1.30.1", "ubuntu", "22.04", "generic", "https://example.org/capi.img"),
           image("ubuntu-capi-image-v1.33.5", "ubuntu", "24.04", "k8snode", regio, description),
           image("my-capi-image-v1.33", "ubuntu", "24.04", "custom", "https://example.org/mine")}));
  CHECK(bad.status == Status::fail);
  CHECK_THAT(bad.summary, Catch::Contains("1 of 2 official SCS CAPI images"));
  CHECK(mentions(bad, "image ubuntu-capi-image v1.30.1 ("));
  CHECK(mentions(bad, "os_purpose is 'generic', not 'k8snode'"));
  CHECK(mentions(bad, "image_description is '', not https://github.com/osism/k8s-capi-images"));
  CHECK_FALSE(mentions(bad, "my-capi-image"));
  REQUIRE(bad.notes.size() == 1);
  CHECK_THAT(bad.notes[0], Catch::Contains("tolerated for compatibility"));
  const auto good =
      run_v2("scs-0104-v2-capi-properties", "standard-image-v2-capi-properties",
             listing({image("ubuntu-capi-image-v1.33.5", "ubuntu", "24.04", "k8snode", osism, description)}));
  CHECK(good.status == Status::pass);
  const auto none = run_v2("scs-0104-v2-capi-properties", "standard-image-v2-capi-properties",
                           listing({image("Ubuntu 24.04", "ubuntu", "24.04", "generic", noble)}));
  CHECK(none.status == Status::not_applicable);
  // Presence wants the "-v" naming; the old " v" one and hidden images do not count.
  const auto missing =
      run_v2("scs-0104-v2-capi-image", "standard-image-v2-capi-offered",
             listing({image("ubuntu-capi-image v1.30.1", "ubuntu", "22.04", "k8snode", osism, description),
                      image("ubuntu-capi-image-v1.33.5", "ubuntu", "24.04", "k8snode", osism,
                            description + R"(, "os_hidden": true)")}));
  CHECK(missing.status == Status::fail);
  CHECK_THAT(missing.summary, Catch::Contains("no public image is named like ubuntu-capi-image-v"));
}

TEST_CASE("scs-0104-v2 aborts when the images cannot be read or a parameter is wrong", "[checks][scs-0104]") {
  for (const auto& [id, check] : std::vector<std::pair<std::string, std::string>>{
           {"scs-0104-v2-ubuntu-lts", "standard-image-v2-release-offered"},
           {"scs-0104-v2-generic-source", "standard-image-v2-vendor-source"},
           {"scs-0104-v2-capi-properties", "standard-image-v2-capi-properties"},
           {"scs-0104-v2-capi-image", "standard-image-v2-capi-offered"}}) {
    INFO(id);
    const auto down =
        run_check("compliant", check, v2_params(id), {{"/v2/images", 503, R"({"error": "down"})"}});
    CHECK(down.status == Status::abort);
    CHECK_THAT(down.summary, Catch::Contains("/v2/images") && Catch::Contains("answered HTTP 503"));
  }
  auto broken = v2_params("scs-0104-v2-capi-image");
  broken["name_pattern"] = "ubuntu-capi-image-v[0-9";
  const auto bad_pattern = run_check("compliant", "standard-image-v2-capi-offered", broken);
  CHECK(bad_pattern.status == Status::abort);
  CHECK_THAT(bad_pattern.summary, Catch::Contains("is no regular expression"));
  auto bad_release = v2_params("scs-0104-v2-ubuntu-lts");
  bad_release["release"] = "oldest";
  const auto unknown_release = run_check("compliant", "standard-image-v2-release-offered", bad_release);
  CHECK(unknown_release.status == Status::abort);
  CHECK_THAT(unknown_release.summary, Catch::Contains("'oldest', not latest or previous"));
  auto unknown_distro = v2_params("scs-0104-v2-ubuntu-lts");
  unknown_distro["os_distro"] = "gentoo";
  const auto no_data = run_check("compliant", "standard-image-v2-release-offered", unknown_distro);
  CHECK(no_data.status == Status::abort);
  CHECK_THAT(no_data.summary, Catch::Contains("has no list of gentoo releases"));
}

TEST_CASE("the extras scope runs scs-0104-v2 in its draft version next, which never decides",
          "[checks][scs-0104]") {
  scs::RunOptions options;
  options.scope_file = std::string(SCS_SOURCE_DIR) + "/standards/scopes/scs-conformance-extras.yaml";
  options.replay_dir = std::string(SCS_SOURCE_DIR) + "/tests/checks/cassettes/compliant";
  options.date = "2026-12-07";  // the recording is older than the draft version
  options.tests = "scs-0104-v2";
  options.quiet = true;
  const std::atomic<bool> interrupted{false};
  const auto run = scs::run_scope(options, interrupted);
  const auto* next = [&]() -> const scs::VersionReport* {
    for (const auto& version : run.report.versions)
      if (version.name == "next") return &version;
    return nullptr;
  }();
  REQUIRE(next != nullptr);
  CHECK(next->validity == "draft");
  CHECK(next->verdict == scs::Verdict::fail);
  CHECK(outcome_of(run.report, "scs-0104-v2-ubuntu-lts").result.status == Status::fail);
  for (const auto* id :
       {"scs-0104-v2-generic-source", "scs-0104-v2-capi-properties", "scs-0104-v2-ubuntu-previous-lts",
        "scs-0104-v2-debian-stable", "scs-0104-v2-debian-previous-stable", "scs-0104-v2-capi-image"}) {
    INFO(id);
    CHECK(outcome_of(run.report, id).result.status == Status::pass);
  }
  // v1 (effective) decides: its scs-0125 testcases were filtered out, so the run is incomplete,
  // not failed by the draft.
  CHECK(run.exit_code == scs::ExitCode::incomplete);
}
