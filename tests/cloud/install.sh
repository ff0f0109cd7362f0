#!/usr/bin/env bash
# Installs the test cloud's packages from Debian, idempotently, without starting any service.
# Usage: tests/cloud/install.sh        (root; safe to run again: installs only what is missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"

packages=(
  keystone glance-api placement-api
  nova-api nova-conductor nova-scheduler
  cinder-api cinder-scheduler cinder-volume cinder-backup
  neutron-server barbican-api octavia-api
  swift-proxy swift-account swift-container swift-object
  python3-openstackclient python3-openstacksdk python3-barbicanclient python3-octaviaclient
  python3-swiftclient python3-osc-placement python3-boto3 python3-yaml python3-psycopg2
  python3-pymemcache
  rabbitmq-server memcached uwsgi uwsgi-plugin-python3 sqlite3 curl dmidecode qemu-utils
  postgresql procps iproute2 nginx-light openssl
  libvirt-daemon-system libvirt-clients python3-libvirt qemu-system-x86 genisoimage kmod cpio
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "all ${#packages[@]} packages already installed"
  exit 0
fi

# No init system runs here, and maintainer scripts must not start anything: we start every
# daemon ourselves, bound to 127.0.0.1, with its state in our own directory.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d

# The packages must neither touch a database nor register endpoints: configure.sh does both.
{
  for pkg in keystone glance-api glance-common placement-api placement-common nova-common \
             cinder-common neutron-common barbican-common octavia-common; do
    echo "$pkg $pkg/configure_db boolean false"
    echo "$pkg $pkg/register-endpoint boolean false"
  done
  echo "keystone keystone/create-admin-tenant boolean false"
} | debconf-set-selections

export DEBIAN_FRONTEND=noninteractive
log "installing ${#missing[@]} missing packages: ${missing[*]}"
start=$(date +%s)
retry 3 apt-get update -q
retry 3 apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}"
log "installed in $(( $(date +%s) - start )) s"
