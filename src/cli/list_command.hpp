#pragma once

#include <iosfwd>
#include <string>

#include "run/plan.hpp"

namespace scs {

/// `list`: the scope's versions with their validity on `date`, and every testcase with the
/// versions and targets that include it and whether this tool implements it.
void print_scope_listing(const Scope& scope, const Bindings& bindings, const std::string& date,
                         std::ostream& out);

/// `explain ID`: what a testcase checks, why, how to fix a failure, where the scope uses it, and
/// the files that implement it (see print_testcase_files; `registry` holds the checks of
/// `bindings`, which were loaded from `standards_dir`). Throws UsageError for an unknown id.
void print_explanation(const Scope& scope, const Bindings& bindings, const Registry& registry,
                       const std::string& standards_dir, const std::string& id, std::ostream& out);

}  // namespace scs
