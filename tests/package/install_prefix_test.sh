#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the program, the standards, the examples and the
# manual page land in the usual places, and the installed program finds its standards relative
# to itself (no environment variable), run from an unrelated directory.
#
#   install_prefix_test.sh BUILD_DIR
set -euo pipefail
build=$(readlink -f "$1")
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail=0
for path in bin/scs-conformance share/scs-conformance/standards/scopes/scs-compatible-iaas.yaml \
  share/scs-conformance/standards/data share/doc/scs-conformance/examples/testcloud-compliant/recording.yaml \
  share/doc/scs-conformance/README.md share/man/man1/scs-conformance.1.gz; do
  [ -e "$prefix/$path" ] || { echo "not installed: $path"; fail=1; }
done
version=$(cd / && env -u SCS_STANDARDS_DIR "$prefix/bin/scs-conformance" --version)
grep -qx "bundled standards: $prefix/share/scs-conformance/standards" <<<"$version" ||
  { echo "the installed program does not use the installed standards:"; echo "$version"; fail=1; }
grep -q "SCS-compatible IaaS: .*v5.1 .*(stable since 2024-12-19)" <<<"$version" ||
  { echo "--version does not name the IaaS scope's versions:"; echo "$version"; fail=1; }
# The manual page is the program's own help: every command is in it.
page=$(gzip -dc "$prefix/share/man/man1/scs-conformance.1.gz")
for command in run list batch diff explain flavor-name sign verify upload cleanup; do
  grep -qxF ".SS ${command//-/\\-}" <<<"$page" || { echo "the manual page lacks the command $command"; fail=1; }
done
grep -q 'replay' <<<"$page" || { echo "the manual page lacks run's options"; fail=1; }
exit $fail
