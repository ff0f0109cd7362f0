// The resource journal: append before create, close after delete, readable after a crash, and
// leftovers only of runs that are no longer alive.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "clients/journal/resource_journal.hpp"
#include "clients/openstack/resource_reaper.hpp"
#include "tests/support/temp_env.hpp"

namespace fs = std::filesystem;
using scs::ResourceJournal;

TEST_CASE("journal entries are open from intent to close, and names carry the run id", "[journal]") {
  const scs::test::TempDir temp("scs-journal-test");
  const auto& dir = temp.path();
  {
    ResourceJournal journal(dir, "mycloud", "RegionOne", "p1", "abc123");
    const auto name = journal.name("backup");
    CHECK(name == "scs-conformance-abc123-1-backup");
    CHECK(scs::run_of_name(name) == "abc123");
    CHECK(scs::run_of_name("my-volume").empty());
    const auto volume = journal.intend("volume", name);
    journal.created(volume, "vol-id");
    const auto secret = journal.intend("secret", journal.name("secret"));
    REQUIRE(journal.open_entries().size() == 2);
    CHECK(journal.open_entries()[0].id == "vol-id");
    CHECK(journal.open_entries()[1].id.empty());  // killed before the answer came
    journal.closed(volume);
    REQUIRE(journal.open_entries().size() == 1);
    CHECK(journal.open_entries()[0].seq == secret);
    // This run is alive: its open entry is not a leftover for anyone else.
    CHECK(ResourceJournal::leftovers(dir, "mycloud").empty());
  }
  // The run ended (its lock file is gone) without closing the secret: a leftover.
  const auto left = ResourceJournal::leftovers(dir, "mycloud");
  REQUIRE(left.size() == 1);
  CHECK(left[0].type == "secret");
  CHECK(left[0].name == "scs-conformance-abc123-2-secret");
  CHECK(left[0].project == "p1");
  ResourceJournal::close_leftovers(dir, "mycloud", left);
  CHECK(ResourceJournal::leftovers(dir, "mycloud").empty());
}

TEST_CASE("a journal torn by a crash is still read, and a killed run's entries are leftovers", "[journal]") {
  const scs::test::TempDir temp("scs-journal-test");
  const auto& dir = temp.path();
  const pid_t child = fork();
  if (child == 0) {
    // The child journals a volume and dies without closing or cleaning anything (like SIGKILL).
    ResourceJournal journal(dir, "c", "", "p", "dead01");
    journal.created(journal.intend("volume", journal.name("v")), "id-1");
    std::ofstream(journal.file(), std::ios::app) << R"({"op":"create","run":"dead01","se)";  // torn write
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(fs::exists(dir / "run-dead01.lock"));  // left behind by the dead process
  const auto left = ResourceJournal::leftovers(dir, "c");
  REQUIRE(left.size() == 1);
  CHECK(left[0].id == "id-1");
  CHECK(left[0].type == "volume");
  CHECK_FALSE(fs::exists(dir / "run-dead01.lock"));  // removed once found unlocked
}

TEST_CASE("the state directory follows SCS_STATE_DIR, then XDG_STATE_HOME, then HOME", "[journal]") {
  scs::test::ScopedEnv env;
  env.set("SCS_STATE_DIR", "/tmp/a");
  CHECK(scs::state_directory() == fs::path("/tmp/a"));
  env.unset("SCS_STATE_DIR");
  env.set("XDG_STATE_HOME", "/tmp/x");
  CHECK(scs::state_directory() == fs::path("/tmp/x/scs-conformance"));
  env.unset("XDG_STATE_HOME");
  CHECK(scs::state_directory() == fs::path(std::getenv("HOME")) / ".local/state/scs-conformance");
}

