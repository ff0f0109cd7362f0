# PostgreSQL, RabbitMQ and memcached, each bound to 127.0.0.1 with its data in the state dir.

PG_DATA=$SCS_CLOUD_STATE/postgres
DATABASES="keystone glance placement nova_api nova_cell0 nova_cell1 cinder neutron octavia"

start_postgres() {
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    chown postgres:postgres "$PG_DATA"
    chmod 700 "$PG_DATA"
    local pwfile=$SCS_CLOUD_STATE/pg-initdb-password
    (umask 077 && echo "$DB_PASSWORD" >"$pwfile")
    chown postgres "$pwfile"
    run_as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -A scram-sha-256 --pwfile="$pwfile" -U postgres >/dev/null
    rm -f "$pwfile"
  fi
  if ! is_running postgres; then
    mkdir -p "$RUN" "$LOGS"
    # `postgres` runs in the foreground: its pid is the postmaster's, written by us.
    touch "$LOGS/postgres.log" && chown postgres "$LOGS/postgres.log"
    (
      close_inherited_fds # lib/common.sh
      exec setsid runuser -u postgres -- "$PG_BIN/postgres" -D "$PG_DATA" -p "$PG_PORT" \
        -c listen_addresses="$HOST" -c unix_socket_directories="$PG_DATA" \
        -c max_connections=300 -c shared_buffers=64MB -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off >>"$LOGS/postgres.log" 2>&1 </dev/null
    ) &
    echo $! >"$RUN/postgres.pid"
  fi
  local i
  for i in $(seq 1 60); do
    PGPASSWORD=$DB_PASSWORD "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" && break
    is_running postgres || fail_service postgres "postmaster exited"
    sleep 0.5
  done
  PGPASSWORD=$DB_PASSWORD "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" || fail_service postgres "not ready after 30 s"
}

psql_admin() { PGPASSWORD=$DB_PASSWORD psql -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres "$@"; }

create_databases() {
  psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='openstack'" | grep -q 1 ||
    psql_admin -c "CREATE ROLE openstack LOGIN PASSWORD '$DB_PASSWORD'"
  local db
  for db in $DATABASES; do
    psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 ||
      psql_admin -c "CREATE DATABASE $db OWNER openstack"
  done
}

start_rabbitmq() {
  mkdir -p "$SCS_CLOUD_STATE/rabbitmq"
  chown -R rabbitmq:rabbitmq "$SCS_CLOUD_STATE/rabbitmq" 2>/dev/null || true
  # Every listener on loopback: AMQP, epmd and Erlang distribution.
  export RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$HOST RABBITMQ_NODE_PORT=5672
  export RABBITMQ_MNESIA_BASE=$SCS_CLOUD_STATE/rabbitmq/mnesia RABBITMQ_LOG_BASE=$SCS_CLOUD_STATE/rabbitmq/log
  export ERL_EPMD_ADDRESS=$HOST RABBITMQ_DIST_PORT=25672
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_ENABLED_PLUGINS_FILE=$SCS_CLOUD_STATE/rabbitmq/enabled_plugins
  [ -f "$RABBITMQ_ENABLED_PLUGINS_FILE" ] || echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
  chown rabbitmq:rabbitmq "$RABBITMQ_ENABLED_PLUGINS_FILE"
  # Our own epmd, in the foreground, so that stopping by pid file leaves nothing behind.
  spawn epmd /usr/bin/epmd -address "$HOST"
  # Not through /usr/sbin/rabbitmq-server: its `su` would take the broker out of our process group.
  spawn rabbitmq runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
}

wait_rabbitmq() {
  local i
  for i in $(seq 1 120); do
    (exec 3<>"/dev/tcp/$HOST/5672") 2>/dev/null && return 0
    is_running rabbitmq || fail_service rabbitmq "exited before port 5672 opened"
    sleep 0.5
  done
  fail_service rabbitmq "port 5672 not open after 60 s"
}

start_memcached() {
  spawn memcached /usr/bin/memcached -u memcache -l "$HOST" -p 11211 -U 0 -m 64
}

stop_infra() {
  # SIGINT is PostgreSQL's fast shutdown; TERM would wait for every client to disconnect.
  stop_all -INT postgres
  stop_all rabbitmq memcached
  stop_all epmd
}
