#pragma once

// `run --attest FILE`: results of the scope's manual testcases (scripts without `executable`,
// which no tool can run) as a person attests them, with the evidence and how long they hold.
//
//   attestations:
//     - testcase: key-manager-docs-check
//       result: pass                      # pass | fail
//       evidence: https://docs.example.com/key-manager
//       attested_by: {name: Jane Doe, organisation: Example Cloud GmbH}
//       attested_on: 2026-11-30           # YYYY-MM-DD
//       valid_until: 2027-05-31           # YYYY-MM-DD, inclusive
//       subject: mycloud                  # optional: only for this subject
//
// The file is read as strictly as the scope files: an unknown key, a missing or empty field, a
// bad date or URL, or malformed YAML is a SpecError "file:line: message" (exit 78).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.hpp"
#include "spec/spec.hpp"

namespace scs {

/// Reads the attestation files (see above), in order. Two attestations of one testcase, in one
/// file or in two, are refused.
[[nodiscard]] std::vector<Attestation> load_attestations(std::span<const std::string> paths);

/// The manual testcases a run reports: every manual testcase of the scope when attestations
/// were given, otherwise those that a target of a chosen version names (so that a MISSING in a
/// verdict is explained). In scope order.
[[nodiscard]] std::vector<std::string> reported_manual_ids(const Scope& scope,
                                                           std::span<const std::string> chosen_versions,
                                                           bool attestations_given);

/// The attestations a run of `scope` must refuse (ConfigError, exit 78): one of an automated
/// testcase (an attestation never replaces a measured result) and, when the subject is known,
/// one bound to another subject. Called once the scope is loaded, before any request.
void refuse_attestations(const Scope& scope, std::span<const Attestation> attestations,
                         std::optional<std::string_view> subject);

struct ManualOutcomes {
  std::vector<TestcaseOutcome> outcomes;  // one per reported manual testcase
  std::vector<std::string> warnings;      // one line each: ignored attestations
};

/// Binds the attestations to the scope's manual testcases for a run of `subject` on `date`
/// (the reference date, YYYY-MM-DD):
///  - what refuse_attestations() refuses is refused (ConfigError);
///  - one of an id the scope does not know is ignored with a warning;
///  - one not valid on `date` (attested_on after it, valid_until before it) leaves its testcase
///    MISSING, with a warning and the reason in the outcome.
/// A reported manual testcase without attestation is MISSING ("no attestation").
[[nodiscard]] ManualOutcomes apply_attestations(const Scope& scope, std::span<const Attestation> attestations,
                                                std::span<const std::string> reported,
                                                std::string_view subject, std::string_view date);

}  // namespace scs
