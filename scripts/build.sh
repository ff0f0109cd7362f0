#!/usr/bin/env bash
# Configures and builds into build/ with Ninja. SCS_WERROR=ON (as in CI) makes warnings errors.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
cmake -S "$top" -B "$top/build" -G Ninja -DSCS_WERROR="${SCS_WERROR:-OFF}" >/dev/null
cmake --build "$top/build" -j "$(nproc)"
