# Writes every service's configuration into $ETC (one folder per service). Sourced by
# testcloud; each function is idempotent and only writes files, it starts nothing.
#
# Three files must live in /etc because the code reads them from there and nowhere else:
# /etc/swift/swift.conf (hash path suffix), /etc/barbican/barbican.conf and
# /etc/octavia/octavia.conf (their WSGI entry points take no config path). Those are
# symlinks into $ETC, so the state directory stays the single source.

keystone_url="http://$HOST:5000"

# auth_section SECTION: credentials a service uses to validate tokens and call other services.
auth_section() {
  cat <<EOF
[$1]
www_authenticate_uri = $keystone_url
auth_url = $keystone_url
memcached_servers = $HOST:11211
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = scs-service
password = $SERVICE_PASSWORD
region_name = $REGION
EOF
}

write_conf() { # write_conf FILE: stdin → FILE, readable by root only (it holds passwords)
  mkdir -p "$(dirname "$1")"
  (umask 077 && cat >"$1")
}

link_into_etc() { # link_into_etc /etc/X/Y.conf TARGET
  mkdir -p "$(dirname "$1")"
  [ -L "$1" ] || { [ -e "$1" ] && mv "$1" "$1.dpkg-testcloud-orig"; }
  ln -sfn "$2" "$1"
}

configure_keystone() {
  mkdir -p "$SCS_CLOUD_STATE/keystone"
  write_conf "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
use_stderr = true
[database]
connection = $(db_url keystone)
[token]
provider = fernet
expiration = 7200
[fernet_tokens]
key_repository = $SCS_CLOUD_STATE/keystone/fernet-keys
[fernet_receipts]
key_repository = $SCS_CLOUD_STATE/keystone/fernet-keys
[credential]
key_repository = $SCS_CLOUD_STATE/keystone/credential-keys
[cache]
enabled = true
backend = dogpile.cache.pymemcache
memcache_servers = $HOST:11211
[oslo_policy]
enforce_new_defaults = false
EOF
}

configure_glance() {
  mkdir -p "$SCS_CLOUD_STATE/glance/images" "$SCS_CLOUD_STATE/glance/staging" "$SCS_CLOUD_STATE/glance/tasks"
  write_conf "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = 9292
workers = 0
use_stderr = true
enabled_backends = local:file
[database]
connection = $(db_url glance)
$(auth_section keystone_authtoken)
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[glance_store]
default_backend = local
[local]
filesystem_store_datadir = $SCS_CLOUD_STATE/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $SCS_CLOUD_STATE/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $SCS_CLOUD_STATE/glance/tasks
[oslo_concurrency]
lock_path = $SCS_CLOUD_STATE/glance/locks
EOF
}

configure_placement() {
  write_conf "$ETC/placement/placement.conf" <<EOF
[DEFAULT]
use_stderr = true
[placement_database]
connection = $(db_url placement)
[api]
auth_strategy = keystone
$(auth_section keystone_authtoken)
EOF
}

