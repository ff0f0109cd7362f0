#!/usr/bin/env bash
# The Containerfile, built with podman and run: the image installs the Debian package on
# Debian 12, runs as an unprivileged user, keeps the journal and the reports in volumes, and
# replays both bundled example clouds to their scenario's verdicts without network.
#
# Here there is no registry: the base is Debian 12 from debootstrap (debian_root.sh), imported
# and given to `podman build --from` in place of `FROM debian:12`. This machine (a VM without
# CAP_SYS_RESOURCE and with hybrid cgroups) needs runc, cgroupfs and ulimits no higher than its
# own; on an ordinary host plain `scripts/container` suffices.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/debian_root.sh"

podman=(podman --runtime runc --cgroup-manager cgroupfs)
limits=(--ulimit "nofile=$(ulimit -Sn):$(ulimit -Hn)" --ulimit "nproc=1000:1000")
base=localhost/scs-debian12-minbase:latest
volume=scs-conformance-test-state-$$
out=$(mktemp -d)
chmod 777 "$out"  # the container's user writes the reports here
image=
cleanup() {
  "${podman[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true
  [ -z "$image" ] || "${podman[@]}" rmi -f "$image" >/dev/null 2>&1 || true
  rm -rf "$out"
}
trap cleanup EXIT

if ! "${podman[@]}" image exists "$base"; then
  tarball=$(debian_base_tarball)
  "${podman[@]}" import "$tarball" "$base" >/dev/null 2>&1
fi
started=$(date +%s)
image=$(SCS_PODMAN="${podman[*]}" "$top/scripts/container" --from "$base" --network host "${limits[@]}" 2>"$out/build.log") ||
  { tail -20 "$out/build.log"; exit 1; }
echo "built $image in $(($(date +%s) - started)) s (package included)"

fail=0
problem() { echo "PROBLEM: $*"; fail=1; }
run() { "${podman[@]}" run --rm --network none "${limits[@]}" -v "$volume:/var/lib/scs-conformance" -v "$out:/reports" "$@"; }

user=$("${podman[@]}" image inspect --format '{{.Config.User}}' "$image")
[ "$user" = scs ] || problem "the image runs as '$user', not as the user scs"
[ "$(run --entrypoint id "$image" -u)" != 0 ] || problem "the container runs as root"
run --entrypoint sh "$image" -c 'touch /var/lib/scs-conformance/probe && touch /reports/probe' ||
  problem "the volumes are not writable by the container's user"

# The default command replays the compliant example, as scripts/demo does.
rc=0
run "$image" >"$out/default.txt" 2>&1 || rc=$?
tail -1 "$out/default.txt" | sed 's/^/  default command: /'
for pair in testcloud-compliant:compliant testcloud-broken:broken-flavors; do
  example=${pair%%:*} scenario=${pair#*:} rc_example=0
  run "$image" run --replay "/usr/share/doc/scs-conformance/examples/$example" --quiet \
    --json "$example.json" -o "$example.yaml" || rc_example=$?
  [ -s "$out/$example.json" ] || { problem "$example: no report in the reports volume"; continue; }
  /usr/bin/python3 "$top/tests/integration/example_recordings.py" --report "$out/$example.json" \
    --scenario "$scenario" --exit-code "$rc_example" || problem "$example: verdicts differ from the scenario"
  [ "$example" != testcloud-compliant ] || [ "$rc" -eq "$rc_example" ] ||
    problem "the default command exited $rc, the compliant replay $rc_example"
  echo "  $example: exit $rc_example, report owned by uid $(stat -c %u "$out/$example.json")"
done
[ $fail -eq 0 ] && echo "the container image builds and runs (non-root, volumes, no network)"
exit $fail
