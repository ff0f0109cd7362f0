#!/usr/bin/env bash
# Keeps examples/ci from rotting: every `scs-conformance …` command in the CI examples (GitLab,
# GitHub Actions, Zuul) is extracted and run with the real binary, offline, in a temporary
# directory, and must exit as the CI job expects. Commands are one line each in the examples,
# ending at ; & | or #, which is how they are found here.
#
#   run:    --os-cloud "$OS_CLOUD" becomes --replay examples/testcloud-compliant; exit 0 (the
#           recorded compliant cloud passes), every report written
#   diff:   the previous report is this run's own: exit 0 (nothing got worse)
#   upload: needs a compliance monitor, which this test has not: it runs against a closed port
#           (--monitor http://127.0.0.1:1) with a freshly made Ed25519 key, so it must sign
#           (REPORT.sig verifies with the key's public half) and then exit 69, unreachable.
#           tests/integration/monitor_equivalence.py uploads to the real monitor.
# examples/kubernetes is checked by tests/integration/kubernetes_manifests.py (scripts/test).
#
# usage: tests/integration/examples_test.sh PATH/TO/scs-conformance
set -u

bin=${1:?usage: examples_test.sh PATH/TO/scs-conformance}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scs-examples-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(OS_[A-Za-z0-9_]*\)=.*/\1/p')
unset SCS_STANDARDS_DIR KUBECONFIG CI_COMMIT_BRANCH GITHUB_STEP_SUMMARY
export HOME=$tmp/home SCS_STATE_DIR=$tmp/state NO_COLOR=1
export SCS_MONITOR_USER=example-account SCS_MONITOR_PASSWORD=not-a-real-password
mkdir -p "$HOME" "$SCS_STATE_DIR"

passed=0
failed=0
check() { # check NAME CONDITION-COMMAND…
  local name=$1
  shift
  if "$@"; then
    echo "ok   - $name"
    passed=$((passed + 1))
  else
    echo "FAIL - $name"
    failed=$((failed + 1))
  fi
}

command -v ssh-keygen >/dev/null || { echo "FAIL - ssh-keygen is missing (openssh-client): cannot make a key"; exit 1; }

# commands FILE: the scs-conformance commands of a CI file, one per line (comments skipped).
commands() {
  grep -v '^[[:space:]]*#' "$1" |
    grep -oE 'scs-conformance (run|diff|sign|verify|upload|batch|cleanup)( [^;&|#]*)?' |
    sed 's/[[:space:]]*$//'
}

# run_command DIR COMMAND: runs one extracted command in DIR as the CI shell would (variables
# expanded, quotes honoured), with scs-conformance being the binary under test; sets rc.
rc=0
run_command() {
  local dir=$1 command=$2
  (
    cd "$dir" || exit 1
    export RUNNER_TEMP=$dir
    scs-conformance() { "$bin" "$@"; }
    eval "$command"
  ) >"$dir/out" 2>"$dir/err" </dev/null
  rc=$?
}

files=("$src/examples/ci/.gitlab-ci.yml" "$src/examples/ci/scs-conformance.yml" "$src/examples/ci/zuul/playbooks/scs-conformance.yaml")
for file in "${files[@]}"; do
  name=${file#"$src"/}
  dir=$tmp/$(basename "$(dirname "$file")")-$(basename "$file")
  mkdir -p "$dir/previous"
  ssh-keygen -q -t ed25519 -N '' -C 'examples test' -f "$dir/report-key" || exit 1
  seen_run=0 seen_diff=0 seen_upload=0
  mapfile -t lines < <(commands "$file")
  check "$name: has scs-conformance commands" test ${#lines[@]} -gt 0
  for command in "${lines[@]}"; do
    case $command in
    "scs-conformance run "*)
      seen_run=1
      replayed=${command/--os-cloud \"\$OS_CLOUD\"/--replay $src/examples/testcloud-compliant}
      check "$name: run uses --os-cloud \"\$OS_CLOUD\"" test "$replayed" != "$command"
      run_command "$dir" "$replayed"
      check "$name: $command → exit 0 (the recorded cloud passes), got $rc" test $rc -eq 0
      for report in report.yaml junit.xml summary.md report.html; do
        check "$name: run wrote $report" test -s "$dir/$report"
      done
      # The previous report, where each CI finds it: here the same run's.
      cp "$dir/report.yaml" "$dir/previous.yaml" && cp "$dir/report.yaml" "$dir/previous/report.yaml"
      ;;
    "scs-conformance diff "*)
      seen_diff=1
      check "$name: diff gates with --fail-on new-failures" grep -q -- '--fail-on new-failures' <<<"$command"
      run_command "$dir" "$command"
      check "$name: $command → exit 0 (nothing worse), got $rc" test $rc -eq 0
      ;;
    "scs-conformance upload "*)
      seen_upload=1
      rm -f "$dir/report.yaml.sig"
      run_command "$dir" "$command --monitor http://127.0.0.1:1"
      check "$name: $command → exit 69 (no monitor here), got $rc" test $rc -eq 69
      check "$name: upload signed the report" "$bin" verify "$dir/report.yaml" --public-key "$dir/report-key.pub"
      ;;
    *)
      check "$name: $command is a command this test knows" false
      ;;
    esac
    [ -s "$dir/err" ] && [ $rc -ne 0 ] && [ $rc -ne 2 ] && [ $rc -ne 69 ] && echo "       stderr: $(head -c 600 "$dir/err")"
  done
  check "$name: runs, diffs and uploads" test "$seen_run$seen_diff$seen_upload" = 111
done

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
