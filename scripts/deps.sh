#!/usr/bin/env bash
# Installs the build dependencies from Debian's packages if any is missing (needs root then).
# openssh-client: the signature tests cross-check with ssh-keygen, ssh-agent and ssh-add.
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev
  catch2 libcli11-dev libfmt-dev libssl-dev clang-format git ccache openssh-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" -eq 0 ] || { echo "missing build packages (run as root to install): ${missing[*]}" >&2; exit 1; }
echo "installing build packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}" && exit 0
  echo "apt-get failed (attempt $attempt), retrying in $((attempt * 10)) s" >&2
  sleep $((attempt * 10))
done
exit 1
