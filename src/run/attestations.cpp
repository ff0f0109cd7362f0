#include "run/attestations.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "spec/yaml_strict.hpp"

namespace scs {
namespace {

constexpr std::string_view kContext = "in attestation";

// An http(s) URL with a host and nothing a browser or a reader would stumble over: the
// evidence must be something the certification body can open.
bool is_evidence_url(std::string_view text) {
  std::string_view rest;
  if (text.starts_with("https://")) {
    rest = text.substr(8);
  } else if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else {
    return false;
  }
  const auto host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.front() == '.' || host.front() == ':' || host.find('@') != std::string_view::npos)
    return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
}

// A testcase id, a name or a subject is one line of text: each is printed inside a line of the
// run's output and warnings (a quoted "\n" in the file would split them).
bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

Attestation read_entry(const yaml::Reader& reader, const YAML::Node& node, int fallback_line) {
  const int line = yaml::Reader::line_of(node, fallback_line);
  reader.expect_map(node, line, "an attestation");
  reader.check_keys(
      node, {"testcase", "result", "evidence", "attested_by", "attested_on", "valid_until", "subject"},
      kContext);
  Attestation attestation;
  attestation.source = fmt::format("{}:{}", reader.file(), line);
  const auto line_of_key = [&](std::string_view key) { return yaml::Reader::find(node, key)->line; };
  attestation.testcase = reader.required_string(node, line, "testcase", kContext);
  if (has_control_character(attestation.testcase)) {
    reader.fail(line_of_key("testcase"),
                fmt::format("testcase '{}' {} holds a line break or control character", attestation.testcase,
                            kContext));
  }
  const auto context = fmt::format("in attestation '{}'", attestation.testcase);
  const auto one_line = [&](const std::string& value, int at, std::string_view key, std::string_view where) {
    if (has_control_character(value))
      reader.fail(at, fmt::format("'{}' {} holds a line break or control character", key, where));
  };

  const auto result = reader.required_string(node, line, "result", context);
  if (result == "pass") {
    attestation.result = Status::pass;
  } else if (result == "fail") {
    attestation.result = Status::fail;
  } else {
    reader.fail(line_of_key("result"),
                fmt::format("result '{}' {} is not pass or fail (a check that could not be decided is "
                            "not attested: it stays MISSING)",
                            result, context));
  }

  attestation.evidence = reader.required_string(node, line, "evidence", context);
  if (!is_evidence_url(attestation.evidence)) {
    reader.fail(line_of_key("evidence"),
                fmt::format("evidence '{}' {} is not an http(s) URL", attestation.evidence, context));
  }

  const auto by = yaml::Reader::find(node, "attested_by");
  if (!by) reader.fail(line, fmt::format("missing key 'attested_by' {}", context));
  reader.expect_map(by->value, by->line, fmt::format("'attested_by' {}", context));
  const auto by_context = fmt::format("in 'attested_by' of attestation '{}'", attestation.testcase);
  reader.check_keys(by->value, {"name", "organisation"}, by_context);
  attestation.attested_by = reader.required_string(by->value, by->line, "name", by_context);
  attestation.organisation = reader.required_string(by->value, by->line, "organisation", by_context);
  one_line(attestation.attested_by, by->line, "name", by_context);
  one_line(attestation.organisation, by->line, "organisation", by_context);

  for (auto [key, out] : {std::pair{"attested_on", &attestation.attested_on},
                          std::pair{"valid_until", &attestation.valid_until}}) {
    *out = reader.required_string(node, line, key, context);
    if (!is_iso_date(*out)) {
      reader.fail(line_of_key(key), fmt::format("{} '{}' {} is not a date (YYYY-MM-DD)", key, *out, context));
    }
  }
  if (attestation.valid_until < attestation.attested_on) {
    reader.fail(line_of_key("valid_until"),
                fmt::format("valid_until {} {} is before attested_on {}", attestation.valid_until, context,
                            attestation.attested_on));
  }
  if (yaml::Reader::find(node, "subject")) {
    attestation.subject = reader.required_string(node, line, "subject", context);
    one_line(*attestation.subject, line_of_key("subject"), "subject", context);
  }
  return attestation;
}

}  // namespace

