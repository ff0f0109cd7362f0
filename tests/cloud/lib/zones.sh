# A second compute host and a second block-storage host, so scenarios can have several
# availability zones (scs-0121). Both are extra processes on this machine:
#   nova-compute-az2   host `testcloud-az2`, Nova's fake driver (no guests, no libvirt): its
#                      zone is whatever host aggregate seed.py puts it in (../zones.py);
#                      disabled, it adds no zone and takes no server.
#   cinder-volume-az2  host `testcloud-az2`, backend `file_az2` (the same file driver) in
#                      storage zone az2, fixed here (Cinder's zones are configuration, not API);
#                      disabled, Cinder lists az2 as not available.
# seed.py enables or disables both per scenario (`zones:`, see scenarios/README.md). Cinder
# puts a volume without a zone into `nova` (its default), so the first host keeps every volume
# the checks create.

ZONE_SERVICES="nova-compute-az2 cinder-volume-az2"

configure_zones() {
  mkdir -p "$SCS_CLOUD_STATE/nova-az2/instances" "$SCS_CLOUD_STATE/cinder/volumes-az2"
  write_conf "$ETC/nova/nova-az2.conf" <<EOF2
[DEFAULT]
host = testcloud-az2
compute_driver = fake.FakeDriver
state_path = $SCS_CLOUD_STATE/nova-az2
instances_path = $SCS_CLOUD_STATE/nova-az2/instances
[oslo_concurrency]
lock_path = $SCS_CLOUD_STATE/nova-az2/locks
EOF2
  write_conf "$ETC/cinder/cinder-az2.conf" <<EOF2
[DEFAULT]
host = testcloud-az2
enabled_backends = file_az2
[file_az2]
volume_driver = scs_testcloud_plugins.cinder_file_driver.FileVolumeDriver
volume_backend_name = file_az2
file_volume_dir = $SCS_CLOUD_STATE/cinder/volumes-az2
backend_availability_zone = az2
EOF2
}

start_zone_services() {
  spawn nova-compute-az2 $DEBIAN_PYTHON -c \
    "import sys; from nova.cmd.compute import main; sys.argv[0] = 'nova-compute'; sys.exit(main())" \
    --config-file "$ETC/nova/nova.conf" --config-file "$ETC/nova/nova-az2.conf"
  spawn cinder-volume-az2 env PYTHONPATH="$PLUGIN_PATH" cinder-volume \
    --config-file "$ETC/cinder/cinder.conf" --config-file "$ETC/cinder/cinder-az2.conf"
}
