#!/usr/bin/env bash
# Process-level promises of scs-conformance, with the real binary: bad input gets a one-line
# error on stderr ("scs-conformance: error: …", naming the cause) and the documented exit code,
# never a crash or a stack trace; a run that cannot start still writes its reports and leaks no
# secret.
#
# usage: tests/cli/exit_codes.sh PATH/TO/scs-conformance
# Needs no cloud: failing clouds are a closed port (127.0.0.1:1) and a recorded Keystone 401.
set -u

bin=${1:?usage: exit_codes.sh PATH/TO/scs-conformance}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scs-exit-codes-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Nothing from the caller's environment may decide a case: no OS_* variable, no clouds.yaml in
# the home, XDG or working directories, the standards of this source tree.
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(OS_[A-Za-z0-9_]*\)=.*/\1/p')
unset SCS_STANDARDS_DIR NO_COLOR KUBECONFIG KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_CONFIG_DIRS=$tmp/xdg
mkdir -p "$HOME" "$tmp/work" "$tmp/cfg"
cd "$tmp/work" || exit 1

canary=canary-pw-7f3a9
# The tools that parse the reports and make the keys are required (scripts/deps.sh --test
# installs them): a check that cannot run is a failure, never a silent pass.
python=/usr/bin/python3
missing_tools=()
{ [[ -x $python ]] && "$python" -c 'import yaml' 2>/dev/null; } || missing_tools+=("/usr/bin/python3 with yaml (python3-yaml)")
command -v xmllint >/dev/null || missing_tools+=("xmllint (libxml2-utils)")
command -v ssh-keygen >/dev/null || missing_tools+=("ssh-keygen (openssh-client)")
if ((${#missing_tools[@]} > 0)); then
  echo "FAIL - tools the checks need are not installed: ${missing_tools[*]} (scripts/deps.sh --test)"
  exit 1
fi
passed=0
failed=0
rc=0

# run ARGS…: runs the binary; sets rc, and $tmp/out and $tmp/err hold stdout and stderr.
run() {
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
}

# report NAME [PROBLEM…]: one ok/FAIL line (with stderr when failing).
report() {
  local name=$1
  shift
  if (($# == 0)); then
    echo "ok   - $name"
    passed=$((passed + 1))
  else
    echo "FAIL - $name"
    local problem
    for problem in "$@"; do echo "       $problem"; done
    echo "       stderr: $(head -c 600 "$tmp/err")"
    failed=$((failed + 1))
  fi
}

# crash_problems: what on stderr looks like a crash rather than a message.
crash_problems() {
  if grep -qE 'terminate called|what\(\)|Aborted|Segmentation fault|core dumped|AddressSanitizer' "$tmp/err"; then
    echo "stderr shows a crash"
  fi
  if ((rc > 128 && rc != 130)); then echo "killed by signal $((rc - 128))"; fi
}

# check_error NAME CODE PATTERN…: exit code CODE; stderr is exactly one line, starting with
# "scs-conformance: error: ", no crash; it contains every PATTERN (fixed string, or an
# extended regex when written re:REGEX).
check_error() {
  local name=$1 want=$2
  shift 2
  local problems=() pattern lines
  [[ $rc == "$want" ]] || problems+=("exit code $rc, expected $want")
  lines=$(wc -l <"$tmp/err")
  [[ $lines == 1 ]] || problems+=("stderr has $lines lines, expected exactly 1")
  head -n 1 "$tmp/err" | grep -q '^scs-conformance: error: ' ||
    problems+=("stderr does not start with 'scs-conformance: error: '")
  while read -r line; do [[ -n $line ]] && problems+=("$line"); done < <(crash_problems)
  for pattern in "$@"; do
    if [[ $pattern == re:* ]]; then
      grep -qE -- "${pattern#re:}" "$tmp/err" || problems+=("stderr does not match /${pattern#re:}/")
    else
      grep -qF -- "$pattern" "$tmp/err" || problems+=("stderr lacks '$pattern'")
    fi
  done
  report "$name" "${problems[@]}"
}

# check_exit NAME CODE: exit code CODE and no crash (for commands that succeed or report).
check_exit() {
  local name=$1 want=$2
  local problems=()
  [[ $rc == "$want" ]] || problems+=("exit code $rc, expected $want")
  while read -r line; do [[ -n $line ]] && problems+=("$line"); done < <(crash_problems)
  report "$name" "${problems[@]}"
}

# check_reports NAME PREFIX: PREFIX.yaml/.json/.xml/.md exist, are not empty, parse (JSON, a
# YAML mapping, well-formed XML), and none holds the canary password; nor do stdout and stderr.
check_reports() {
  local name=$1 prefix=$2
  local problems=() file
  for file in "$prefix.yaml" "$prefix.json" "$prefix.xml" "$prefix.md"; do
    [[ -s $file ]] || problems+=("$file missing or empty")
  done
  "$python" - "$prefix" 2>/dev/null <<'EOF' || problems+=("$prefix.json is not JSON or $prefix.yaml not a YAML mapping")
import json, sys
import yaml
json.load(open(sys.argv[1] + ".json"))
assert isinstance(yaml.safe_load(open(sys.argv[1] + ".yaml")), dict)
EOF
  xmllint --noout "$prefix.xml" 2>/dev/null || problems+=("$prefix.xml is not well-formed XML")
  for file in "$tmp/out" "$tmp/err" "$prefix.yaml" "$prefix.json" "$prefix.xml" "$prefix.md"; do
    if [[ -f $file ]] && grep -qF -- "$canary" "$file"; then problems+=("$file contains the password"); fi
  done
  report "$name" "${problems[@]}"
}

reports() { echo -o "$1.yaml" --json "$1.json" --junit "$1.xml" --markdown "$1.md"; }

# --- spec files --------------------------------------------------------------------------------

cat >"$tmp/bad-scope.yaml" <<'EOF'
name: Broken
uuid: 00000000-0000-0000-0000-000000000000
url: https://example.com
versions:
  - version: v1
    include: [scs-0100-v3.1, scs-0103-v1
timeline: []
EOF
run run --scope "$tmp/bad-scope.yaml"
check_error "malformed scope YAML: file and line" 78 "re:bad-scope\.yaml:[0-9]+: "
run list --scope "$tmp/bad-scope.yaml"
check_error "malformed scope YAML in list: file and line" 78 "re:bad-scope\.yaml:[0-9]+: "

scope=$tmp/unknown-key-scope.yaml
cp "$src/standards/scopes/scs-compatible-iaas.yaml" "$scope"
line=$(grep -n -m 1 '^    url: ' "$scope" | cut -d: -f1)
sed -i "${line}s/^    url: /    ulr: /" "$scope"
run run --scope "$scope"
check_error "unknown key in a scope: file, line and key" 78 "unknown-key-scope.yaml:$line:" "ulr"

cp -r "$src/standards" "$tmp/std-unknown-key"
file=$tmp/std-unknown-key/scs-0100-flavor-naming.yaml
line=$(grep -n -m 1 '^    remediation:' "$file" | cut -d: -f1)
sed -i "${line}s/remediation:/remedation:/" "$file"
SCS_STANDARDS_DIR=$tmp/std-unknown-key run list
check_error "unknown key in a standards file: file, line and key" 78 "scs-0100-flavor-naming.yaml:$line:" "remedation"
SCS_STANDARDS_DIR=$tmp/std-unknown-key run run --os-cloud anything
check_error "unknown key in a standards file stops a run before clouds.yaml" 78 "remedation"

cp -r "$src/standards" "$tmp/std-bad-check"
file=$tmp/std-bad-check/scs-0100-flavor-naming.yaml
line=$(grep -n -m 1 'check: flavor-name-syntax' "$file" | cut -d: -f1)
sed -i "${line}s/check: flavor-name-syntax/check: flavour-name-syntax/" "$file"
SCS_STANDARDS_DIR=$tmp/std-bad-check run list
check_error "a binding naming a check that does not exist" 78 "scs-0100-flavor-naming.yaml:" \
  "flavour-name-syntax" "does not exist"

# --- clouds.yaml -------------------------------------------------------------------------------

cat >"$tmp/cfg/clouds.yaml" <<EOF
clouds:
  closed:
    auth:
      auth_url: http://127.0.0.1:1/v3
      username: scs-member
      password: $canary
      user_domain_name: Default
      project_name: scs-project
      project_domain_name: Default
    api_timeout: 2
EOF
OS_CLIENT_CONFIG_FILE=$tmp/cfg/clouds.yaml run run --os-cloud no-such-cloud
check_error "unknown --os-cloud names the cloud and the file" 78 "'no-such-cloud'" "$tmp/cfg/clouds.yaml" "closed"
if grep -qF -- "$canary" "$tmp/err" "$tmp/out"; then report "unknown --os-cloud shows no password" "password shown"; else report "unknown --os-cloud shows no password"; fi

printf 'clouds:\n  broken:\n    auth: {auth_url: "http://x\n    password: [\n' >"$tmp/cfg/broken.yaml"
OS_CLIENT_CONFIG_FILE=$tmp/cfg/broken.yaml run run --os-cloud broken
check_error "malformed clouds.yaml: file and line" 78 "re:broken\.yaml:[0-9]+: malformed YAML"

# Well-formed YAML of the wrong shape is a configuration error too, not an internal one.
printf 'clouds:\n  c:\n    profile: [a]\n    auth:\n      auth_url: http://127.0.0.1:1/v3\n' >"$tmp/cfg/profile-list.yaml"
OS_CLIENT_CONFIG_FILE=$tmp/cfg/profile-list.yaml run run --os-cloud c
check_error "clouds.yaml with a list as profile name" 78 "profile-list.yaml"
printf 'clouds:\n  c:\n    regions: [{name: [a]}]\n    auth:\n      auth_url: http://127.0.0.1:1/v3\n' >"$tmp/cfg/region-list.yaml"
OS_CLIENT_CONFIG_FILE=$tmp/cfg/region-list.yaml run run --os-cloud c
check_error "clouds.yaml with a list as region name" 78 "region-list.yaml"

if [[ -e /etc/openstack/clouds.yaml || -e /etc/openstack/clouds.yml || -e /etc/openstack/clouds.json ]]; then
  echo "skip - no clouds.yaml and no OS_*: /etc/openstack has a clouds file"
else
  run run
  check_error "no clouds.yaml and no OS_* variables" 78 "no cloud configured"
fi

# --- clouds that cannot be used ------------------------------------------------------------------

rec_wrong="$src/tests/cli/fixtures/replay-wrong-password"
# shellcheck disable=SC2046
run run --replay "$rec_wrong" $(reports "$tmp/wrong")
check_error "wrong credentials (replayed 401)" 78 "authentication failed for cloud 'testcloud-member'" "HTTP 401"
check_reports "wrong credentials: reports written" "$tmp/wrong"
run run --replay "$rec_wrong" --quiet
check_error "wrong credentials with --quiet still say why" 78 "authentication failed"

# shellcheck disable=SC2046
OS_CLIENT_CONFIG_FILE=$tmp/cfg/clouds.yaml run run --os-cloud closed $(reports "$tmp/closed")
check_error "unreachable Keystone names the host" 69 "127.0.0.1:1"
check_reports "unreachable Keystone: reports written, no password" "$tmp/closed"

mkdir -p "$tmp/rec-list"
printf 'format: scs-recording/1\ncassette: [a]\ncloud: {name: x}\n' >"$tmp/rec-list/recording.yaml"
run run --replay "$tmp/rec-list"
check_error "recording.yaml with a list as cassette" 78 "rec-list/recording.yaml"

run run --replay "$tmp/no-such-recording"
check_error "--replay of something that is not a recording" 78 "no-such-recording" "not a recording"

# --- run --attest: the attestation file is read before the first request --------------------------

printf 'attestations:\n  - testcase: key-manager-docs-check\n    verdict: pass\n' >"$tmp/att-key.yaml"
run run --replay "$src/examples/testcloud-compliant" --attest "$tmp/att-key.yaml"
check_error "unknown key in an attestation: file, line and key" 78 "att-key.yaml:3:" "'verdict'"
printf 'attestations: [\n' >"$tmp/att-bad.yaml"
run run --replay "$src/examples/testcloud-compliant" --attest "$tmp/att-bad.yaml"
check_error "malformed attestation YAML: file and line" 78 "re:att-bad\.yaml:[0-9]+: invalid YAML"
sed 's/key-manager-docs-check/scs-0100-syntax-check/' "$src/examples/attestations.yaml" >"$tmp/att-auto.yaml"
run run --replay "$src/examples/testcloud-compliant" --attest "$tmp/att-auto.yaml"
check_error "an attestation of an automated testcase is refused" 78 "att-auto.yaml:" "automated testcase"

# --- kubeconfig (KaaS scope) ---------------------------------------------------------------------

kaas=$src/standards/scopes/scs-compatible-kaas.yaml
kube_canary=kube-token-canary-5d1e
cat >"$tmp/cfg/kubeconfig.yaml" <<EOF
current-context: closed
clusters:
- name: closed
  cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
users:
- name: tester
  user:
    token: $kube_canary
contexts:
- name: closed
  context: {cluster: closed, user: tester}
EOF
printf 'clusters:\n- name: x\n  cluster: {server: [\n' >"$tmp/cfg/bad-kube.yaml"

run run --scope "$kaas" --kubeconfig "$tmp/cfg/no-such-kubeconfig.yaml"
check_error "missing kubeconfig file names it" 78 "no-such-kubeconfig.yaml" "does not exist"
run run --scope "$kaas" --kubeconfig "$tmp/cfg/kubeconfig.yaml" --context ghost
check_error "unknown kube context lists the contexts" 78 "context 'ghost' not found" "closed"
run run --scope "$kaas" --kubeconfig "$tmp/cfg/bad-kube.yaml"
check_error "malformed kubeconfig: file and line" 78 "re:bad-kube\.yaml:[0-9]+: malformed YAML"
run run --scope "$kaas" --assign kubeconfig="$tmp/cfg/no-such-kubeconfig.yaml"
check_error "kubeconfig from --assign" 78 "no-such-kubeconfig.yaml"
run run --scope "$kaas" --kubeconfig "$tmp/cfg/kubeconfig.yaml" $(reports "$tmp/kube-closed")
check_error "unreachable cluster names the server" 69 "127.0.0.1:1"
check_reports "unreachable cluster: reports written" "$tmp/kube-closed"
if grep -qF -- "$kube_canary" "$tmp/out" "$tmp/err" "$tmp"/kube-closed.*; then
  report "unreachable cluster: no token anywhere" "the kube token leaked"
else
  report "unreachable cluster: no token anywhere"
fi
run cleanup --kubeconfig "$tmp/cfg/no-such-kubeconfig.yaml" --state-dir "$tmp/state"
check_error "cleanup of a cluster: missing kubeconfig names it" 78 "no-such-kubeconfig.yaml"
run cleanup --kubeconfig "$tmp/cfg/kubeconfig.yaml" --state-dir "$tmp/state"
check_error "cleanup of an unreachable cluster names the server" 69 "127.0.0.1:1"
if grep -qF -- "$kube_canary" "$tmp/out" "$tmp/err"; then
  report "cleanup of an unreachable cluster: no token" "the kube token leaked"
else
  report "cleanup of an unreachable cluster: no token"
fi
run run --scope "$kaas" --kubeconfig "$tmp/cfg/kubeconfig.yaml" --execution-mode sometimes
check_error "--execution-mode outside parallel|serial|dry" 64 "--execution-mode"
run list --scope "$kaas"
check_exit "list of the KaaS scope" 0
run explain version-policy-check --scope "$kaas"
check_exit "explain of a KaaS testcase" 0

# --- certification: sign, verify, upload -------------------------------------------------------

key=$tmp/cfg/report-key
ssh-keygen -q -t ed25519 -N '' -C exit-codes -f "$key"
cp "$src/tests/reports/golden/passing.yaml" "$tmp/work/report.yaml"
run sign report.yaml --key "$tmp/cfg/no-such-key"
check_error "sign with a missing key names it" 78 "no-such-key"
chmod 644 "$key"
run sign report.yaml --key "$key"
check_error "sign with a private key readable by others" 78 "readable by others (mode 644)"
chmod 600 "$key"
printf 'not a key at all\n' >"$tmp/cfg/garbage-key"
chmod 600 "$tmp/cfg/garbage-key"
run sign report.yaml --key "$tmp/cfg/garbage-key"
check_error "sign with a file that is no key: ssh-keygen's reason" 78 "ssh-keygen could not sign with"
ssh-keygen -q -t ed25519 -N 'secret phrase' -C locked -f "$tmp/cfg/locked-key"
cp report.yaml locked.yaml
# No terminal (setsid): ssh-keygen reads the passphrase from stdin, as in a CI job.
echo 'secret phrase' | setsid "$bin" sign locked.yaml --key "$tmp/cfg/locked-key" >"$tmp/out" 2>"$tmp/err"
rc=$?
check_exit "sign with a key with a passphrase from stdin (ssh-keygen)" 0
run verify locked.yaml --public-key "$tmp/cfg/locked-key.pub"
check_exit "verify what ssh-keygen signed" 0
echo 'wrong phrase' | setsid "$bin" sign locked.yaml --key "$tmp/cfg/locked-key" >"$tmp/out" 2>"$tmp/err"
rc=$?
check_error "sign with a wrong passphrase: ssh-keygen's reason, one line" 78 "incorrect passphrase" \
  "re:with [^ ]*locked-key: Load key"
run sign "$src/tests/cli/exit_codes.sh" --key "$key"
check_error "sign of a file that is no report" 78 "is not a report the compliance monitor can read"
run sign report.yaml --key "$key"
check_exit "sign a report" 0
[[ -s report.yaml.sig ]] || report "sign writes report.yaml.sig" "no report.yaml.sig"
run verify report.yaml
check_error "verify without trusted keys" 64 "--allowed-signers" "--public-key"
run verify report.yaml --public-key "$key.pub"
check_exit "verify a good signature" 0
run upload report.yaml
check_error "upload without credentials names the variables" 78 "SCS_MONITOR_USER" "--credentials"
printf 'a:%s\n' "$canary" >"$tmp/cfg/monitor-credentials"
chmod 644 "$tmp/cfg/monitor-credentials"
run upload report.yaml --credentials "$tmp/cfg/monitor-credentials"
check_error "upload with a credentials file readable by others" 78 "readable by others"
chmod 600 "$tmp/cfg/monitor-credentials"
run upload report.yaml --credentials "$tmp/cfg/monitor-credentials" --monitor http://127.0.0.1:1
problems=()
[[ $rc == 69 ]] || problems+=("exit code $rc, expected 69")
grep -q "^scs-conformance: not uploaded: report.yaml: cannot reach http://127.0.0.1:1" "$tmp/err" ||
  problems+=("stderr does not name the report and the monitor")
[[ $(wc -l <"$tmp/err") == 1 ]] || problems+=("stderr is not one line")
grep -q "$canary" "$tmp/out" "$tmp/err" && problems+=("the password was printed")
report "upload to an unreachable monitor: 69, one line, no password" "${problems[@]}"
printf '# changed after signing\n' >>report.yaml
run verify report.yaml --public-key "$key.pub"
problems=()
[[ $rc == 1 ]] || problems+=("exit code $rc, expected 1")
grep -q "signature does not hold" "$tmp/err" || problems+=("stderr does not say the signature does not hold")
report "verify of a report changed after signing exits 1" "${problems[@]}"
run run --replay "$rec_wrong" --sign-key "$key" --upload
check_error "run --upload without -o" 64 "need -o FILE"

# --- command line ------------------------------------------------------------------------------

run run --replay "$rec_wrong" --version nope
check_error "--version nope lists the versions" 64 "'nope'" "v5.1" "v4"
run run --replay "$rec_wrong" --tests '('
check_error "--tests '(' is not a regular expression" 64 "--tests"
run run --no-such-option
check_error "unknown option" 64 "--no-such-option"
run frobnicate
check_error "unknown sub-command" 64
run run --parallel 0 --replay "$rec_wrong"
check_error "--parallel out of range" 64 "--parallel"
run
check_error "no sub-command" 64
run explain no-such-id
check_error "explain of an unknown testcase" 64 "'no-such-id'"

run flavor-name SCS-2X-4
check_exit "flavor-name with an invalid name" 1
run flavor-name SCS-2V-4 SCS-4V-16-50
check_exit "flavor-name with valid names" 0

# diff: a replayed report against a copy with one testcase turned to FAIL.
run run --replay "$src/examples/testcloud-compliant" --quiet --json "$tmp/diff-old.json" -o "$tmp/diff-old.yaml" \
  --html "$tmp/replay.html"
problems=()
head -n 1 "$tmp/replay.html" 2>/dev/null | grep -qx '<!DOCTYPE html>' || problems+=("--html wrote no HTML page")
grep -q 'scs-0103-flavor-2v-4' "$tmp/replay.html" 2>/dev/null || problems+=("the page lacks the testcases")
report "run --html writes the page" "${problems[@]}"
sed '0,/"status": "PASS"/s//"status": "FAIL"/' "$tmp/diff-old.json" >"$tmp/diff-new.json"
run diff "$tmp/diff-old.json" "$tmp/diff-old.json" --fail-on new-failures
check_exit "diff of a report with itself, --fail-on new-failures" 0
run diff "$tmp/diff-old.json" "$tmp/diff-new.json"
check_exit "diff with a new failure, without --fail-on" 0
grep -q "New failures (1):" "$tmp/out" || report "diff names the new failure" "stdout lacks 'New failures (1):'"
run diff "$tmp/diff-old.json" "$tmp/diff-new.json" --fail-on new-failures --format json
check_exit "diff with a new failure, --fail-on new-failures" 1
run diff "$tmp/diff-old.yaml" "$tmp/diff-new.json" --format markdown
check_exit "diff of the YAML report against the JSON one" 0
run diff "$tmp/diff-old.json" "$tmp/nothing.json"
check_error "diff of a missing report" 78 "nothing.json"
run diff "$tmp/diff-old.json" "$tmp/diff-new.json" --format html
check_error "diff with an unknown format" 64 "--format 'html'"
printf 'spec: [\n' >"$tmp/diff-bad.yaml"
run diff "$tmp/diff-old.yaml" "$tmp/diff-bad.yaml"
check_error "diff of malformed YAML" 78 "diff-bad.yaml"

run --help
problems=()
[[ $rc == 0 ]] || problems+=("exit code $rc, expected 0")
for code in 0 1 2 64 69 70 78 80 81 82 130; do
  grep -qE "^ *$code  [a-z]" "$tmp/out" || problems+=("--help does not document exit code $code")
done
report "--help exits 0 and documents every exit code" "${problems[@]}"

echo "$passed passed, $failed failed"
((failed == 0))
