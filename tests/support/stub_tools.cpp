#include "tests/support/stub_tools.hpp"

#include <fstream>
#include <sstream>

namespace scs::testing {

namespace {
const std::filesystem::path fixtures = std::filesystem::path(SCS_SOURCE_DIR) / "tests/checks/fixtures/kaas";
}

StubTools::StubTools(const std::string& scenario, const std::vector<std::string>& bin_dirs)
    : log_(work_dir_.path().string() + ".log") {
  std::string path;
  for (const auto& dir : bin_dirs) path += (fixtures / dir).string() + ":";
  path += "/usr/bin:/bin";  // the stubs' sh, cp, sleep
  if (bin_dirs.empty()) path = (fixtures / "no-such-dir").string();
  env_.set("PATH", path);
  env_.set("STUB_SCENARIO", scenario);
  env_.set("STUB_LOG", log_.string());
  env_.set("STUB_RESULTS", results_dir().string());
}

StubTools::~StubTools() {
  std::error_code ignored;
  std::filesystem::remove(log_, ignored);
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
