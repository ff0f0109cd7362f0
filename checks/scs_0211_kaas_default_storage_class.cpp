// scs-0211-v2: exactly one default StorageClass with a real provisioner, and a volume of it
// binds and mounts. https://docs.scs.community/standards/scs-0211-v2-kaas-default-storage-class
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/kubernetes/kube_reaper.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "core/polling.hpp"

namespace scs::checks {

namespace {

using nlohmann::json;
using std::chrono::steady_clock;

constexpr const char* kDefaultAnnotation = "storageclass.kubernetes.io/is-default-class";
constexpr const char* kNoProvisioner = "kubernetes.io/no-provisioner";
constexpr const char* kClaimName = "scs-0211-pvc";
constexpr const char* kPodName = "scs-0211-pod";

struct Timing {
  std::chrono::milliseconds wait;     // for Bound and Running
  std::chrono::milliseconds poll;     // between two looks
  std::chrono::milliseconds cleanup;  // for deleting everything, even after the budget ran out
};

Timing timing_of(const Params& params) {
  return {std::chrono::milliseconds(static_cast<long>(params.value("wait_seconds", 180.0) * 1000)),
          std::chrono::milliseconds(static_cast<long>(params.value("poll_seconds", 2.0) * 1000)),
          std::chrono::milliseconds(static_cast<long>(params.value("cleanup_seconds", 120.0) * 1000))};
}

bool is_default(const json& storage_class) {
  return storage_class.value("/metadata/annotations"_json_pointer, json::object())
             .value(kDefaultAnnotation, std::string()) == "true";
}

std::string name_of(const json& object) {
  return object.value("/metadata/name"_json_pointer, std::string("?"));
}

// The first problem of the default classes, as evidence; empty when there is exactly one
// usable default class.
std::vector<Finding> default_class_problems(const std::vector<json>& classes, std::string& chosen) {
  std::vector<const json*> defaults;
  for (const auto& storage_class : classes) {
    if (is_default(storage_class)) defaults.push_back(&storage_class);
  }
  std::vector<Finding> evidence;
  if (defaults.empty()) {
    std::vector<std::string> names;
    for (const auto& storage_class : classes) names.push_back(name_of(storage_class));
    evidence.push_back({"storage classes", fmt::format("none of [{}] is annotated {}=true",
                                                       fmt::join(names, ", "), kDefaultAnnotation)});
  } else if (defaults.size() > 1) {
    for (const auto* storage_class : defaults) {
      evidence.push_back(
          {fmt::format("storage class {}", name_of(*storage_class)),
           fmt::format("is one of {} default classes: exactly one must be the default", defaults.size())});
    }
  } else {
    chosen = name_of(*defaults.front());
    const auto provisioner = defaults.front()->value("provisioner", std::string());
    if (provisioner.empty() || provisioner == kNoProvisioner) {
      evidence.push_back({fmt::format("storage class {}", chosen),
                          fmt::format("is the default but has no dynamic provisioner ('{}')", provisioner)});
    }
  }
  return evidence;
}

json namespace_object(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", name}, {"labels", {{managed_by_label, managed_by_value}}}}}};
}

json claim_object(const std::string& ns) {
  // No storageClassName: the cluster's default class must serve it.
  return {
      {"apiVersion", "v1"},
      {"kind", "PersistentVolumeClaim"},
      {"metadata", {{"name", kClaimName}, {"namespace", ns}}},
      {"spec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
}

json pod_object(const std::string& ns, const std::string& image) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", kPodName}, {"namespace", ns}}},
          {"spec",
           {{"restartPolicy", "Never"},
            {"containers",
             {{{"name", "probe"},
               {"image", image},
               {"volumeMounts", {{{"name", "data"}, {"mountPath", "/data"}}}}}}},
            {"volumes", {{{"name", "data"}, {"persistentVolumeClaim", {{"claimName", kClaimName}}}}}}}}};
}

std::string pod_conditions(const json& pod) {
  std::vector<std::string> parts;
  for (const auto& condition : pod.value("/status/conditions"_json_pointer, json::array())) {
    if (condition.value("status", std::string()) == "True") continue;
    parts.push_back(
        fmt::format("{}: {}", condition.value("type", std::string("?")),
                    condition.value("message", condition.value("reason", std::string("not true")))));
  }
  return parts.empty() ? std::string() : fmt::format(" ({})", fmt::join(parts, "; "));
}

// Creates the namespace, claim and pod, and judges them. Everything it creates lives in
// `ns`, which the caller deletes in every exit path.
Result exercise(Kubernetes& kube, const std::string& ns, const std::string& class_name, const Params& params,
                const Timing& timing, std::vector<std::string>& notes) {
  const auto base = fmt::format("/api/v1/namespaces/{}", ns);
  kube.create("/api/v1/namespaces", namespace_object(ns));
  kube.create(base + "/persistentvolumeclaims", claim_object(ns));
  kube.create(base + "/pods",
              pod_object(ns, params.value("image", std::string("registry.k8s.io/pause:3.10"))));

  const auto started = wait_clock_now();
  json claim;
  json pod;
  while (true) {
    claim = kube.get_json(fmt::format("{}/persistentvolumeclaims/{}", base, kClaimName));
    pod = kube.get_json(fmt::format("{}/pods/{}", base, kPodName));
    const auto claim_phase = claim.value("/status/phase"_json_pointer, std::string());
    const auto pod_phase = pod.value("/status/phase"_json_pointer, std::string());
    if (claim_phase == "Bound" && pod_phase == "Running") break;
    if (pod_phase == "Failed" || pod_phase == "Succeeded" || claim_phase == "Lost") {
      return Result::fail(
          fmt::format("the volume of the default class {} does not serve a pod", class_name),
          {{fmt::format("pod {}/{}", ns, kPodName),
            fmt::format("ended in phase {}{} (claim {})", pod_phase, pod_conditions(pod), claim_phase)}},
          std::move(notes));
    }
    if (wait_clock_now() - started >= timing.wait) {
      std::vector<Finding> evidence;
      if (claim_phase != "Bound")
        evidence.push_back(
            {fmt::format("persistent volume claim {}/{}", ns, kClaimName),
             fmt::format("still {} after {} s", claim_phase.empty() ? "without a phase" : claim_phase,
                         std::chrono::duration_cast<std::chrono::seconds>(timing.wait).count())});
      if (pod_phase != "Running")
        evidence.push_back(
            {fmt::format("pod {}/{}", ns, kPodName),
             fmt::format("still {}{} after {} s", pod_phase.empty() ? "without a phase" : pod_phase,
                         pod_conditions(pod),
                         std::chrono::duration_cast<std::chrono::seconds>(timing.wait).count())});
      // Running out of time shows nothing broken (a slow provisioner, a busy cluster): ABORT,
      // with what was seen as evidence; a claim or pod that ends badly FAILs above.
      auto result = Result::abort(fmt::format(
          "a 1Gi claim of the default class {} did not bind and mount within {:g} s; cannot judge",
          class_name, std::chrono::duration<double>(timing.wait).count()));
      result.evidence = std::move(evidence);
      result.notes = std::move(notes);
      return result;
    }
    sleep_cancellable(timing.poll);
  }

  const auto volume = claim.value("/spec/volumeName"_json_pointer, std::string());
  json modes = claim.value("/status/accessModes"_json_pointer, json::array());
  if (modes.empty()) {
    // Kubernetes binds a claim only to a volume offering every access mode it asks for.
    modes = claim.value("/spec/accessModes"_json_pointer, json::array());
    notes.push_back(
        "the claim's status names no access modes: the requested ones hold, as the claim is Bound");
  }
  if (!volume.empty()) {
    try {
      modes =
          kube.get_json("/api/v1/persistentvolumes/" + volume).value("/spec/accessModes"_json_pointer, modes);
    } catch (const HttpError& error) {
      notes.push_back(
          fmt::format("the persistent volume could not be read ({}); its access modes are taken from "
                      "the claim's status",
                      error.what()));
    }
  }
  if (std::find(modes.begin(), modes.end(), json("ReadWriteOnce")) == modes.end()) {
    return Result::fail(fmt::format("the volume of the default class {} is not ReadWriteOnce", class_name),
                        {{fmt::format("persistent volume {}", volume.empty() ? std::string("?") : volume),
                          fmt::format("has access modes {}", modes.dump())}},
                        std::move(notes));
  }
  return Result::pass(
      fmt::format("default storage class {}: a 1Gi ReadWriteOnce claim bound (volume {}) and a pod "
                  "mounting it ran",
                  class_name, volume),
      std::move(notes));
}

// Deletes what exercise() created and closes the namespace's journal entry once it is gone.
// Runs under a deadline of its own, so that it also works after the testcase's budget ran out
// or the run was interrupted. Never throws: a leftover stays in the journal (the end of the
// run and `scs-conformance cleanup` try again) and becomes a note that says how to remove it.
void clean_up(Kubernetes& kube, ResourceJournal& journal, const JournalEntry& entry, const Timing& timing,
              std::vector<std::string>& notes) {
  const CancellationScope cleanup_scope(steady_clock::now() + timing.cleanup, nullptr);
  const auto base = fmt::format("/api/v1/namespaces/{}", entry.name);
  std::vector<std::string> failures;
  // The pod first: a claim in use is only deleted once its pod is gone.
  for (const auto& path : {fmt::format("{}/pods/{}", base, kPodName),
                           fmt::format("{}/persistentvolumeclaims/{}", base, kClaimName)}) {
    try {
      kube.remove(path);
    } catch (const std::exception& error) {
      failures.push_back(error.what());
    }
  }
  // Namespace deletion is asynchronous: the reaper waits until it is gone.
  KubeReaper reaper(kube, WaitPolicy{timing.poll, timing.cleanup});
  for (const auto& reaped :
       reaper.remove({entry}, false, [&](const JournalEntry&) { journal.closed(entry.seq); })) {
    if (reaped.outcome == Reaped::Outcome::failed) failures.push_back(reaped.error);
  }
  if (!failures.empty()) {
    notes.push_back(
        fmt::format("WARNING: cleanup incomplete ({}); remove it with `kubectl delete namespace {}` or "
                    "`scs-conformance cleanup --kubeconfig …`",
                    fmt::join(failures, "; "), entry.name));
  }
}

Result default_storage_class_check(Context& context, const Params& params) {
  auto& kube = context.kubernetes();
  std::string class_name;
  auto evidence = default_class_problems(kube.storage_classes(), class_name);
  if (!evidence.empty()) {
    return Result::fail("the cluster has no single usable default storage class", std::move(evidence));
  }
  const auto timing = timing_of(params);
  auto& journal = context.cluster_journal();
  // Journaled before it is created: a run killed in the middle leaves a record the next run
  // (or `scs-conformance cleanup`) deletes the namespace, and with it the claim and the pod, by.
  JournalEntry entry;
  entry.run = journal.run_id();
  entry.type = std::string(namespace_type);
  entry.name = journal.name("0211");
  entry.seq = journal.intend(entry.type, entry.name);
  const auto& ns = entry.name;
  std::vector<std::string> notes{fmt::format("resources created in namespace {} and deleted afterwards", ns)};
  Result result;
  try {
    result = exercise(kube, ns, class_name, params, timing, notes);
  } catch (const Interrupted&) {
    clean_up(kube, journal, entry, timing, notes);
    throw;
  } catch (const std::exception& error) {
    // Also the testcase's budget running out: an ABORT that keeps the cleanup's notes.
    clean_up(kube, journal, entry, timing, notes);
    result = Result::abort(error.what());
    result.notes = std::move(notes);
    return result;
  }
  clean_up(kube, journal, entry, timing, result.notes);
  return result;
}

}  // namespace

void register_scs_0211(Registry& registry) {
  registry.add("k8s-default-storage-class", default_storage_class_check);
}

}  // namespace scs::checks
