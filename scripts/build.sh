#!/usr/bin/env bash
# Configures build/ with Ninja and builds the given targets (default: all). One configuration
# for every caller, warnings as errors as in CI: scripts/demo (target scs-conformance) and
# scripts/test (all) share every object file, so nothing is compiled twice.
#   scripts/build.sh                  everything, tests included
#   scripts/build.sh scs-conformance  only the program
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
cmake -S "$top" -B "$top/build" -G Ninja -DSCS_WERROR=ON >/dev/null
cmake --build "$top/build" -j "$(nproc)" ${1:+--target "$@"}
