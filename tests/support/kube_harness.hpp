#pragma once

// A canned Kubernetes API for unit tests of the KaaS checks: answers by method and URL, in
// order, each answer a limited or unlimited number of times, and records every request.

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clients/http/http.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/process/process_runner.hpp"
#include "core/context.hpp"
#include "core/result.hpp"

namespace scs::testing {

struct KubeAnswer {
  std::string method = "GET";
  std::string url_part;  // the URL contains it; a trailing '$' means "ends with"
  long status = 200;
  std::string body;
  int times = -1;  // how often this answer is given; -1 = always
};

/// The cluster's API server in tests: https://kube.test:6443. The first answer (in the order
/// added) that matches and is not used up answers; anything else gets a Kubernetes 404 Status.
class KubeHarness final : public Transport {
 public:
  static constexpr std::string_view server = "https://kube.test:6443";
  static constexpr std::string_view token = "kube-harness-secret-token";

  KubeHarness& answer(KubeAnswer answer);
  KubeHarness& answer_json(std::string method, std::string url_part, const std::string& body,
                           int times = -1) {
    return answer({std::move(method), std::move(url_part), 200, body, times});
  }

  HttpResponse send(const HttpRequest& request) override;

  /// "GET https://kube.test:6443/version", … in the order sent.
  [[nodiscard]] std::vector<std::string> requests() const;
  /// How many requests had this method and a URL containing url_part.
  [[nodiscard]] int count(std::string_view method, std::string_view url_part) const;

  /// How many journal records (create, id, close) existed when the request with this method
  /// and URL part was first sent; -1 if no such request. Proves "journaled before created".
  [[nodiscard]] int journal_records_before(std::string_view method, std::string_view url_part) const;
  /// The cluster-journal entries the last run() left open (what cleanup did not remove).
  [[nodiscard]] const std::vector<JournalEntry>& open_entries() const { return open_entries_; }

  /// The programs the checks of run() start: this machine's unless set (a recording or a
  /// replay of them). `processes` must outlive the runs.
  KubeHarness& with_processes(ProcessRunner& processes) {
    processes_ = &processes;
    return *this;
  }

  /// Runs the registered check `check` against this API, with scope variables and a clock
  /// fixed at `now`, a cluster journal in a temporary directory and the source tree's
  /// standards. An exception becomes an ABORT, as in the runner.
  Result run(const std::string& check, const Params& params = Params::object(),
             std::map<std::string, std::string> variables = {},
             std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

 private:
  mutable std::mutex mutex_;
  std::vector<KubeAnswer> answers_;
  std::vector<std::string> requests_;
  std::vector<int> journal_records_;  // per request: journal lines written by then
  std::filesystem::path journal_file_;
  std::vector<JournalEntry> open_entries_;
  LocalProcessRunner local_processes_;
  ProcessRunner* processes_ = &local_processes_;
};

/// A date at 12:00 UTC, for fixed clocks: at("2025-06-30").
std::chrono::system_clock::time_point at(std::string_view date);

}  // namespace scs::testing
