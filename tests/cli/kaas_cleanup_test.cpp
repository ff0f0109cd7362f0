// Nothing is left in a cluster after any exit path: the cluster journal of a KaaS run, the
// next run's removal of what a killed run left, `scs-conformance cleanup --kubeconfig`, and the
// real binary stopped by SIGKILL and by Ctrl-C (SIGINT) in the middle of scs-0211, all against
// the fake Kubernetes API (tests/support/fake_kube_api).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/cleanup_command.hpp"
#include "cli/run_command.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kube_reaper.hpp"
#include "core/errors.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/support/fake_kube_api.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using scs::test::FakeKubeApi;
using scs::test::TempDir;

const std::atomic<bool> not_interrupted{false};

// A namespace as the fixture file lists it; `labelled`: with the tool's managed-by label.
json namespace_object(const std::string& name, bool labelled) {
  json object{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  if (labelled) object["metadata"]["labels"][std::string(scs::managed_by_label)] = scs::managed_by_value;
  return object;
}

// The fixture `base` with extra namespaces, written into `dir`.
std::filesystem::path fixture_with(const TempDir& dir, const std::string& base,
                                   const std::vector<json>& extra) {
  auto model = json::parse(scs::test::read_text(FakeKubeApi::fixture(base)));
  for (const auto& object : extra) model["objects"].push_back(object);
  const auto file = dir / (base + "-plus.json");
  scs::test::write_text(file, model.dump(2));
  return file;
}

// A kubeconfig for `api`, context "fake-ctx", CA in a file next to it.
std::string write_kubeconfig(const FakeKubeApi& api, const TempDir& dir,
                             const std::string& token = "good-token") {
  scs::test::write_text(dir / "ca.pem", api.pki().ca_pem);
  const auto file = dir / "kubeconfig.yaml";
  scs::test::write_text(
      file,
      "apiVersion: v1\nkind: Config\ncurrent-context: fake-ctx\nclusters:\n- name: fake\n"
      "  cluster:\n    server: " +
          api.server() + "\n    certificate-authority: " + (dir / "ca.pem").string() +
          "\nusers:\n- name: tester\n  user:\n    token: " + token +
          "\ncontexts:\n- name: fake-ctx\n  context:\n    cluster: fake\n    user: tester\n");
  return file.string();
}

std::string journal_key(const FakeKubeApi& api) {
  scs::KubeConfig config;
  config.server = api.server();
  return scs::cluster_journal_key(config);
}

// Journals `name` for a run that then ends without closing it (as a killed run would).
void journal_of_dead_run(const TempDir& state, const FakeKubeApi& api, const std::string& run,
                         const std::string& name) {
  scs::ResourceJournal journal(state.path(), journal_key(api), "fake-ctx", "", run);
  journal.intend(scs::namespace_type, name);
}

bool exists(const FakeKubeApi& api, const std::string& name) {
  return api.object("/api/v1/namespaces/" + name).has_value();
}

scs::RunOptions extras_run(const std::string& kubeconfig, const TempDir& state) {
  scs::RunOptions options;
  options.scope_file = SCS_SOURCE_DIR "/standards/scopes/scs-conformance-kaas-extras.yaml";
  options.kubeconfig = kubeconfig;
  options.state_dir = state.path().string();
  options.quiet = true;
  options.budget = std::chrono::seconds(120);  // a cap, never reached: load cannot end a testcase early
  options.argv = {"run", "--kubeconfig", kubeconfig};
  return options;
}

}  // namespace

TEST_CASE("KaaS run: the next run deletes what a killed run journaled, never a live run's") {
  TempDir dir;
  TempDir state;
  const std::string dead = "scs-conformance-dead01-1-0211";
  const std::string live = "scs-conformance-live01-1-0211";
  FakeKubeApi api(fixture_with(dir, "good", {namespace_object(dead, true), namespace_object(live, true)}));
  journal_of_dead_run(state, api, "dead01", dead);
  scs::ResourceJournal live_run(state.path(), journal_key(api), "fake-ctx", "", "live01");
  live_run.intend(scs::namespace_type, live);

  auto options = extras_run(write_kubeconfig(api, dir), state);
  options.tests = "node-distribution";  // the cleanup happens whatever runs
  const auto outcome = scs::run_scope(options, not_interrupted);

  CHECK_FALSE(exists(api, dead));
  CHECK(exists(api, live));
  const auto& messages = outcome.cleanup_messages;
  CHECK(std::find(messages.begin(), messages.end(), "deleted namespace " + dead) != messages.end());
  const auto left = scs::ResourceJournal::leftovers(state.path(), journal_key(api));
  CHECK(left.empty());  // the dead run's entry is closed; the live one is not a leftover
}

