// run --attest: the attestation file read strictly (file:line errors), and attestations bound to
// the scope's manual testcases on the reference date (expired, not yet valid, unknown,
// automated, another subject).

#include "run/attestations.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "tests/support/temp_env.hpp"

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

const std::string iaas_scope = SCS_SOURCE_DIR "/standards/scopes/scs-compatible-iaas.yaml";

std::string entry(const std::string& testcase, const std::string& extra = "",
                  const std::string& result = "pass", const std::string& on = "2026-11-30",
                  const std::string& until = "2027-05-31",
                  const std::string& evidence = "https://docs.example.com/kms") {
  return "  - testcase: " + testcase + "\n    result: " + result + "\n    evidence: " + evidence +
         "\n    attested_by: {name: Jane Doe, organisation: Example GmbH}\n    attested_on: " + on +
         "\n    valid_until: " + until + "\n" + extra;
}

std::vector<scs::Attestation> load(const scs::test::TempDir& dir, const std::string& text) {
  const std::vector<std::string> paths{(dir.write("attestations.yaml", text)).string()};
  return scs::load_attestations(paths);
}

// The SpecError's text for a file, "…/attestations.yaml:LINE: …".
std::string error_of(const scs::test::TempDir& dir, const std::string& text) {
  try {
    (void)load(dir, text);
  } catch (const scs::SpecError& error) {
    CHECK(error.exit_code() == scs::ExitCode::configuration_error);
    const std::string message = error.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  FAIL("no error");
  return {};
}

}  // namespace

TEST_CASE("a valid attestation file is read with every field", "[run][attest]") {
  const scs::test::TempDir dir;
  const auto attestations =
      load(dir, "attestations:\n" + entry("key-manager-docs-check", "    subject: mycloud\n") +
                    entry("domain-manager-check", "", "fail"));
  REQUIRE(attestations.size() == 2);
  const auto& first = attestations[0];
  CHECK(first.testcase == "key-manager-docs-check");
  CHECK(first.result == scs::Status::pass);
  CHECK(first.evidence == "https://docs.example.com/kms");
  CHECK(first.attested_by == "Jane Doe");
  CHECK(first.organisation == "Example GmbH");
  CHECK(first.attested_on == "2026-11-30");
  CHECK(first.valid_until == "2027-05-31");
  CHECK(first.subject == "mycloud");
  CHECK_THAT(first.source, Contains("attestations.yaml:2"));
  CHECK(attestations[1].result == scs::Status::fail);
  CHECK_FALSE(attestations[1].subject.has_value());
}

TEST_CASE("the bundled example attestation file is valid", "[run][attest]") {
  const std::vector<std::string> paths{SCS_SOURCE_DIR "/examples/attestations.yaml"};
  CHECK(scs::load_attestations(paths).size() == 3);
}