std::vector<Attestation> load_attestations(std::span<const std::string> paths) {
  std::vector<Attestation> attestations;
  std::map<std::string, std::string, std::less<>> seen;  // testcase → where
  for (const auto& path : paths) {
    const yaml::Reader reader(path);
    const auto root = reader.load();
    reader.expect_map(root, yaml::Reader::line_of(root, 1), "the attestation file");
    reader.check_keys(root, {"attestations"}, "at the top of the attestation file");
    const auto list = yaml::Reader::find(root, "attestations");
    if (!list) reader.fail(yaml::Reader::line_of(root, 1), "missing key 'attestations'");
    reader.expect_list(list->value, list->line, "'attestations'");
    for (const auto& node : list->value) {
      auto attestation = read_entry(reader, node, list->line);
      const auto [it, fresh] = seen.emplace(attestation.testcase, attestation.source);
      if (!fresh) {
        reader.fail(yaml::Reader::line_of(node, list->line),
                    fmt::format("a second attestation of '{}' (the first is at {}): one per testcase",
                                attestation.testcase, it->second));
      }
      attestations.push_back(std::move(attestation));
    }
  }
  return attestations;
}

std::vector<std::string> reported_manual_ids(const Scope& scope, std::span<const std::string> chosen_versions,
                                             bool attestations_given) {
  std::set<std::string, std::less<>> required;
  for (const auto& name : chosen_versions) {
    if (const auto* version = scope.version(name)) {
      for (const auto& [target, ids] : version->targets) required.insert(ids.begin(), ids.end());
    }
  }
  std::vector<std::string> ids;
  for (const auto& testcase : scope.testcases) {
    if (testcase.manual && (attestations_given || required.contains(testcase.id))) ids.push_back(testcase.id);
  }
  return ids;
}

void refuse_attestations(const Scope& scope, std::span<const Attestation> attestations,
                         std::optional<std::string_view> subject) {
  for (const auto& attestation : attestations) {
    const auto* testcase = scope.testcase(attestation.testcase);
    if (testcase != nullptr && !testcase->manual) {
      throw ConfigError(
          fmt::format("{}: '{}' is an automated testcase of {}: an attestation never replaces a "
                      "measured result",
                      attestation.source, attestation.testcase, scope.name));
    }
    if (subject && attestation.subject && *attestation.subject != *subject) {
      throw ConfigError(
          fmt::format("{}: the attestation of '{}' is for subject '{}', this run's subject is '{}'",
                      attestation.source, attestation.testcase, *attestation.subject, *subject));
    }
  }
}

ManualOutcomes apply_attestations(const Scope& scope, std::span<const Attestation> attestations,
                                  std::span<const std::string> reported, std::string_view subject,
                                  std::string_view date) {
  refuse_attestations(scope, attestations, subject);
  ManualOutcomes manual;
  std::map<std::string, const Attestation*, std::less<>> by_id;
  for (const auto& attestation : attestations) {
    if (scope.testcase(attestation.testcase) == nullptr) {
      manual.warnings.push_back(fmt::format("{}: '{}' is no testcase of {}: attestation ignored",
                                            attestation.source, attestation.testcase, scope.name));
      continue;
    }
    by_id.emplace(attestation.testcase, &attestation);
  }
  for (const auto& id : reported) {
    TestcaseOutcome outcome;
    outcome.id = id;
    outcome.manual = true;
    outcome.implemented = false;
    outcome.result = Result::abort("no attestation (a manual testcase: run --attest FILE)");
    if (const auto it = by_id.find(id); it != by_id.end()) {
      const auto& attestation = *it->second;
      std::string why;
      if (attestation.attested_on > date) {
        why = fmt::format("the attestation ({}) is not valid before {} (reference date {})",
                          attestation.source, attestation.attested_on, date);
      } else if (attestation.valid_until < date) {
        why = fmt::format("the attestation ({}) expired on {} (reference date {})", attestation.source,
                          attestation.valid_until, date);
      }
      if (why.empty()) {
        outcome.implemented = true;
        outcome.result =
            attestation.result == Status::pass
                ? Result::pass(fmt::format("attested by {} ({}) on {}", attestation.attested_by,
                                           attestation.organisation, attestation.attested_on))
                : Result::fail(fmt::format("attested as failing by {} ({}) on {}", attestation.attested_by,
                                           attestation.organisation, attestation.attested_on),
                               {{"evidence", attestation.evidence}});
        outcome.attestation = attestation;
      } else {
        manual.warnings.push_back(fmt::format("{}: MISSING", why));
        outcome.result = Result::abort(why);
      }
    }
    manual.outcomes.push_back(std::move(outcome));
  }
  return manual;
}

}  // namespace scs
