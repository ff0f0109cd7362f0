# Shared helpers for the test-cloud scripts. Sourced, never run.

# Everything the cloud writes lives under one directory: configs, databases, logs, pid files,
# images, volumes, backups. Deleting it (after `testcloud down`) resets the cloud.
SCS_CLOUD_STATE=${SCS_CLOUD_STATE:-/var/tmp/scs-testcloud}
export SCS_CLOUD_STATE
HOST=127.0.0.1
ETC=$SCS_CLOUD_STATE/etc
LOGS=$SCS_CLOUD_STATE/log
RUN=$SCS_CLOUD_STATE/run
DEBIAN_PYTHON=/usr/bin/python3
PG_PORT=5433
PG_BIN=/usr/lib/postgresql/15/bin
REGION=RegionOne

log() { printf '[testcloud %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# retry N CMD...: runs CMD up to N times, with a growing pause, for flaky mirrors.
retry() {
  local tries=$1
  shift
  local n=1
  until "$@"; do
    if [ "$n" -ge "$tries" ]; then
      log "failed after $n attempts: $*"
      return 1
    fi
    log "attempt $n failed, retrying in $((n * 10)) s: $*"
    sleep $((n * 10))
    n=$((n + 1))
  done
}

# Secrets are generated once per state directory and kept in a 0600 file; they never appear on
# a command line that `ps` could show, except the database URL inside config files (0600 too).
load_secrets() {
  local file=$SCS_CLOUD_STATE/secrets.env
  if [ ! -f "$file" ]; then
    mkdir -p "$SCS_CLOUD_STATE"
    (
      umask 077
      for name in ADMIN_PASSWORD MEMBER_PASSWORD SERVICE_PASSWORD DB_PASSWORD BARBICAN_KEK_SEED; do
        printf '%s=%s\n' "$name" "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
      done
      printf 'BARBICAN_KEK=%s\n' "$(head -c 32 /dev/urandom | base64)"
      printf 'SWIFT_HASH=%s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    ) >"$file"
  fi
  # shellcheck disable=SC1090
  . "$file"
}

db_url() { echo "postgresql+psycopg2://openstack:${DB_PASSWORD}@${HOST}:${PG_PORT}/$1"; }
rabbit_url() { echo "rabbit://guest:guest@${HOST}:5672/"; }

pid_of() { cat "$RUN/$1.pid" 2>/dev/null; }

is_running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Closes every descriptor above 2 of the calling (sub)shell, before it execs a service: a
# service must not keep the caller's files open, e.g. the lock of `flock LOCKFILE testcloud
# up`, which would stay held until the service stops.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
  done
  return 0
}

# spawn NAME CMD...: starts CMD in its own session, logs to log/NAME.log, remembers its pid.
# Stopping later goes by this pid file only, never by process name.
spawn() {
  local name=$1
  shift
  if is_running "$name"; then
    return 0
  fi
  mkdir -p "$RUN" "$LOGS"
  (
    close_inherited_fds
    exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$RUN/$name.pid"
}

# stop_all [-SIGNAL] NAME...: signals each process group recorded for NAME (TERM by default),
# waits up to 20 s until every process of those sessions has gone, then KILLs what is left.
# Stopping goes by our pid files only, never by process name.
stop_all() {
  local signal=TERM
  case ${1:-} in -*) signal=${1#-}; shift ;; esac
  local name pid sessions=() i
  for name in "$@"; do
    pid=$(pid_of "$name") || continue
    [ -n "$pid" ] || continue
    sessions+=("$pid")
    kill -"$signal" -- "-$pid" 2>/dev/null || true
  done
  for i in $(seq 1 40); do
    alive=0
    for pid in "${sessions[@]}"; do pgrep -s "$pid" >/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.5
  done
  for pid in "${sessions[@]}"; do pkill -KILL -s "$pid" 2>/dev/null || true; done
  for name in "$@"; do rm -f "$RUN/$name.pid"; done
}

# wait_http NAME URL SECONDS: waits until URL answers with any HTTP status below 500.
wait_http() {
  local name=$1 url=$2 timeout=$3 start code
  start=$(date +%s)
  while :; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != 000 ] && [ "$code" -lt 500 ]; then
      return 0
    fi
    if ! is_running "$name"; then
      fail_service "$name" "process exited before $url answered"
    fi
    if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
      fail_service "$name" "$url did not answer within $timeout s (last status: ${code:-none})"
    fi
    sleep 1
  done
}

# fail_service NAME WHY: names the service that did not come up and shows its log tail.
fail_service() {
  log "ERROR: service '$1' did not come up: $2"
  if [ -f "$LOGS/$1.log" ]; then
    log "last 30 lines of $LOGS/$1.log:"
    tail -n 30 "$LOGS/$1.log" >&2
  fi
  exit 1
}

# run_as_postgres CMD...: PostgreSQL refuses to run as root.
run_as_postgres() { runuser -u postgres -- "$@"; }