configure_nova() {
  mkdir -p "$SCS_CLOUD_STATE/nova/instances"
  write_conf "$ETC/nova/nova.conf" <<EOF
[DEFAULT]
host = testcloud
my_ip = $HOST
use_stderr = true
state_path = $SCS_CLOUD_STATE/nova
transport_url = $(rabbit_url)
enabled_apis = osapi_compute
osapi_compute_listen = $HOST
osapi_compute_workers = 1
compute_driver = libvirt.LibvirtDriver
instances_path = $SCS_CLOUD_STATE/nova/instances
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
# Every server gets a config drive with its user data (there is no metadata service).
force_config_drive = true
config_drive_format = iso9660
mkisofs_cmd = genisoimage
# Two real cores, flavors up to 16 vCPUs and 128 GiB: placement must accept them all.
cpu_allocation_ratio = 64.0
ram_allocation_ratio = 16.0
disk_allocation_ratio = 16.0
[libvirt]
virt_type = qemu
# QEMU's default CPU model under TCG (qemu64) has no RDRAND/RDSEED, as a strict hypervisor
# would: a guest's entropy then comes from the virtio RNG scs-0101 asks for, or not at all.
cpu_mode = none
# The pc machine: its IDE CD-ROM carries the config drive (the cloud kernel has no AHCI).
hw_machine_type = x86_64=pc
# We run as root: the privileged helpers need no sudo.
[nova_sys_admin]
helper_command = privsep-helper --config-file $ETC/nova/nova.conf
[vif_plug_linux_bridge_privileged]
helper_command = privsep-helper --config-file $ETC/nova/nova.conf
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova_cell1)
$(auth_section keystone_authtoken)
$(auth_section placement)
$(auth_section neutron)
$(auth_section service_user)
send_service_user_token = true
[cinder]
os_region_name = $REGION
[glance]
region_name = $REGION
[scheduler]
discover_hosts_in_cells_interval = 10
[filter_scheduler]
enabled_filters = ComputeFilter,ComputeCapabilitiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter
[conductor]
workers = 1
[oslo_concurrency]
lock_path = $SCS_CLOUD_STATE/nova/locks
[vnc]
enabled = false
[oslo_messaging_notifications]
driver = noop
EOF
}

configure_cinder() {
  mkdir -p "$SCS_CLOUD_STATE/cinder/volumes" "$SCS_CLOUD_STATE/cinder/backups"
  write_conf "$ETC/cinder/cinder.conf" <<EOF
[DEFAULT]
host = testcloud
my_ip = $HOST
use_stderr = true
state_path = $SCS_CLOUD_STATE/cinder
transport_url = $(rabbit_url)
auth_strategy = keystone
osapi_volume_listen = $HOST
osapi_volume_workers = 1
enabled_backends = file
default_volume_type = __DEFAULT__
backup_driver = cinder.backup.drivers.posix.PosixBackupDriver
backup_posix_path = $SCS_CLOUD_STATE/cinder/backups
# Sparse test volumes compress to nothing, but zlib still reads every byte: 54 s for 1 GiB.
backup_compression_algorithm = none
rootwrap_config = /etc/cinder/rootwrap.conf
api_paste_config = /etc/cinder/api-paste.ini
[database]
connection = $(db_url cinder)
$(auth_section keystone_authtoken)
$(auth_section nova)
$(auth_section service_user)
send_service_user_token = true
[file]
volume_driver = scs_testcloud_plugins.cinder_file_driver.FileVolumeDriver
volume_backend_name = file
file_volume_dir = $SCS_CLOUD_STATE/cinder/volumes
[oslo_concurrency]
lock_path = $SCS_CLOUD_STATE/cinder/locks
[oslo_messaging_notifications]
driver = noop
EOF
}

configure_neutron() {
  write_conf "$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = 9696
use_stderr = true
state_path = $SCS_CLOUD_STATE/neutron
transport_url = $(rabbit_url)
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
api_workers = 0
rpc_workers = 1
rpc_state_report_workers = 0
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
api_paste_config = /etc/neutron/api-paste.ini
[database]
connection = $(db_url neutron)
$(auth_section keystone_authtoken)
$(auth_section nova)
[oslo_concurrency]
lock_path = $SCS_CLOUD_STATE/neutron/locks
EOF
  write_conf "$ETC/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = scs_bind_all
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:1000
EOF
}

configure_barbican() {
  mkdir -p "$SCS_CLOUD_STATE/barbican"
  # Barbican on PostgreSQL mangles simple_crypto payloads in this release: SQLite it is.
  write_conf "$ETC/barbican/barbican.conf" <<EOF
[DEFAULT]
host_href = http://$HOST:9311
use_stderr = true
sql_connection = sqlite:///$SCS_CLOUD_STATE/barbican/barbican.sqlite
db_auto_create = true
$(auth_section keystone_authtoken)
[secretstore]
enabled_secretstore_plugins = store_crypto
[crypto]
enabled_crypto_plugins = simple_crypto
[simple_crypto_plugin]
kek = $BARBICAN_KEK
[oslo_policy]
# Secure RBAC: the member role may create and read secrets, as scs-0116 requires.
enforce_new_defaults = true
enforce_scope = false
EOF
  link_into_etc /etc/barbican/barbican.conf "$ETC/barbican/barbican.conf"
}

