#include "tests/support/check_harness.hpp"

#include <catch2/catch.hpp>

#include <exception>
#include <functional>
#include <mutex>
#include <optional>

#include "checks/checks.hpp"
#include "clients/http/cassette.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/errors.hpp"
#include "core/registry.hpp"
#include "run/recording_info.hpp"
#include "tests/support/temp_env.hpp"

namespace scs::testing {

namespace {

class CannedTransport final : public Transport {
 public:
  CannedTransport(Transport& recorded, const std::vector<CannedAnswer>& canned)
      : recorded_(recorded), canned_(canned) {}
  HttpResponse send(const HttpRequest& request) override {
    for (const auto& answer : canned_) {
      if (request.url.find(answer.url_part) != std::string::npos &&
          (answer.method.empty() || answer.method == request.method)) {
        return {answer.status, {{"Content-Type", "application/json"}}, answer.body};
      }
    }
    return recorded_.send(request);
  }

 private:
  Transport& recorded_;
  const std::vector<CannedAnswer>& canned_;
};

/// The recording, noting every request it cannot answer. ReplayTransport signals such a miss
/// with a plain Error ("… is not in the cassette …"); a recorded failure to connect is an
/// UnreachableError and is part of the recording. The miss is rethrown as before (the check
/// sees what it would see), and the harness fails the test with it afterwards: a check that
/// asked for something the recording lacks tested nothing, whatever verdict it came to.
class MissObserver final : public Transport {
 public:
  explicit MissObserver(Transport& replay) : replay_(replay) {}
  HttpResponse send(const HttpRequest& request) override {
    try {
      return replay_.send(request);
    } catch (const UnreachableError&) {
      throw;
    } catch (const Error& error) {
      const std::lock_guard lock(mutex_);
      misses_.emplace_back(error.what());
      throw;
    }
  }
  [[nodiscard]] std::vector<std::string> misses() const {
    const std::lock_guard lock(mutex_);
    return misses_;
  }

 private:
  Transport& replay_;
  mutable std::mutex mutex_;
  std::vector<std::string> misses_;
};

/// Fails the running test when the cassette could not answer a request.
void fail_on_misses(const MissObserver& observer, const std::string& recording, const std::string& check) {
  const auto misses = observer.misses();
  if (misses.empty()) return;
  std::string list;
  for (const auto& miss : misses) list += "\n  " + miss;
  FAIL("test error, not a verdict: check " << check << " asked the recording " << recording << " for "
                                           << misses.size() << " request(s) it cannot answer:" << list);
}

/// Runs `check` over the recording (canned answers first) in a context that `prepare` completes,
/// the clock fixed at the recording time. An exception becomes an ABORT, as in the runner, but
/// a request the recording cannot answer fails the test instead (fail_on_misses).
Result replay_check(const std::string& recording, const std::string& check, const Params& params,
                    const std::vector<CannedAnswer>& canned,
                    const std::function<void(const RecordingInfo&, Context&)>& prepare) {
  const auto info = read_recording_info(std::string(SCS_SOURCE_DIR) + "/tests/checks/cassettes/" + recording);
  ReplayTransport replay(info.cassette);
  MissObserver observed(replay);
  CannedTransport transport(observed, canned);
  OpenStack openstack(info.cloud, transport);
  Registry registry;
  checks::register_all_checks(registry);
  const auto* fn = registry.find(check);
  if (fn == nullptr) return Result::abort("no check " + check);
  Context context(&openstack, &transport, [at = info.recorded_at] { return at; });
  context.with_standards_dir(std::string(SCS_SOURCE_DIR) + "/standards");
  prepare(info, context);
  Result result;
  try {
    result = (*fn)(context, params);
  } catch (const std::exception& error) {
    result = Result::abort(error.what());
  }
  fail_on_misses(observed, recording, check);
  return result;
}

}  // namespace

Result run_check(const std::string& recording, const std::string& check, const Params& params,
                 const std::vector<CannedAnswer>& canned) {
  return replay_check(recording, check, params, canned, [](const RecordingInfo&, Context&) {});
}

Result run_creating_check(const std::string& recording, const std::string& check, const std::string& run_id,
                          const Params& params, const std::vector<CannedAnswer>& canned,
                          std::size_t* open_after) {
  const test::TempDir dir("scs-harness");
  std::optional<ResourceJournal> journal;
  const auto result =
      replay_check(recording, check, params, canned, [&](const RecordingInfo& info, Context& context) {
        journal.emplace(dir.path(), info.cloud.name, info.cloud.region_name, "project", run_id);
        context.with_journal(&*journal);
      });
  if (journal && open_after != nullptr) *open_after = journal->open_entries().size();
  journal.reset();  // before its directory goes
  return result;
}

bool mentions(const Result& result, const std::string& text) {
  for (const auto& finding : result.evidence) {
    if (finding.subject.find(text) != std::string::npos || finding.message.find(text) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace scs::testing
