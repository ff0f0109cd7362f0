#!/usr/bin/env bash
# Installs the Debian packages the build needs if any is missing (needs root then).
#   scripts/deps.sh         what building scs-conformance needs (scripts/demo)
#   scripts/deps.sh --package  also dpkg-dev (dpkg-shlibdeps gives CPack the package's dependencies)
#   scripts/deps.sh --test  also what the tests need: the above, clang-format and git (the format
#                           check), openssh-client (the signature tests cross-check with ssh-keygen,
#                           ssh-agent and ssh-add), openssl (the TLS probe tests run s_server),
#                           debootstrap (the clean Debian root the package
#                           is installed into), python3 with python3-yaml (test drivers),
#                           libxml2-utils (xmllint: tests/cli/exit_codes.sh parses the JUnit XML),
#                           clang and libclang-rt-14-dev (libFuzzer: scripts/fuzz)
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev
  catch2 libcli11-dev libfmt-dev libssl-dev ccache)
case ${1:-} in
--package) packages+=(dpkg-dev) ;;
--test) packages+=(dpkg-dev clang-format git openssh-client openssl debootstrap python3 python3-yaml
    libxml2-utils clang libclang-rt-14-dev) ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" -eq 0 ] || { echo "missing build packages (run as root to install): ${missing[*]}" >&2; exit 1; }
echo "installing build packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Package lists younger than a day are good enough: a fresh machine has none, so it updates.
fresh_lists=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -1)
for attempt in 1 2 3; do
  if [ -z "$fresh_lists" ] || [ "$attempt" -gt 1 ]; then apt-get update -q; fi
  apt-get install -y -q --no-install-recommends "${missing[@]}" && exit 0
  echo "apt-get failed (attempt $attempt), retrying in $((attempt * 10)) s" >&2
  sleep $((attempt * 10))
done
exit 1
