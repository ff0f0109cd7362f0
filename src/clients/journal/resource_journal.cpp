#include "clients/journal/resource_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace scs {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// A cloud name becomes a file name: anything but [A-Za-z0-9._-] is replaced.
std::string file_safe(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    out += plain ? c : '_';
  }
  return out.empty() ? std::string("default") : out;
}

fs::path journal_file(const fs::path& directory, std::string_view cloud) {
  return directory / fmt::format("journal-{}.jsonl", file_safe(cloud));
}

fs::path lock_file(const fs::path& directory, std::string_view run_id) {
  return directory / fmt::format("run-{}.lock", file_safe(run_id));
}

// Opens `file` for appending and takes its lock. compact() may have replaced the file while
// this process waited for the lock: then the descriptor points at the old, unlinked file, and
// the open is repeated, so that no record lands where nobody reads it.
int open_locked(const fs::path& file) {
  for (;;) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      throw ConfigError(fmt::format("cannot open journal {}: {}", file.string(), std::strerror(errno)));
    ::flock(fd, LOCK_EX);
    struct stat opened {};
    struct stat current {};
    if (::fstat(fd, &opened) == 0 && ::stat(file.c_str(), &current) == 0 && opened.st_ino == current.st_ino &&
        opened.st_dev == current.st_dev)
      return fd;
    ::close(fd);
  }
}

// One line in one write(2) on an O_APPEND descriptor, under flock, then fsync: concurrent
// runs never interleave, and the line is on disk before the create request leaves.
void append_line(const fs::path& file, const std::string& line) {
  const int fd = open_locked(file);
  const std::string text = line + '\n';
  const auto written = ::write(fd, text.data(), text.size());
  const int write_errno = errno;
  const bool synced = ::fsync(fd) == 0;
  ::flock(fd, LOCK_UN);
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()) || !synced) {
    throw ConfigError(fmt::format("cannot write journal {}: {}", file.string(), std::strerror(write_errno)));
  }
}

// Reads every entry of the file, closed ones removed. A torn last line (a crash in the middle
// of a write) is skipped: it can only be a record whose create request was never sent.
std::vector<JournalEntry> read_open(const fs::path& file) {
  std::vector<JournalEntry> entries;
  std::ifstream in(file);
  std::string line;
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> index;
  std::set<std::pair<std::string, std::uint64_t>> closed;
  while (std::getline(in, line)) {
    const auto record = json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("op") || !record.contains("run") || !record.contains("seq"))
      continue;
    const auto key = std::make_pair(record.value("run", ""), record.value("seq", std::uint64_t{0}));
    const auto op = record.value("op", "");
    if (op == "create") {
      JournalEntry entry{key.first,
                         key.second,
                         record.value("cloud", ""),
                         record.value("region", ""),
                         record.value("project", ""),
                         record.value("type", ""),
                         record.value("name", ""),
                         {}};
      index[key] = entries.size();
      entries.push_back(std::move(entry));
    } else if (op == "id") {
      if (const auto it = index.find(key); it != index.end()) entries[it->second].id = record.value("id", "");
    } else if (op == "close") {
      closed.insert(key);
    }
  }
  std::erase_if(entries, [&](const JournalEntry& entry) {
    return closed.count({entry.run, entry.seq}) == 1;
  });
  return entries;
}

std::string create_record(const JournalEntry& entry) {
  return json{{"op", "create"},       {"run", entry.run},       {"seq", entry.seq},
              {"cloud", entry.cloud}, {"region", entry.region}, {"project", entry.project},
              {"type", entry.type},   {"name", entry.name}}
      .dump();
}

}  // namespace

fs::path state_directory() {
  if (const auto dir = env("SCS_STATE_DIR"); !dir.empty()) return dir;
  if (const auto dir = env("XDG_STATE_HOME"); !dir.empty()) return fs::path(dir) / "scs-conformance";
  if (const auto home = env("HOME"); !home.empty()) return fs::path(home) / ".local/state/scs-conformance";
  throw ConfigError("no state directory for the resource journal: set SCS_STATE_DIR or HOME");
}

std::string run_of_name(std::string_view name) {
  if (!name.starts_with(resource_prefix)) return {};
  name.remove_prefix(resource_prefix.size());
  const auto dash = name.find('-');
  return dash == std::string_view::npos ? std::string() : std::string(name.substr(0, dash));
}

