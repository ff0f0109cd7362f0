#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/journal/resource_journal.hpp"
#include "core/polling.hpp"

namespace scs {

class OpenStack;

/// What one testcase (or the shared scs-0101 VM) creates. create() writes the journal entry
/// before the request leaves and the id after; cleanup() deletes everything in dependency order
/// and closes the entries. Cleanup runs in a cancellation scope of its own, so it also runs
/// after the testcase's time budget is spent or Ctrl-C was pressed. The destructor cleans up
/// what cleanup() was not asked to (an exception on the way out).
class ResourceSession {
 public:
  ResourceSession(OpenStack& openstack, ResourceJournal& journal, WaitPolicy policy);
  ~ResourceSession();
  ResourceSession(const ResourceSession&) = delete;
  ResourceSession& operator=(const ResourceSession&) = delete;

  /// A fresh unique name for `what` ("scs-conformance-RUN-N-what").
  [[nodiscard]] std::string name(std::string_view what) { return journal_.name(what); }

  /// Journals an object of `type` named `name`, then calls `send` (which sends the create
  /// request and returns the new id), then journals the id. Returns the id.
  std::string create(std::string_view type, const std::string& name,
                     const std::function<std::string()>& send);

  [[nodiscard]] const WaitPolicy& policy() const { return policy_; }

  /// Deletes what this session created; one line per object that could not be deleted (it
  /// stays in the journal for the end of the run or `scs-conformance cleanup`).
  std::vector<std::string> cleanup(std::chrono::milliseconds budget = std::chrono::minutes(5));

 private:
  OpenStack& openstack_;
  ResourceJournal& journal_;
  WaitPolicy policy_;
  std::vector<std::uint64_t> mine_;
};

}  // namespace scs
