// scs-0210-v2: the cluster runs a supported, recently patched Kubernetes version.
// https://docs.scs.community/standards/scs-0210-v2-k8s-version-policy
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "checks/kaas/version_fetch.hpp"
#include "checks/kaas/version_policy.hpp"
#include "clients/http/http.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

using namespace kaas;

constexpr const char* kDefaultData = "k8s-version-data.json";

VersionData bundled_data(const Context& context, const Params& params) {
  const auto name = params.value("data", std::string(kDefaultData));
  const auto& text = context.data_file(name);
  const auto source = fmt::format("bundled {}", context.data_path(name).filename().string());
  try {
    return parse_version_data(nlohmann::json::parse(text), source);
  } catch (const nlohmann::json::exception& error) {
    throw ConfigError(fmt::format("{} is no valid JSON: {}", context.data_path(name).string(), error.what()));
  }
}

// Online refresh; any failure keeps the bundled data and says so. Only an interruption or the
// testcase's time budget end the check.
void refresh(Context& context, VersionData& data, Date today, std::vector<std::string>& notes) {
  try {
    merge_endoflife(data, fetch_source_json(context.transport(), kEndOfLifeUrl), today);
  } catch (const Interrupted&) {
    throw;
  } catch (const Error& error) {
    notes.push_back(
        fmt::format("online refresh of the release data failed ({}); using the bundled data", error.what()));
  }
  try {
    merge_cve_feed(data, fetch_source_json(context.transport(), kCveFeedUrl));
  } catch (const Interrupted&) {
    throw;
  } catch (const Error& error) {
    notes.push_back(
        fmt::format("online refresh of the CVE list failed ({}); using the bundled CVE list", error.what()));
  }
}

Result version_policy_check(Context& context, const Params& params) {
  const auto today = std::chrono::floor<std::chrono::days>(context.now());
  auto data = bundled_data(context, params);
  std::vector<std::string> notes;
  if (context.variable("offline") == "true") {
    notes.push_back("offline run: the bundled version data was not refreshed");
  } else {
    refresh(context, data, today, notes);
  }

  const auto& answer = context.kubernetes().version();
  const auto git_version = answer.value("gitVersion", std::string());
  if (git_version.empty()) return Result::abort("GET /version answered without a gitVersion");
  const auto version = parse_kube_version(git_version);
  if (!version) {
    return Result::abort(
        fmt::format("the cluster's gitVersion '{}' is not a version MAJOR.MINOR.PATCH", git_version));
  }
  if (!version->suffix.empty()) {
    notes.push_back(
        fmt::format("gitVersion {} read as {}: the suffix '{}' is ignored (the official check aborts on "
                    "such versions)",
                    git_version, version->text(), version->suffix));
  }

  auto verdict = evaluate_version_policy(*version, today, data);
  notes.insert(notes.end(), verdict.notes.begin(), verdict.notes.end());
  if (!verdict.violations.empty()) {
    auto summary = fmt::format("Kubernetes {} breaks {} rule(s) of the version policy", version->text(),
                               verdict.violations.size());
    return Result::fail(std::move(summary), std::move(verdict.violations), std::move(notes));
  }
  if (verdict.undetermined) {
    auto result = Result::abort(*verdict.undetermined);
    result.notes = std::move(notes);
    return result;
  }
  return Result::pass(
      fmt::format("Kubernetes {} is supported and recent enough on {}", version->text(), format_date(today)),
      std::move(notes));
}

}  // namespace

void register_scs_0210(Registry& registry) { registry.add("k8s-version-policy", version_policy_check); }

}  // namespace scs::checks