configure_octavia() {
  write_conf "$ETC/octavia/octavia.conf" <<EOF
[DEFAULT]
use_stderr = true
transport_url = $(rabbit_url)
[api_settings]
bind_host = $HOST
bind_port = 9876
auth_strategy = keystone
enabled_provider_drivers = noop_driver:The no-op driver of the SCS test cloud (no data plane)
default_provider_driver = noop_driver
[database]
connection = $(db_url octavia)
$(auth_section keystone_authtoken)
$(auth_section service_auth)
[oslo_messaging]
topic = octavia_prov
[oslo_policy]
policy_file = $ETC/octavia/policy.yaml
EOF
  # Octavia wants roles of its own (load-balancer_member); like most providers, the test cloud
  # lets a project's plain member and reader roles use its load balancers.
  write_conf "$ETC/octavia/policy.yaml" <<EOF
"load-balancer:member_and_owner": "role:member and rule:load-balancer:owner"
"load-balancer:observer_and_owner": "role:reader and rule:load-balancer:owner"
EOF
  link_into_etc /etc/octavia/octavia.conf "$ETC/octavia/octavia.conf"
}

configure_swift() {
  local dir=$ETC/swift node=$SCS_CLOUD_STATE/swift/node
  mkdir -p "$dir" "$node/sdb1"
  write_conf "$dir/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = $SWIFT_HASH
swift_hash_path_prefix = scs-testcloud
[storage-policy:0]
name = Policy-0
default = yes
EOF
  chmod 644 "$dir/swift.conf"
  link_into_etc /etc/swift/swift.conf "$dir/swift.conf"
  local kind port
  for kind in object container account; do
    case $kind in object) port=6200 ;; container) port=6201 ;; account) port=6202 ;; esac
    write_conf "$dir/$kind-server.conf" <<EOF
[DEFAULT]
bind_ip = $HOST
bind_port = $port
workers = 0
user = root
swift_dir = $dir
devices = $node
mount_check = false
log_name = $kind-server
[pipeline:main]
pipeline = $kind-server
[app:$kind-server]
use = egg:swift#$kind
[${kind}-replicator]
[${kind}-updater]
[${kind}-auditor]
EOF
    if [ ! -f "$dir/$kind.ring.gz" ]; then
      (cd "$dir" && swift-ring-builder "$kind.builder" create 10 1 1 >/dev/null &&
        swift-ring-builder "$kind.builder" add "r1z1-$HOST:$port/sdb1" 100 >/dev/null &&
        swift-ring-builder "$kind.builder" rebalance >/dev/null)
    fi
  done
  # authtoken must come before s3api/s3token here, or every S3 request fails its signature check.
  write_conf "$dir/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = $HOST
bind_port = 8080
workers = 0
user = root
swift_dir = $dir
log_name = proxy-server
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk authtoken s3api s3token keystoneauth copy slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = $HOST:11211
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:s3api]
use = egg:swift#s3api
auth_pipeline_check = false
[filter:s3token]
use = egg:swift#s3token
auth_uri = $keystone_url/v3
auth_type = password
auth_url = $keystone_url
username = scs-service
password = $SERVICE_PASSWORD
project_name = service
project_domain_name = Default
user_domain_name = Default
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
[filter:symlink]
use = egg:swift#symlink
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true
$(auth_section keystone_authtoken | tail -n +2)
EOF
}

configure_all() {
  configure_keystone
  configure_glance
  configure_placement
  configure_nova
  configure_cinder
  configure_neutron
  configure_barbican
  configure_octavia
  configure_swift
  configure_zones # lib/zones.sh
}
