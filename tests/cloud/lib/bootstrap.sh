# One-time database set-up of a new state directory: schemas, keystone's keys and admin,
# nova's cells. Each step leaves a marker in $SCS_CLOUD_STATE/done so that a restart skips it.

DONE=$SCS_CLOUD_STATE/done

once() { # once STEP CMD...: runs CMD unless STEP has succeeded before
  local step=$1
  shift
  [ -f "$DONE/$step" ] && return 0
  local start
  start=$(date +%s)
  mkdir -p "$DONE" "$LOGS"
  if ! "$@" >>"$LOGS/bootstrap.log" 2>&1; then
    log "ERROR: bootstrap step '$step' failed; last lines of $LOGS/bootstrap.log:"
    tail -n 30 "$LOGS/bootstrap.log" >&2
    exit 1
  fi
  touch "$DONE/$step"
  log "bootstrap: $step ($(($(date +%s) - start)) s)"
}

keystone_bootstrap() {
  local conf=$ETC/keystone/keystone.conf
  mkdir -p "$SCS_CLOUD_STATE/keystone/fernet-keys" "$SCS_CLOUD_STATE/keystone/credential-keys"
  keystone-manage --config-file "$conf" db_sync
  keystone-manage --config-file "$conf" fernet_setup --keystone-user root --keystone-group root
  keystone-manage --config-file "$conf" credential_setup --keystone-user root --keystone-group root
  keystone-manage --config-file "$conf" bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
    --bootstrap-admin-url "http://$HOST:5000/v3/" --bootstrap-internal-url "http://$HOST:5000/v3/" \
    --bootstrap-public-url "http://$HOST:5000/v3/" --bootstrap-region-id "$REGION"
}

nova_bootstrap() {
  local conf=$ETC/nova/nova.conf
  nova-manage --config-file "$conf" api_db sync
  nova-manage --config-file "$conf" cell_v2 map_cell0 --database_connection "$(db_url nova_cell0)"
  nova-manage --config-file "$conf" cell_v2 list_cells | grep -q ' cell1 ' ||
    nova-manage --config-file "$conf" cell_v2 create_cell --name cell1
  nova-manage --config-file "$conf" db sync
}

octavia_bootstrap() {
  $DEBIAN_PYTHON "$CLOUD_DIR/lib/octavia_schema.py" "$(db_url octavia)"
  octavia-db-manage --config-file "$ETC/octavia/octavia.conf" stamp head
}

bootstrap_databases() {
  create_databases
  once keystone keystone_bootstrap
  once glance glance-manage --config-file "$ETC/glance/glance-api.conf" db_sync
  once placement placement-manage --config-dir "$ETC/placement" db sync
  once nova nova_bootstrap
  once cinder cinder-manage --config-file "$ETC/cinder/cinder.conf" db sync
  once neutron neutron-db-manage --config-file "$ETC/neutron/neutron.conf" \
    --config-file "$ETC/neutron/ml2_conf.ini" upgrade head
  once octavia octavia_bootstrap
}
