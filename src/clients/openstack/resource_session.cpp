#include "clients/openstack/resource_session.hpp"

#include <algorithm>
#include <atomic>

#include "clients/openstack/resource_reaper.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs {

ResourceSession::ResourceSession(OpenStack& openstack, ResourceJournal& journal, WaitPolicy policy)
    : openstack_(openstack), journal_(journal), policy_(policy) {}

ResourceSession::~ResourceSession() {
  if (mine_.empty()) return;
  try {
    cleanup();
  } catch (...) {
    // What is left stays journalled: the end of the run deletes it.
  }
}

std::string ResourceSession::create(std::string_view type, const std::string& name,
                                    const std::function<std::string()>& send) {
  const auto seq = journal_.intend(type, name);
  mine_.push_back(seq);
  // Even a refused create may leave an object behind (Cinder creates the volume of a restore
  // before it finds no backup service and answers 404), so after any error the entry stays open
  // and cleanup looks for the object by name, closing the entry when there is none.
  const auto id = send();
  journal_.created(seq, id);
  return id;
}

std::vector<std::string> ResourceSession::cleanup(std::chrono::milliseconds budget) {
  std::vector<JournalEntry> entries;
  for (const auto& entry : journal_.open_entries()) {
    if (std::find(mine_.begin(), mine_.end(), entry.seq) != mine_.end()) entries.push_back(entry);
  }
  mine_.clear();
  // A scope of its own: the testcase's budget may be spent or the run interrupted, and the
  // deletion must still happen. No interrupt flag: a second Ctrl-C kills the process, and the
  // journal covers that.
  const CancellationScope own_scope(std::chrono::steady_clock::now() + budget, nullptr);
  ResourceReaper reaper(openstack_, policy_);
  std::vector<std::string> problems;
  for (const auto& reaped :
       reaper.remove(entries, false, [this](const JournalEntry& gone) { journal_.closed(gone.seq); })) {
    if (reaped.outcome == Reaped::Outcome::failed) problems.push_back(reaped.error);
  }
  return problems;
}

}  // namespace scs
