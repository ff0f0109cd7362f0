#!/usr/bin/env bash
# The Debian package in a clean Debian 12 root (debootstrap from the package mirror): it
# installs with apt (its dependencies resolved from the mirror), and the installed program,
# run by an unprivileged user with nothing of the source tree in reach, replays both bundled
# example clouds to their scenario's verdicts. Then it is removed without leftovers.
#
#   clean_root_install.sh PACKAGE.deb
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/debian_root.sh"
deb=$(readlink -f "$1")
[ -f "$deb" ] || { echo "no package: $1" >&2; exit 1; }

root=$(mktemp -d /var/tmp/scs-clean-root.XXXXXX)
out=$(mktemp -d)
trap 'debian_root_remove "$root"; rm -rf "$out"' EXIT
debian_root_create "$root"
debian_root_enter "$root"
in_root() { chroot "$root" "$@"; }
as_user() { chroot --userspec=auditor:auditor "$root" env -i HOME=/home/auditor PATH=/usr/bin:/bin "$@"; }

started=$(date +%s)
cp "$deb" "$root/tmp/"
in_root apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" \
  >"$out/apt.log" 2>&1 || { tail -20 "$out/apt.log"; exit 1; }
echo "installed with its dependencies in $(($(date +%s) - started)) s: $(grep -c '^Setting up' "$out/apt.log") packages set up"
in_root useradd --create-home auditor

fail=0
problem() { echo "PROBLEM: $*"; fail=1; }

# Found relative to itself: the standards in /usr/share, no environment variable.
version=$(as_user scs-conformance --version)
echo "$version" | sed 's/^/  /'
echo "$version" | grep -q '^bundled standards: /usr/share/scs-conformance/standards$' ||
  problem "--version does not name the installed standards"
[ -s "$root/usr/share/man/man1/scs-conformance.1.gz" ] || problem "no manual page"
[ -d "$root$top" ] && problem "the source tree is visible in the root"

examples=/usr/share/doc/scs-conformance/examples
for pair in testcloud-compliant:compliant testcloud-broken:broken-flavors; do
  example=${pair%%:*} scenario=${pair#*:} rc=0
  as_user sh -c "cd /home/auditor && scs-conformance run --replay $examples/$example --json $example.json -o $example.yaml" \
    >"$out/$example.txt" 2>&1 || rc=$?
  tail -1 "$out/$example.txt" | sed "s/^/  $example: /"
  cp "$root/home/auditor/$example.json" "$out/" || { problem "$example: no report ($(tail -1 "$out/$example.txt"))"; continue; }
  /usr/bin/python3 "$top/tests/integration/example_recordings.py" --report "$out/$example.json" \
    --scenario "$scenario" --exit-code "$rc" || problem "$example: verdicts differ from the scenario"
done
# A replay journals into a scratch directory: nothing in the user's state directory or /tmp.
[ -e "$root/home/auditor/.local/state/scs-conformance" ] && problem "a replay wrote a journal into the user's state directory"
ls "$root/tmp" | grep -q scs-conformance-replay && problem "a replay left its scratch directory in /tmp"

DEBIAN_FRONTEND=noninteractive in_root apt-get purge -y -q scs-conformance >/dev/null
for path in /usr/bin/scs-conformance /usr/share/scs-conformance /usr/share/doc/scs-conformance; do
  [ -e "$root$path" ] && problem "$path remains after purge"
done
[ $fail -eq 0 ] && echo "the package installs, runs and goes in a clean Debian 12 root"
exit $fail