TEST_CASE("cleanup deletes in dependency order", "[journal]") {
  using scs::ResourceReaper;
  CHECK(ResourceReaper::deletion_rank("server") < ResourceReaper::deletion_rank("volume"));
  CHECK(ResourceReaper::deletion_rank("backup") < ResourceReaper::deletion_rank("volume"));
  CHECK(ResourceReaper::deletion_rank("router_interface") < ResourceReaper::deletion_rank("router"));
  CHECK(ResourceReaper::deletion_rank("server") < ResourceReaper::deletion_rank("network"));
  CHECK(ResourceReaper::deletion_rank("subnet") < ResourceReaper::deletion_rank("network"));
  CHECK(ResourceReaper::deletion_rank("port") < ResourceReaper::deletion_rank("subnet"));
  // Keystone (scs-0302): what a domain holds before the domain.
  for (const auto* inside : {"user", "project", "group"}) {
    CHECK(ResourceReaper::deletion_rank(inside) < ResourceReaper::deletion_rank("domain"));
  }
  CHECK(ResourceReaper::deletion_rank("domain") < ResourceReaper::deletion_rank("unknown-kind"));
}

TEST_CASE("a second journal of the same run (the admin account's) shares the run's lock", "[journal]") {
  const scs::test::TempDir temp("scs-journal-test");
  auto subject = std::make_unique<ResourceJournal>(temp.path(), "member-cloud", "RegionOne", "p", "abc123");
  // Taking the lock a second time fails: the run is already alive.
  CHECK_THROWS(ResourceJournal(temp.path(), "admin-cloud", "RegionOne", "q", "abc123"));
  {
    ResourceJournal admin(temp.path(), "admin-cloud", "RegionOne", "q", "abc123", /*hold_run_lock=*/false);
    const auto seq = admin.intend("domain", admin.name("0302-domain"));
    admin.created(seq, "d1");
    CHECK(ResourceJournal::run_alive(temp.path(), "abc123"));
    // Its open entries belong to a live run: no leftovers for another run to delete.
    CHECK(ResourceJournal::leftovers(temp.path(), "admin-cloud").empty());
  }
  CHECK(ResourceJournal::run_alive(temp.path(), "abc123"));  // the subject's journal still holds it
  subject.reset();
  CHECK_FALSE(ResourceJournal::run_alive(temp.path(), "abc123"));
  CHECK(ResourceJournal::leftovers(temp.path(), "admin-cloud").size() == 1);  // for the next run's cleanup
}

TEST_CASE("compaction keeps exactly the open entries, and appends during it are not lost", "[journal]") {
  const scs::test::TempDir temp("scs-journal-test");
  const auto& dir = temp.path();
  const auto line_count = [](const fs::path& file) {
    std::ifstream in(file);
    int lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    return lines;
  };
  ResourceJournal live(dir, "c", "r", "p", "live01");
  {
    ResourceJournal ended(dir, "c", "r", "p", "old001");
    for (int i = 0; i < 50; ++i) {
      const auto seq = ended.intend("volume", ended.name("v"));
      ended.created(seq, "id-" + std::to_string(i));
      ended.closed(seq);
    }
    ended.created(ended.intend("server", ended.name("kept")), "server-id");  // never closed
  }
  const auto open_seq = live.intend("network", live.name("net"));
  REQUIRE(line_count(live.file()) == 153);

  ResourceJournal::compact(dir, "c");
  CHECK(line_count(live.file()) == 3);  // the dead run's server (create + id), the live network
  const auto left = ResourceJournal::leftovers(dir, "c");
  REQUIRE(left.size() == 1);
  CHECK(left[0].id == "server-id");
  CHECK(left[0].name == "scs-conformance-old001-51-kept");

  // A live run goes on writing to the compacted file, from this and from other processes.
  const pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 200; ++i) ResourceJournal::close_leftovers(dir, "c", {});
    ResourceJournal writer(dir, "c", "r", "p", "child1");
    for (int i = 0; i < 100; ++i) writer.intend("port", writer.name("p"));
    _exit(0);
  }
  for (int i = 0; i < 20; ++i) ResourceJournal::compact(dir, "c");
  int status = 0;
  waitpid(child, &status, 0);
  live.closed(open_seq);
  CHECK(live.open_entries().empty());
  // Every one of the child's 100 entries survived the concurrent compactions.
  CHECK(ResourceJournal::leftovers(dir, "c").size() == 101);
}
