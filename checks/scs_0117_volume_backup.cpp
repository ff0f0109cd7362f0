// scs-0117: volume backup. A customer can back up a volume and restore the backup into a new
// volume; everything the test makes is deleted again.
// https://docs.scs.community/standards/scs-0117-v1-volume-backup-service
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "checks/resource_checks.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_session.hpp"
#include "clients/openstack/waits.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

using nlohmann::json;

const std::set<std::string> failed_statuses{"error", "error_restoring", "error_backing-up"};

// Cinder answers an exhausted quota with 413 (VolumeLimitExceeded, BackupLimitExceeded).
bool quota_exhausted(const Error& error) {
  const auto* http = dynamic_cast<const HttpError*>(&error);
  return http != nullptr && http->status() == 413;
}

// Volume → backup → restore into a new volume → all deleted. Any API error or error status on
// the way is a FAIL naming the step (the backup API must work for customers); a wait that runs
// out of time, a quota refusal, the time budget or an interruption is an ABORT (nothing was
// shown to be broken), and cleanup runs in every case.
Result volume_backup(Context& context, const Params& params) {
  auto& openstack = context.openstack();
  ResourceSession session(openstack, context.journal(), wait_policy(params));
  const auto& policy = session.policy();
  const int size = params.value("volume_size_gib", 1);
  std::string step = "creating a volume";
  std::string done;
  try {
    const auto source_name = session.name("backup-source");
    const auto source = session.create("volume", source_name, [&] {
      const json body{{"volume", {{"name", source_name}, {"size", size}}}};
      return openstack.send_json("POST", "block-storage", "/volumes", body)["volume"].value("id", "");
    });
    wait_for_status(openstack, "block-storage", "/volumes/" + source, "volume", {"available"},
                    failed_statuses, fmt::format("volume {}", source_name), policy);

    step = "backing up the volume";
    const auto backup_name = session.name("backup");
    const auto backup = session.create("backup", backup_name, [&] {
      const json body{{"backup", {{"volume_id", source}, {"name", backup_name}}}};
      return openstack.send_json("POST", "block-storage", "/backups", body)["backup"].value("id", "");
    });
    wait_for_status(openstack, "block-storage", "/backups/" + backup, "backup", {"available"},
                    failed_statuses, fmt::format("backup {}", backup_name), policy);

    step = "restoring the backup into a new volume";
    const auto restored_name = session.name("backup-restored");
    const auto restored = session.create("volume", restored_name, [&] {
      const json body{{"restore", {{"name", restored_name}}}};
      return openstack
          .send_json("POST", "block-storage", fmt::format("/backups/{}/restore", backup), body)["restore"]
          .value("volume_id", "");
    });
    wait_for_status(openstack, "block-storage", "/volumes/" + restored, "volume", {"available"},
                    failed_statuses, fmt::format("volume {}", restored_name), policy);
    // The backup is available again once the restore is done.
    wait_for_status(openstack, "block-storage", "/backups/" + backup, "backup", {"available"},
                    failed_statuses, fmt::format("backup {}", backup_name), policy);
    done = fmt::format("volume {} backed up as {} and restored into {}", source_name, backup_name,
                       restored_name);
  } catch (const Interrupted&) {
    throw;
  } catch (const UnreachableError&) {
    throw;  // no answer at all: could not determine
  } catch (const WaitTimeout& error) {
    if (cancellation_requested()) throw;
    // Still on its way when the wait ran out: slow, not shown to be broken.
    const auto problems = session.cleanup();
    auto result = Result::abort(fmt::format("{} did not finish in time: {}{}", step, error.what(),
                                            problems.empty() ? "" : "; " + cleanup_summary(problems)));
    for (const auto& problem : problems) result.evidence.push_back({"cleanup", problem});
    return result;
  } catch (const Error& error) {
    if (cancellation_requested()) throw;  // the budget, not the cloud
    const auto problems = session.cleanup();
    if (quota_exhausted(error)) {
      // A full project shows nothing about the backup service.
      return Result::abort(
          fmt::format("{} was refused by the project's quota ({}); free some or raise it, "
                      "then run again{}",
                      step, error.what(), problems.empty() ? "" : "; " + cleanup_summary(problems)));
    }
    std::vector<Finding> evidence{
        {"block-storage backups", fmt::format("{} failed: {}", step, error.what())}};
    for (const auto& problem : problems) evidence.push_back({"cleanup", problem});
    return Result::fail(fmt::format("{} failed", step), std::move(evidence));
  }
  const auto problems = session.cleanup();
  if (!problems.empty()) {
    std::vector<Finding> evidence;
    for (const auto& problem : problems) evidence.push_back({"cleanup", problem});
    return Result::fail(fmt::format("{}, but deleting failed: {}", done, cleanup_summary(problems)),
                        std::move(evidence));
  }
  return Result::pass(done + "; everything deleted again");
}

}  // namespace

void register_scs_0117(Registry& registry) { registry.add("volume-backup-restore", volume_backup); }

}  // namespace scs::checks