ResourceJournal::ResourceJournal(fs::path directory, std::string cloud, std::string region,
                                 std::string project, std::string run_id, bool hold_run_lock)
    : directory_(std::move(directory)),
      cloud_(std::move(cloud)),
      region_(std::move(region)),
      project_(std::move(project)),
      run_id_(std::move(run_id)) {
  std::error_code error;
  fs::create_directories(directory_, error);
  if (error) {
    throw ConfigError(
        fmt::format("cannot create the state directory {}: {}", directory_.string(), error.message()));
  }
  file_ = journal_file(directory_, cloud_);
  lock_file_ = lock_file(directory_, run_id_);
  if (!hold_run_lock) return;
  // Held until the run ends (also by SIGKILL: the kernel drops the lock with the process).
  lock_fd_ = ::open(lock_file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw ConfigError(fmt::format("cannot lock {}: {}", lock_file_.string(), std::strerror(errno)));
  }
}

ResourceJournal::~ResourceJournal() {
  if (lock_fd_ >= 0) {
    // Remove while still holding the lock, so a reader never sees a stale unlocked file of ours.
    std::error_code ignored;
    fs::remove(lock_file_, ignored);
    ::close(lock_fd_);
  }
}

std::string ResourceJournal::name(std::string_view what) {
  const std::lock_guard lock(mutex_);
  return fmt::format("{}{}-{}-{}", resource_prefix, run_id_, ++names_, what);
}

void ResourceJournal::append(const std::string& line) { append_line(file_, line); }

std::uint64_t ResourceJournal::intend(std::string_view type, std::string_view name) {
  const std::lock_guard lock(mutex_);
  const auto seq = next_seq_++;
  JournalEntry entry{run_id_, seq, cloud_, region_, project_, std::string(type), std::string(name), {}};
  append(create_record(entry));
  entries_.push_back(std::move(entry));
  return seq;
}

void ResourceJournal::created(std::uint64_t seq, std::string_view id) {
  const std::lock_guard lock(mutex_);
  append(json{{"op", "id"}, {"run", run_id_}, {"seq", seq}, {"id", id}}.dump());
  for (auto& entry : entries_) {
    if (entry.seq == seq) entry.id = std::string(id);
  }
}

void ResourceJournal::closed(std::uint64_t seq) {
  const std::lock_guard lock(mutex_);
  append(json{{"op", "close"}, {"run", run_id_}, {"seq", seq}}.dump());
  std::erase_if(entries_, [seq](const JournalEntry& entry) { return entry.seq == seq; });
}

std::vector<JournalEntry> ResourceJournal::open_entries() const {
  const std::lock_guard lock(mutex_);
  return entries_;
}

bool ResourceJournal::run_alive(const fs::path& directory, std::string_view run_id) {
  const auto path = lock_file(directory, run_id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;  // a run that ended normally removed its lock file
  const bool locked_by_other = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  if (!locked_by_other) {
    std::error_code ignored;
    fs::remove(path, ignored);  // left by a killed run
  }
  ::close(fd);
  return locked_by_other;
}

std::vector<JournalEntry> ResourceJournal::leftovers(const fs::path& directory, std::string_view cloud) {
  auto entries = read_open(journal_file(directory, cloud));
  std::map<std::string, bool> alive;
  std::erase_if(entries, [&](const JournalEntry& entry) {
    const auto [it, inserted] = alive.try_emplace(entry.run, false);
    if (inserted) it->second = run_alive(directory, entry.run);
    return it->second;
  });
  return entries;
}

void ResourceJournal::compact(const fs::path& directory, std::string_view cloud) {
  const auto file = journal_file(directory, cloud);
  if (!fs::exists(file)) return;
  const int fd = open_locked(file);
  try {
    const auto entries = read_open(file);
    const auto temporary = fs::path(file.string() + ".compact");
    {
      std::ofstream out(temporary, std::ios::trunc);
      for (const auto& entry : entries) {
        out << create_record(entry) << '\n';
        if (!entry.id.empty())
          out << json{{"op", "id"}, {"run", entry.run}, {"seq", entry.seq}, {"id", entry.id}}.dump() << '\n';
      }
      out.flush();
      if (!out) throw ConfigError(fmt::format("cannot write {}", temporary.string()));
    }
    // The records are on disk before the new file takes the old one's place.
    const int temporary_fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
    if (temporary_fd >= 0) {
      ::fsync(temporary_fd);
      ::close(temporary_fd);
    }
    fs::rename(temporary, file);
  } catch (...) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
    throw;
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
}

void ResourceJournal::close_leftovers(const fs::path& directory, std::string_view cloud,
                                      const std::vector<JournalEntry>& entries) {
  const auto file = journal_file(directory, cloud);
  for (const auto& entry : entries) {
    append_line(file, json{{"op", "close"}, {"run", entry.run}, {"seq", entry.seq}}.dump());
  }
}

}  // namespace scs
