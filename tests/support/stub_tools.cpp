#include "tests/support/stub_tools.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace scs::testing {

namespace {
const std::filesystem::path fixtures = std::filesystem::path(SCS_SOURCE_DIR) / "tests/checks/fixtures/kaas";
}

StubTools::StubTools(const std::string& scenario, const std::vector<std::string>& bin_dirs) {
  std::random_device seed;
  work_dir_ = std::filesystem::temp_directory_path() / fmt::format("scs-stub-tools-{:08x}", seed());
  std::filesystem::create_directories(work_dir_);
  log_ = work_dir_.string() + ".log";
  std::string path;
  for (const auto& dir : bin_dirs) path += (fixtures / dir).string() + ":";
  path += "/usr/bin:/bin";  // the stubs' sh, cp, sleep
  if (bin_dirs.empty()) path = (fixtures / "no-such-dir").string();
  set("PATH", path);
  set("STUB_SCENARIO", scenario);
  set("STUB_LOG", log_.string());
  set("STUB_RESULTS", results_dir().string());
}

StubTools::~StubTools() {
  for (const auto& [name, value] : saved_) {
    if (value)
      ::setenv(name.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
  std::filesystem::remove(log_, ignored);
}

void StubTools::set(const std::string& name, const std::string& value) {
  if (!saved_.contains(name)) {
    const char* old = std::getenv(name.c_str());
    saved_[name] = old == nullptr ? std::nullopt : std::optional<std::string>(old);
  }
  ::setenv(name.c_str(), value.c_str(), 1);
}

std::vector<std::string> StubTools::calls() const {
  std::vector<std::string> lines;
  std::ifstream in(log_);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::filesystem::path StubTools::results_dir() { return fixtures / "results"; }

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

bool notes_mention(const Result& result, const std::string& text) {
  for (const auto& note : result.notes) {
    if (note.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace scs::testing