TEST_CASE("a wrong attestation file is one line naming file and line", "[run][attest]") {
  const scs::test::TempDir dir;
  SECTION("unknown key") {
    const auto message =
        error_of(dir, "attestations:\n" + entry("key-manager-docs-check", "    approved: yes\n"));
    CHECK_THAT(message, Contains("attestations.yaml:8:"));
    CHECK_THAT(message, Contains("unknown key 'approved'"));
  }
  SECTION("unknown key at the top") {
    CHECK_THAT(error_of(dir, "attestation:\n" + entry("key-manager-docs-check")),
               Contains("attestations.yaml:1: unknown key 'attestation'"));
  }
  SECTION("unknown key in attested_by") {
    auto text = "attestations:\n" + entry("key-manager-docs-check");
    text.replace(text.find("organisation"), 12, "org");
    CHECK_THAT(error_of(dir, text), Contains("attestations.yaml:5: unknown key 'org'"));
  }
  SECTION("malformed YAML") {
    CHECK_THAT(error_of(dir, "attestations:\n  - testcase: [x\n"), Contains("invalid YAML"));
  }
  SECTION("bad date") {
    CHECK_THAT(error_of(dir, "attestations:\n" + entry("key-manager-docs-check", "", "pass", "2026-02-30")),
               Contains("attestations.yaml:6: attested_on '2026-02-30'"));
    CHECK_THAT(
        error_of(dir, "attestations:\n" + entry("key-manager-docs-check", "", "pass", "2026-11-30", "soon")),
        Contains("valid_until 'soon'"));
  }
  SECTION("valid_until before attested_on") {
    CHECK_THAT(error_of(dir, "attestations:\n" +
                                 entry("key-manager-docs-check", "", "pass", "2026-11-30", "2026-11-29")),
               Contains("is before attested_on"));
  }
  SECTION("bad URL") {
    for (const std::string url :
         {"docs.example.com/kms", "ftp://example.com/x", "https://", "'https://a b'"}) {
      INFO(url);
      CHECK_THAT(error_of(dir, "attestations:\n" + entry("key-manager-docs-check", "", "pass", "2026-11-30",
                                                         "2027-05-31", url)),
                 Contains("attestations.yaml:4:") && Contains("is not an http(s) URL"));
    }
  }
  SECTION("a result other than pass or fail") {
    CHECK_THAT(error_of(dir, "attestations:\n" + entry("key-manager-docs-check", "", "abort")),
               Contains("result 'abort'") && Contains("is not pass or fail"));
  }
  SECTION("a missing field") {
    CHECK_THAT(error_of(dir, "attestations:\n  - testcase: key-manager-docs-check\n    result: pass\n"),
               Contains("attestations.yaml:2: missing key 'evidence'"));
  }
  SECTION("two attestations of one testcase") {
    CHECK_THAT(
        error_of(dir, "attestations:\n" + entry("key-manager-docs-check") + entry("key-manager-docs-check")),
        Contains("a second attestation of 'key-manager-docs-check'"));
  }
  SECTION("not a list") {
    CHECK_THAT(error_of(dir, "attestations: key-manager-docs-check\n"), Contains("expected a list"));
  }
  SECTION("a line break in a testcase id, a name or a subject (Found by fuzzing)") {
    // Read, they split the run's warning ("'…' is no testcase of …") and outcome lines in two.
    CHECK_THAT(error_of(dir, "attestations:\n" + entry("\"no\\nsuch\"")),
               Contains("attestations.yaml:2: testcase 'no\\nsuch'") &&
                   Contains("holds a line break or control character"));
    auto text = "attestations:\n" + entry("key-manager-docs-check");
    text.replace(text.find("Jane Doe"), 8, "\"Jane\\r\\nDoe\"");
    CHECK_THAT(error_of(dir, text), Contains("attestations.yaml:5: 'name' in 'attested_by'"));
    CHECK_THAT(error_of(dir, "attestations:\n" + entry("key-manager-docs-check", "    subject: \"a\\tb\"\n")),
               Contains("attestations.yaml:8: 'subject' in attestation 'key-manager-docs-check' holds a line "
                        "break"));
  }
}

