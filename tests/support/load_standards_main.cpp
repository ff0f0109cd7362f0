// scs-load-standards DIR: loads every standard in DIR as scs-conformance does and prints each
// testcase as "ID CHECK FILE:LINE". For tests of spec files that no built binary has checks for
// yet (what scripts/new-standard scaffolds). Exit 0, or 78 with the spec error.
#include <iostream>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "spec/spec.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: scs-load-standards DIR\n";
    return 64;
  }
  try {
    for (const auto& standard : scs::load_standards(argv[1])) {
      for (const auto& binding : standard.testcases) {
        fmt::print("{} {} {}:{}\n", binding.id, binding.check, binding.source.file, binding.source.line);
      }
    }
  } catch (const scs::Error& error) {
    std::cerr << "scs-load-standards: error: " << error.what() << '\n';
    return 78;
  }
  return 0;
}
