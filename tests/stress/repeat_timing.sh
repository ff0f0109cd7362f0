#!/usr/bin/env bash
# Runs every test tagged [timing] (timeouts, sleeps, budgets, retries and backoff, signals) again
# and again while the machine is fully loaded, to show they do not flake: one busy loop per core
# runs beside them (killed at the end, by pid), and the test binaries run two at a time, as
# `ctest -j2` would run them.
#
#   tests/stress/repeat_timing.sh [RUNS] [BUILD_DIR]     (defaults: 20, build)
#
# Prints runs and failures per test and exits non-zero on any failure (or when no [timing] test
# is found). Needs the test binaries built (scripts/build.sh) and /usr/bin/python3.
set -euo pipefail

runs=${1:-20}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${2:-$top/build}" && pwd)
tests_dir=$build/tests
out=$(mktemp -d "${TMPDIR:-/tmp}/scs-repeat-timing-XXXXXX")

busy=()
cleanup() {
  local pid
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$out"
}
trap cleanup EXIT

# The binaries that have [timing] tests, and how many each has.
binaries=()
total=0
for binary in "$tests_dir"/scs-tests-*; do
  [[ -x $binary ]] || continue
  count=$("$binary" "[timing]" --list-test-names-only | grep -c . || true)
  if ((count > 0)); then
    binaries+=("$binary")
    total=$((total + count))
    echo "$(basename "$binary"): $count [timing] tests"
  fi
done
if ((total == 0)); then
  echo "no [timing] tests found in $tests_dir (build them first: scripts/build.sh)" >&2
  exit 1
fi

cores=$(nproc)
for ((i = 0; i < cores; i++)); do
  (while :; do :; done) &
  busy+=("$!")
done
echo "load: $cores busy loops (pids ${busy[*]}); $total tests x $runs runs"

started=$(date +%s)
cd "$top"  # the tests find their fixtures relative to the source tree
for ((run = 1; run <= runs; run++)); do
  # Two binaries at a time, each writing Catch2's XML report (one <TestCase> per test with its
  # OverallResult); a binary that crashes leaves an unparsable report, counted below.
  printf '%s\n' "${binaries[@]}" |
    xargs -P 2 -I{} sh -c 'b=$1; "$b" "[timing]" --warn NoAssertions --warn NoTests -r xml -o "$2/$(basename "$b").$3.xml" >"$2/$(basename "$b").$3.log" 2>&1 || true' \
      sh {} "$out" "$run"
  printf 'run %d/%d done (%d s)\n' "$run" "$runs" $(($(date +%s) - started))
done
wall=$(($(date +%s) - started))

/usr/bin/python3 - "$out" "$runs" "$wall" "${binaries[@]}" <<'PY'
import collections, glob, os, sys
import xml.etree.ElementTree as ET

out, runs, wall, binaries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
ran = collections.Counter()
failed = collections.Counter()
broken = []
for binary in binaries:
    name = os.path.basename(binary)
    for run in range(1, runs + 1):
        path = f"{out}/{name}.{run}.xml"
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            broken.append(f"{name} run {run}: no readable report ({error}); log: "
                          + open(f"{out}/{name}.{run}.log", errors="replace").read()[-2000:])
            continue
        for case in root.iter("TestCase"):
            key = f"{name}: {case.get('name')}"
            ran[key] += 1
            result = case.find("OverallResult")
            if result is None or result.get("success") != "true":
                failed[key] += 1
width = max((len(k) for k in ran), default=10)
print(f"\n{'test':<{width}}  runs  failures")
for key in sorted(ran):
    print(f"{key:<{width}}  {ran[key]:>4}  {failed[key]:>8}")
total_runs, total_failures = sum(ran.values()), sum(failed.values())
print(f"\n{len(ran)} tests, {total_runs} test runs, {total_failures} failures, "
      f"{len(broken)} unreadable reports, wall time {wall} s")
for line in broken:
    print("BROKEN:", line)
short = [k for k in ran if ran[k] != runs]
for key in short:
    print(f"MISSING RUNS: {key} ran {ran[key]} of {runs} times")
sys.exit(1 if total_failures or broken or short or not ran else 0)
PY