TEST_CASE("KaaS run: scs-0211 journals its namespace and closes it once the namespace is gone") {
  TempDir dir;
  TempDir state;
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  auto options = extras_run(write_kubeconfig(api, dir), state);
  options.tests = "scs-0211";
  const auto outcome = scs::run_scope(options, not_interrupted);
  const auto it =
      std::find_if(outcome.report.outcomes.begin(), outcome.report.outcomes.end(),
                   [](const auto& testcase) { return testcase.id == "scs-0211-default-storage-class"; });
  REQUIRE(it != outcome.report.outcomes.end());
  INFO(it->result.summary);
  CHECK(it->result.status == scs::Status::pass);
  CHECK(outcome.cleanup_messages.empty());
  std::string journal;
  for (const auto& file : std::filesystem::directory_iterator(state.path())) {
    if (file.path().extension() == ".jsonl") journal += scs::test::read_text(file.path());
  }
  CHECK(journal.find(R"("op":"create")") != std::string::npos);
  CHECK(journal.find(R"("op":"close")") != std::string::npos);
  CHECK(scs::ResourceJournal::leftovers(state.path(), journal_key(api)).empty());
}

TEST_CASE("cleanup --kubeconfig: journaled and swept namespaces go, live and foreign ones stay") {
  TempDir dir;
  TempDir state;
  const std::string journaled = "scs-conformance-dead02-1-0211";
  const std::string swept = "scs-conformance-gone03-4-0211";  // its journal is lost: found by label
  const std::string live = "scs-conformance-live04-1-0211";
  const std::string unlabelled = "scs-conformance-user05-1-mine";  // not ours without the label
  FakeKubeApi api(fixture_with(dir, "good",
                               {namespace_object(journaled, true), namespace_object(swept, true),
                                namespace_object(live, true), namespace_object(unlabelled, false)}));
  journal_of_dead_run(state, api, "dead02", journaled);
  scs::ResourceJournal live_run(state.path(), journal_key(api), "fake-ctx", "", "live04");

  scs::CleanupOptions options;
  options.kubeconfig = write_kubeconfig(api, dir);
  options.state_dir = state.path().string();
  {
    options.dry_run = true;
    std::ostringstream out;
    CHECK(scs::cleanup_command(options, out) == 0);
    CHECK_THAT(out.str(), Catch::Contains("would delete namespace " + journaled));
    CHECK_THAT(out.str(), Catch::Contains("would delete namespace " + swept));
    CHECK(exists(api, journaled));
    CHECK(exists(api, swept));
  }
  {
    options.dry_run = false;
    std::ostringstream out;
    CHECK(scs::cleanup_command(options, out) == 0);
    INFO(out.str());
    CHECK_THAT(out.str(), Catch::Contains("deleted namespace " + journaled));
    CHECK_THAT(out.str(), Catch::Contains("deleted namespace " + swept));
    CHECK_THAT(out.str(), Catch::Contains("cluster 'fake-ctx': 2 objects, 0 could not be deleted"));
    CHECK_FALSE(exists(api, journaled));
    CHECK_FALSE(exists(api, swept));
    CHECK(exists(api, live));
    CHECK(exists(api, unlabelled));
    CHECK(exists(api, "kube-system"));
    CHECK(scs::ResourceJournal::leftovers(state.path(), journal_key(api)).empty());
  }
  {
    std::ostringstream out;
    CHECK(scs::cleanup_command(options, out) == 0);
    CHECK(out.str() == "nothing to clean up in cluster 'fake-ctx'\n");
  }
}

