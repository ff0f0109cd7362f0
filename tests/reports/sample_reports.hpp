#pragma once

// Fixed Reports for the renderer goldens: every value a clock or a cloud would supply is set
// here, so the rendered text only changes when a renderer does.

#include "reports/report.hpp"
#include "spec/spec.hpp"

namespace scs::test {

/// A small scope shaped like SCS-compatible IaaS: v5.1 (main + recommended) and next.
Scope sample_scope();

/// FAIL, ABORT, N/A, notes, not implemented, not selected, a target id without outcome, and
/// text that needs escaping in every format.
Report mixed_report();

/// Everything required passes; a forced version.
Report passing_report();

/// sample_scope() with the three manual testcases of SCS-compatible IaaS; `next` requires one
/// in main and two in preview.
Scope manual_scope();

/// Every automated testcase passes; manual ones attested (pass; fail with text that needs
/// escaping) and one MISSING (expired attestation).
Report manual_report();

}  // namespace scs::test
