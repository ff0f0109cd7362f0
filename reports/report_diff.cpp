#include "reports/report_diff.hpp"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace scs {

namespace {

// The verdict order of scs-0003 (FAIL > MISSING > ABORT > PASS); N/A counts as a pass.
int severity(const std::string& status) {
  if (status == "FAIL") return 3;
  if (status == "MISSING") return 2;
  if (status == "ABORT") return 1;
  return 0;
}

bool passing(const std::string& status) { return status == "PASS" || status == "N/A"; }
bool incomplete(const std::string& status) { return status == "ABORT" || status == "MISSING"; }

struct Section {
  const char* title;
  const std::vector<Change>* changes;
};

std::vector<Section> sections(const ReportDiff& diff) {
  return {{"New failures", &diff.new_failures},
          {"Newly aborted", &diff.newly_aborted},
          {"Fixed", &diff.fixed},
          {"Still failing", &diff.still_failing},
          {"Added", &diff.added},
          {"Removed", &diff.removed},
          {"Other changes", &diff.other}};
}

std::string arrow(const Change& change) {
  return fmt::format("{} → {}", change.before.empty() ? "(absent)" : change.before,
                     change.after.empty() ? "(absent)" : change.after);
}

}  // namespace

bool ReportDiff::worse() const {
  if (!new_failures.empty() || !newly_aborted.empty()) return true;
  for (const auto& version : versions) {
    if (!version.before.empty() && !version.after.empty() &&
        severity(version.after) > severity(version.before))
      return true;
  }
  return false;
}

ReportDiff diff_reports(const ReportSummary& before, const ReportSummary& after) {
  if (before.scope_uuid != after.scope_uuid) {
    throw ConfigError(fmt::format("{} and {} are reports of different scopes ({} vs {})", before.source,
                                  after.source, before.scope_name, after.scope_name));
  }
  ReportDiff diff{before.source,
                  after.source,
                  before.scope_name,
                  before.subject,
                  after.subject,
                  before.checked_at,
                  after.checked_at,
                  {},
                  {},
                  {},
                  {},
                  {},
                  {},
                  {},
                  {}};
  std::set<std::string> versions;
  for (const auto& [name, verdict] : before.versions) versions.insert(name);
  for (const auto& [name, verdict] : after.versions) versions.insert(name);
  for (const auto& name : versions) {
    const auto old_it = before.versions.find(name);
    const auto new_it = after.versions.find(name);
    Change change{name, old_it == before.versions.end() ? "" : old_it->second,
                  new_it == after.versions.end() ? "" : new_it->second};
    if (change.before != change.after) diff.versions.push_back(std::move(change));
  }
  std::set<std::string> ids;
  for (const auto& [id, status] : before.testcases) ids.insert(id);
  for (const auto& [id, status] : after.testcases) ids.insert(id);
  for (const auto& id : ids) {
    const auto old_it = before.testcases.find(id);
    const auto new_it = after.testcases.find(id);
    if (old_it == before.testcases.end()) {
      diff.added.push_back({id, "", new_it->second});
      continue;
    }
    if (new_it == after.testcases.end()) {
      diff.removed.push_back({id, old_it->second, ""});
      continue;
    }
    Change change{id, old_it->second, new_it->second};
    // A YAML report writes N/A as a pass: against one, PASS and N/A are the same.
    const bool both_tell = before.tells_not_applicable && after.tells_not_applicable;
    if (!both_tell && passing(change.before) && passing(change.after)) continue;
    if (change.after == "FAIL") {
      (change.before == "FAIL" ? diff.still_failing : diff.new_failures).push_back(std::move(change));
    } else if (change.before == change.after) {
      continue;
    } else if (incomplete(change.after) && !incomplete(change.before)) {
      diff.newly_aborted.push_back(std::move(change));
    } else if (passing(change.after) && !passing(change.before)) {
      diff.fixed.push_back(std::move(change));
    } else {
      diff.other.push_back(std::move(change));
    }
  }
  return diff;
}

std::string render_diff_text(const ReportDiff& diff) {
  std::string out = fmt::format("{}: {} ({}) → {} ({})\n", diff.scope_name, diff.old_source,
                                diff.old_checked_at, diff.new_source, diff.new_checked_at);
  if (diff.old_subject != diff.new_subject)
    out += fmt::format("subjects differ: {} → {}\n", diff.old_subject, diff.new_subject);
  for (const auto& version : diff.versions) out += fmt::format("{}: {}\n", version.name, arrow(version));
  if (diff.versions.empty()) out += "verdicts unchanged\n";
  for (const auto& [title, changes] : sections(diff)) {
    if (changes->empty()) continue;
    out += fmt::format("{} ({}):\n", title, changes->size());
    for (const auto& change : *changes) out += fmt::format("  {}  {}\n", change.name, arrow(change));
  }
  out += diff.worse() ? "worse: yes\n" : "worse: no\n";
  return out;
}

std::string render_diff_markdown(const ReportDiff& diff) {
  std::string out = fmt::format("## {}: what changed\n\n`{}` ({}) → `{}` ({})\n\n", diff.scope_name,
                                diff.old_source, diff.old_checked_at, diff.new_source, diff.new_checked_at);
  if (diff.old_subject != diff.new_subject)
    out += fmt::format("Subjects differ: {} → {}\n\n", diff.old_subject, diff.new_subject);
  if (diff.versions.empty()) {
    out += "Verdicts unchanged.\n\n";
  } else {
    out += "| version | before | after |\n|---|---|---|\n";
    for (const auto& version : diff.versions)
      out += fmt::format("| {} | {} | {} |\n", version.name, version.before.empty() ? "—" : version.before,
                         version.after.empty() ? "—" : version.after);
    out += "\n";
  }
  for (const auto& [title, changes] : sections(diff)) {
    if (changes->empty()) continue;
    out += fmt::format("### {} ({})\n\n", title, changes->size());
    for (const auto& change : *changes) out += fmt::format("- `{}`: {}\n", change.name, arrow(change));
    out += "\n";
  }
  out += diff.worse() ? "**Worse than before.**\n" : "Nothing got worse.\n";
  return out;
}

std::string render_diff_json(const ReportDiff& diff) {
  const auto changes = [](const std::vector<Change>& list) {
    auto array = nlohmann::json::array();
    for (const auto& change : list) {
      array.push_back({{"name", change.name},
                       {"before", change.before.empty() ? nlohmann::json() : nlohmann::json(change.before)},
                       {"after", change.after.empty() ? nlohmann::json() : nlohmann::json(change.after)}});
    }
    return array;
  };
  const nlohmann::json out{
      {"format", "scs-conformance-diff/1"},
      {"scope", diff.scope_name},
      {"old",
       {{"report", diff.old_source}, {"subject", diff.old_subject}, {"checked_at", diff.old_checked_at}}},
      {"new",
       {{"report", diff.new_source}, {"subject", diff.new_subject}, {"checked_at", diff.new_checked_at}}},
      {"versions", changes(diff.versions)},
      {"new_failures", changes(diff.new_failures)},
      {"newly_aborted", changes(diff.newly_aborted)},
      {"fixed", changes(diff.fixed)},
      {"still_failing", changes(diff.still_failing)},
      {"added", changes(diff.added)},
      {"removed", changes(diff.removed)},
      {"other", changes(diff.other)},
      {"worse", diff.worse()}};
  // Summaries come from the reports' files: bytes that are not UTF-8 are replaced, not fatal.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace scs
