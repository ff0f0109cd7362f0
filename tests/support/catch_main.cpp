// Catch2's main, with one difference: `--warn` (`-w`) may be given more than once, each adding
// its warning. Catch2 v2 accepts the option only once, and the tests need both (EXTRA_ARGS in
// tests/CMakeLists.txt): NoTests (a test name that matches nothing fails) and NoAssertions (a
// test or section that asserts nothing fails).
// And one addition: XDG_CACHE_HOME points to a private directory for the process, so that no
// test reads or writes the user's caches (token cache, spec cache); it is removed at the end.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

/// A fresh XDG_CACHE_HOME for this test process, removed when it ends.
class PrivateCacheHome {
 public:
  PrivateCacheHome() {
    std::string pattern = (std::filesystem::temp_directory_path() / "scs-tests-cache-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) {
      directory_ = pattern;
      setenv("XDG_CACHE_HOME", pattern.c_str(), 1);
    }
  }
  ~PrivateCacheHome() {
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
  }
  PrivateCacheHome(const PrivateCacheHome&) = delete;
  PrivateCacheHome& operator=(const PrivateCacheHome&) = delete;

 private:
  std::filesystem::path directory_;
};

}  // namespace

int main(int argc, char* argv[]) {
  const PrivateCacheHome cache_home;
  Catch::Session session;
  std::vector<char*> rest;
  int warnings = Catch::WarnAbout::Nothing;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--warn" || arg == "-w") && i + 1 < argc) {
      const std::string_view what = argv[++i];
      if (what == "NoAssertions") {
        warnings |= Catch::WarnAbout::NoAssertions;
      } else if (what == "NoTests") {
        warnings |= Catch::WarnAbout::NoTests;
      } else {
        Catch::cerr() << "Unrecognised warning: '" << what << "' (NoAssertions or NoTests)\n";
        return 1;
      }
      continue;
    }
    rest.push_back(argv[i]);
  }
  if (const int error = session.applyCommandLine(static_cast<int>(rest.size()), rest.data()); error != 0)
    return error;
  session.configData().warnings =
      static_cast<Catch::WarnAbout::What>(session.configData().warnings | warnings);
  return session.run();
}
