#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/context.hpp"
#include "core/result.hpp"

namespace scs::testing {

/// A canned answer for every request whose URL contains `url_part`, served instead of the
/// recording (to make a service fail, or to feed constructed data).
struct CannedAnswer {
  CannedAnswer(std::string part, long answer_status = 200, std::string answer_body = {},
               std::string only_method = {})
      : url_part(std::move(part)),
        status(answer_status),
        body(std::move(answer_body)),
        method(std::move(only_method)) {}
  std::string url_part;
  long status = 200;
  std::string body;
  std::string method;  // empty: any
};

/// Runs one registered check (by its key in checks/all.cpp) with `params` over a recording in
/// tests/checks/cassettes/NAME, the clock fixed at the recording time. Answers in `canned`
/// take precedence over the recording. An exception becomes an ABORT, as in the runner, except
/// a request the recording cannot answer: that fails the test, naming the request. For
/// testcases that no scope version runs (so the recorded runs never exercise them).
Result run_check(const std::string& recording, const std::string& check,
                 const Params& params = Params::object(), const std::vector<CannedAnswer>& canned = {});

/// Params for run_creating_check over a replay: the check polls without sleeping (the recorded
/// answers come in recorded order).
inline const Params fast_polls{{"poll_seconds", 0}};

/// Like run_check, for a check that creates resources: the run gets a resource journal with
/// `run_id` (the id of the recorded run, so the names it sends match the recording) in a
/// temporary directory. `open_after` receives how many journal entries were left open.
Result run_creating_check(const std::string& recording, const std::string& check, const std::string& run_id,
                          const Params& params, const std::vector<CannedAnswer>& canned = {},
                          std::size_t* open_after = nullptr);

/// One creating check over its recording, for the tests that run it again and again with
/// other canned answers: run(canned, open_after) is run_creating_check with these arguments.
struct CreatingCheck {
  std::string recording;
  std::string check;
  std::string run_id;
  Params params = fast_polls;

  [[nodiscard]] Result run(const std::vector<CannedAnswer>& canned = {},
                           std::size_t* open_after = nullptr) const {
    return run_creating_check(recording, check, run_id, params, canned, open_after);
  }
};

/// Whether some evidence item's subject or message mentions `text`.
bool mentions(const Result& result, const std::string& text);

}  // namespace scs::testing
