#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/call_meter.hpp"
#include "core/exit_codes.hpp"
#include "core/result.hpp"

namespace scs {

/// A person's statement about a manual testcase (`run --attest FILE`, src/run/attestations.hpp):
/// what they found, where the evidence is, who they are and how long it holds.
struct Attestation {
  std::string testcase;
  Status result = Status::pass;  // pass or fail only: a person who cannot decide attests nothing
  std::string evidence;          // http(s) URL
  std::string attested_by;       // a person's name
  std::string organisation;
  std::string attested_on;  // YYYY-MM-DD
  std::string valid_until;  // YYYY-MM-DD, inclusive
  std::optional<std::string> subject;
  std::string source;  // "attestations.yaml:12": where it was read
};

/// One testcase as run (or not run) in this run.
struct TestcaseOutcome {
  std::string id;
  std::string standard;     // "scs-0100"; empty for an id without implementation
  std::string description;  // from the scope
  std::string url;
  std::string remediation;   // from our standard file; empty if none
  bool implemented = false;  // false → never ran, verdict MISSING
  Result result;             // meaningful only if implemented
  std::chrono::milliseconds elapsed{0};
  CallStats calls;
  // A manual testcase (a scope script without executable): never run. With an attestation in
  // force it is `implemented` and its result is the attestation's; without one it is MISSING
  // and result.summary says why (no attestation, expired, not yet valid).
  bool manual = false;
  std::optional<Attestation> attestation;
};

/// MISSING = required but not run (no implementation, or filtered out).
enum class Verdict { pass, fail, missing, abort };
std::string_view to_string(Verdict verdict);  // "PASS" "FAIL" "MISSING" "ABORT"

struct TargetReport {
  std::string name;                    // "main", "recommended", "preview", …
  std::vector<std::string> testcases;  // ids, in scope order
  Verdict verdict = Verdict::pass;
  int passed = 0, failed = 0, aborted = 0, missing = 0;
};

struct VersionReport {
  std::string name;                 // "v5.1"
  std::string validity;             // effective | warn | deprecated | draft
  bool decides = true;              // only the main target decides; this says whether a main target exists
  Verdict verdict = Verdict::pass;  // of the main target
  std::vector<TargetReport> targets;
};

/// An object the run created and could not delete (it stays journaled for `cleanup`).
struct LeftObject {
  std::string type, name, id;   // id empty when the create's answer never came
  std::string reason;           // the cloud's answer to the last delete, one line; may be empty
  std::string cleanup_command;  // what removes it later
};

/// Everything a renderer needs; built once per run. Clock values are injected, so golden
/// files are stable.
struct Report {
  // scope
  std::string scope_uuid, scope_name, scope_url;
  std::string subject;
  std::string checked_at;      // "2026-11-26 16:22:07.483283" (local, like the official checker)
  std::string reference_date;  // "2026-11-26"
  std::string run_uuid;
  std::vector<std::string> argv;
  std::map<std::string, std::string> assignment;
  std::optional<std::vector<std::string>> sections;
  std::optional<std::string> forced_version;
  std::optional<std::string> forced_tests;
  std::string tool_version;
  std::string cloud;  // the clouds.yaml name, or "replay:DIR"
  // Where the OpenStack token came from: "new", "cached" or "renewed" (cached, refused, new);
  // empty without OpenStack and in a replay.
  std::string token_source;

  std::vector<TestcaseOutcome> outcomes;  // sorted by id
  std::vector<VersionReport> versions;    // in scope order
  CallStats totals;
  std::chrono::milliseconds wall_time{0};
  std::optional<std::string> aborted_run;    // set when the run could not start (e.g. no token)
  std::optional<ExitCode> aborted_run_exit;  // its exit code (69 unreachable, 78 credentials)
  bool interrupted = false;
  // Objects left in the cloud or cluster after the run's own cleanup; the exit code still
  // tells the verdict (README: "Testcases that create resources, and cleaning up").
  std::vector<LeftObject> left_behind;

  [[nodiscard]] const TestcaseOutcome* outcome(std::string_view id) const;
  [[nodiscard]] bool has_manual() const;
};

}  // namespace scs
