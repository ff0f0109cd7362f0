#pragma once

#include <iosfwd>
#include <string>

#include "core/registry.hpp"
#include "spec/spec.hpp"

namespace scs {

/// `explain`'s "Files" block: where a bound testcase lives, so a developer gets from its id to
/// the code in one step — its line in the standard's spec file, the line that registers its
/// check, and the standard's tests. Paths are relative to the repository that holds
/// `standards_dir`; without one (an installed binary) the spec file is named as loaded and the
/// registration by the repository-relative name recorded at build time.
void print_testcase_files(const TestcaseBinding& binding, const Registry& registry,
                          const std::string& standards_dir, std::ostream& out);

}  // namespace scs