TEST_CASE("attestations bind to the scope's manual testcases on the reference date", "[run][attest]") {
  const scs::test::TempDir dir;
  const auto scope = scs::load_scope(iaas_scope);
  const std::vector<std::string> versions{"v5.1"};
  // The official scope's versions name no manual testcase: only --attest reports them.
  CHECK(scs::reported_manual_ids(scope, versions, false).empty());
  const auto reported = scs::reported_manual_ids(scope, versions, true);
  CHECK(reported == std::vector<std::string>{"key-manager-docs-check", "availability-zones-check",
                                             "domain-manager-check"});

  SECTION("valid: pass and fail; none: MISSING") {
    const auto attestations = load(
        dir, "attestations:\n" + entry("key-manager-docs-check") + entry("domain-manager-check", "", "fail"));
    const auto manual = scs::apply_attestations(scope, attestations, reported, "mycloud", "2026-12-07");
    CHECK(manual.warnings.empty());
    REQUIRE(manual.outcomes.size() == 3);
    CHECK(manual.outcomes[0].manual);
    CHECK(manual.outcomes[0].implemented);
    CHECK(manual.outcomes[0].result.status == scs::Status::pass);
    REQUIRE(manual.outcomes[0].attestation.has_value());
    CHECK(manual.outcomes[0].attestation->evidence == "https://docs.example.com/kms");
    CHECK_FALSE(manual.outcomes[1].implemented);  // availability-zones-check: no attestation
    CHECK_THAT(manual.outcomes[1].result.summary, StartsWith("no attestation"));
    CHECK(manual.outcomes[2].implemented);
    CHECK(manual.outcomes[2].result.status == scs::Status::fail);
  }
  SECTION("valid on its first and last day") {
    const auto attestations = load(dir, "attestations:\n" + entry("key-manager-docs-check"));
    CHECK(scs::apply_attestations(scope, attestations, reported, "s", "2026-11-30").outcomes[0].implemented);
    CHECK(scs::apply_attestations(scope, attestations, reported, "s", "2027-05-31").outcomes[0].implemented);
  }
  SECTION("expired: MISSING with a warning") {
    const auto attestations = load(dir, "attestations:\n" + entry("key-manager-docs-check"));
    const auto manual = scs::apply_attestations(scope, attestations, reported, "s", "2027-06-01");
    CHECK_FALSE(manual.outcomes[0].implemented);
    CHECK_FALSE(manual.outcomes[0].attestation.has_value());
    CHECK_THAT(manual.outcomes[0].result.summary, Contains("expired on 2027-05-31"));
    REQUIRE(manual.warnings.size() == 1);
    CHECK_THAT(manual.warnings[0], Contains("expired"));
  }
  SECTION("not yet valid: MISSING with a warning") {
    const auto attestations = load(dir, "attestations:\n" + entry("key-manager-docs-check"));
    const auto manual = scs::apply_attestations(scope, attestations, reported, "s", "2026-11-29");
    CHECK_FALSE(manual.outcomes[0].implemented);
    CHECK_THAT(manual.outcomes[0].result.summary, Contains("not valid before 2026-11-30"));
    CHECK(manual.warnings.size() == 1);
  }
  SECTION("an id the scope does not know: ignored with a warning naming it") {
    const auto attestations = load(dir, "attestations:\n" + entry("no-such-check"));
    const auto manual = scs::apply_attestations(scope, attestations, reported, "s", "2026-12-07");
    REQUIRE(manual.warnings.size() == 1);
    CHECK_THAT(manual.warnings[0], Contains("'no-such-check' is no testcase of"));
    for (const auto& outcome : manual.outcomes) CHECK_FALSE(outcome.implemented);
  }
  SECTION("an automated testcase is refused") {
    const auto attestations = load(dir, "attestations:\n" + entry("scs-0100-syntax-check"));
    CHECK_THROWS_MATCHES(
        scs::apply_attestations(scope, attestations, reported, "s", "2026-12-07"), scs::ConfigError,
        Catch::Matchers::Message(attestations[0].source +
                                 ": 'scs-0100-syntax-check' is an automated testcase of "
                                 "SCS-compatible IaaS: an attestation never replaces a measured "
                                 "result"));
  }
  SECTION("an attestation for another subject is refused; for this one it counts") {
    const auto attestations =
        load(dir, "attestations:\n" + entry("key-manager-docs-check", "    subject: mycloud\n"));
    CHECK_THROWS_WITH(scs::apply_attestations(scope, attestations, reported, "othercloud", "2026-12-07"),
                      Contains("is for subject 'mycloud', this run's subject is 'othercloud'"));
    CHECK(scs::apply_attestations(scope, attestations, reported, "mycloud", "2026-12-07")
              .outcomes[0]
              .implemented);
  }
}