TEST_CASE("cleanup --kubeconfig: a failing delete exits 1 and keeps the entry, a wrong token is one error") {
  TempDir dir;
  TempDir state;
  const std::string stuck = "scs-conformance-dead06-1-0211";
  FakeKubeApi api(fixture_with(dir, "good", {namespace_object(stuck, true)}));
  journal_of_dead_run(state, api, "dead06", stuck);
  api.inject({"DELETE", "/api/v1/namespaces/" + stuck, 500});
  scs::CleanupOptions options;
  options.kubeconfig = write_kubeconfig(api, dir);
  options.state_dir = state.path().string();
  std::ostringstream out;
  CHECK(scs::cleanup_command(options, out) == 1);
  CHECK_THAT(out.str(), Catch::Contains("FAILED: namespace " + stuck));
  CHECK(scs::ResourceJournal::leftovers(state.path(), journal_key(api)).size() == 1);

  TempDir other;
  options.kubeconfig = write_kubeconfig(api, other, "wrong-token-canary");
  try {
    std::ostringstream ignored;
    scs::cleanup_command(options, ignored);
    FAIL("a wrong token must throw");
  } catch (const scs::ConfigError& error) {
    CHECK(std::string(error.what()).find("wrong-token-canary") == std::string::npos);
  }
}

namespace {

// The real binary, run on the bad-pending cluster (scs-0211's claim never binds), stopped with
// `signal` once its namespace exists. Returns the namespace and the exit status.
std::pair<std::string, int> stop_binary_during_0211(FakeKubeApi& api, const TempDir& dir,
                                                    const TempDir& state, int signal_number) {
  const auto kubeconfig = write_kubeconfig(api, dir);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::setenv("SCS_STATE_DIR", state.path().c_str(), 1);
    ::freopen("/dev/null", "w", stdout);
    ::execl(SCS_BINARY, SCS_BINARY, "run", "--scope",
            SCS_SOURCE_DIR "/standards/scopes/scs-conformance-kaas-extras.yaml", "--kubeconfig",
            kubeconfig.c_str(), "--tests", "scs-0211", "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string name;
  // A guard against hanging only: the pod normally comes within a second or two.
  const auto until = std::chrono::steady_clock::now() + 120s;
  while (name.empty() && std::chrono::steady_clock::now() < until) {
    for (const auto& request : api.requests()) {
      if (request.method == "POST" && request.target.find("/pods") != std::string::npos) {
        name = request.target.substr(std::string("/api/v1/namespaces/").size());
        name = name.substr(0, name.find('/'));
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  ::kill(child, signal_number);
  int status = 0;
  ::waitpid(child, &status, 0);
  return {name, status};
}

}  // namespace

TEST_CASE(
    "the binary killed with SIGKILL in the middle of scs-0211: cleanup --kubeconfig removes its namespace",
    "[timing]") {
  TempDir dir;
  TempDir state;
  FakeKubeApi api(FakeKubeApi::fixture("bad-pending"));
  const auto [name, status] = stop_binary_during_0211(api, dir, state, SIGKILL);
  REQUIRE_FALSE(name.empty());
  CHECK(WIFSIGNALED(status));
  CHECK(exists(api, name));  // nothing could clean up
  scs::CleanupOptions options;
  options.kubeconfig = (dir / "kubeconfig.yaml").string();
  options.state_dir = state.path().string();
  std::ostringstream out;
  CHECK(scs::cleanup_command(options, out) == 0);
  CHECK_THAT(out.str(), Catch::Contains("deleted namespace " + name));
  CHECK_FALSE(exists(api, name));
  CHECK(api.objects_in_namespace(name) == 0);  // the claim and the pod went with it
}

TEST_CASE("the binary stopped with Ctrl-C in the middle of scs-0211 deletes its namespace itself",
          "[timing]") {
  TempDir dir;
  TempDir state;
  FakeKubeApi api(FakeKubeApi::fixture("bad-pending"));
  const auto [name, status] = stop_binary_during_0211(api, dir, state, SIGINT);
  REQUIRE_FALSE(name.empty());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_FALSE(exists(api, name));
  scs::KubeConfig config;
  config.server = api.server();
  CHECK(scs::ResourceJournal::leftovers(state.path(), scs::cluster_journal_key(config)).empty());
}
