// Catch2's main, with one difference: `--warn` (`-w`) may be given more than once, each adding
// its warning. Catch2 v2 accepts the option only once, and the tests need both (EXTRA_ARGS in
// tests/CMakeLists.txt): NoTests (a test name that matches nothing fails) and NoAssertions (a
// test or section that asserts nothing fails).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

int main(int argc, char* argv[]) {
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
