# The OpenStack processes of the test cloud: how each starts, and how we know it answers.

PLUGIN_PATH=$CLOUD_DIR/plugins

# uwsgi_app NAME PORT WSGI_FILE PROCESSES [ENV=VALUE...]: an HTTP WSGI service under uwsgi.
uwsgi_app() {
  local name=$1 port=$2 file=$3 processes=$4
  shift 4
  local env_args=() kv
  for kv in "$@"; do env_args+=(--env "$kv"); done
  # uwsgi's HTTP router takes the client connections (keep-alive included) and hands each
  # request to a free worker; with --http-socket an idle keep-alive connection would hold a
  # worker for uwsgi's 4 s socket timeout and stall every other client.
  spawn "$name" uwsgi --plugin http,python3 --http "$HOST:$port" --http-keepalive --wsgi-file "$file" \
    --master --processes "$processes" --threads 1 --die-on-term --need-app --buffer-size 65535 \
    --hook-master-start "unix_signal:15 gracefully_kill_them_all" --disable-logging --env "PYTHONPATH=$PLUGIN_PATH" "${env_args[@]}"
}

start_keystone() {
  uwsgi_app keystone 5000 /usr/bin/keystone-wsgi-public 2 "OS_KEYSTONE_CONFIG_FILES=$ETC/keystone/keystone.conf"
}

# nova-compute's libvirt driver boots real guests with QEMU (TCG: /dev/kvm does not work on this
# machine kind). libvirtd and virtlogd listen on unix sockets only (no --listen); Debian's libvirt
# keeps its state in /run/libvirt and /var/lib/libvirt, which cannot be moved, so `down` destroys
# every domain nova made (stop_guests) before it stops them. nova-compute's own binary comes
# with a package that pulls in all of QEMU's architectures; its entry point runs straight from
# Debian's Python instead.
start_libvirt() {
  mkdir -p /var/log/libvirt /run/libvirt
  spawn virtlogd /usr/sbin/virtlogd
  spawn libvirtd /usr/sbin/libvirtd
  local waited=0
  until virsh -c qemu:///system version >/dev/null 2>&1; do
    [ $waited -lt 30 ] || die "libvirtd does not answer on /run/libvirt/libvirt-sock; see $LOGS/libvirtd.log"
    sleep 1
    waited=$((waited + 1))
  done
}

stop_guests() {
  command -v virsh >/dev/null || return 0
  virsh -c qemu:///system version >/dev/null 2>&1 || return 0
  local domain
  for domain in $(virsh -c qemu:///system list --all --name 2>/dev/null | grep '^instance-' || true); do
    virsh -c qemu:///system destroy "$domain" >/dev/null 2>&1 || true
    virsh -c qemu:///system undefine --nvram "$domain" >/dev/null 2>&1 ||
      virsh -c qemu:///system undefine "$domain" >/dev/null 2>&1 || true
  done
}

start_nova_compute() {
  start_libvirt
  spawn nova-compute $DEBIAN_PYTHON -c \
    "import sys; from nova.cmd.compute import main; sys.argv[0] = 'nova-compute'; sys.exit(main())" \
    --config-file "$ETC/nova/nova.conf"
}

start_openstack_services() {
  spawn glance glance-api --config-file "$ETC/glance/glance-api.conf"
  uwsgi_app placement 8778 /usr/bin/placement-api 1 "OS_PLACEMENT_CONFIG_DIR=$ETC/placement"
  # The first file is the paste pipeline, as nova-api-wsgi expects.
  uwsgi_app nova-api 8774 /usr/bin/nova-api-wsgi 1 "OS_NOVA_CONFIG_FILES=/etc/nova/api-paste.ini;$ETC/nova/nova.conf"
  spawn nova-conductor nova-conductor --config-file "$ETC/nova/nova.conf"
  spawn nova-scheduler nova-scheduler --config-file "$ETC/nova/nova.conf"
  start_nova_compute
  local svc
  for svc in cinder-api cinder-scheduler cinder-volume cinder-backup; do
    spawn "$svc" env PYTHONPATH="$PLUGIN_PATH" "$svc" --config-file "$ETC/cinder/cinder.conf"
  done
  # PYTHONPATH makes the bind-all ML2 driver's entry point visible to stevedore.
  spawn neutron-server env PYTHONPATH="$PLUGIN_PATH" neutron-server --config-file "$ETC/neutron/neutron.conf" \
    --config-file "$ETC/neutron/ml2_conf.ini"
  uwsgi_app barbican 9311 /usr/bin/barbican-wsgi-api 1
  uwsgi_app octavia 9876 /usr/bin/octavia-wsgi 1
  local kind
  for kind in account container object; do
    spawn "swift-$kind" "swift-$kind-server" "$ETC/swift/$kind-server.conf"
  done
  spawn swift-proxy env PYTHONPATH="$PLUGIN_PATH" swift-proxy-server "$ETC/swift/proxy-server.conf"
  start_zone_services # lib/zones.sh
}

# name port path: what must answer before the cloud counts as up.
HTTP_CHECKS="
keystone 5000 /v3
glance 9292 /versions
placement 8778 /
nova-api 8774 /
cinder-api 8776 /
neutron-server 9696 /
barbican 9311 /
octavia 9876 /
swift-proxy 8080 /healthcheck
swift-account 6202 /recon/diskusage
swift-container 6201 /recon/diskusage
swift-object 6200 /recon/diskusage
"

wait_for_apis() {
  local name port path
  while read -r name port path; do
    [ -n "$name" ] || continue
    wait_http "$name" "http://$HOST:$port$path" 300
  done <<<"$HTTP_CHECKS"
}

ALL_SERVICES="$ZONE_SERVICES swift-proxy swift-object swift-container swift-account octavia barbican neutron-server
cinder-backup cinder-volume cinder-scheduler cinder-api nova-compute libvirtd virtlogd nova-scheduler nova-conductor
nova-api placement glance keystone"
