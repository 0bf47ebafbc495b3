#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL on this machine (ADR 0028, docs/scaling.md).
#   scripts/pg-replica.sh start    create it if needed (pg_basebackup -R), start it, wait until
#                                  it streams; quick when it already runs
#   scripts/pg-replica.sh stop     stop it (its data folder stays)
#   scripts/pg-replica.sh status   exit 0 when it runs and streams, print its lag
#   scripts/pg-replica.sh url      the THIDUA_REPLICA_URL to give the app (no database name)
# Environment: THIDUA_REPLICA_PORT (5433), THIDUA_REPLICA_DIR (its data folder),
# THIDUA_PRIMARY_PORT (5432). It runs the server as the postgres user when started by root.
# No replication slot: a stopped replica never makes the primary keep WAL; one that fell too far
# behind (its WAL recycled) is made again from a new base backup.
set -euo pipefail

PORT=${THIDUA_REPLICA_PORT:-5433}
PRIMARY_PORT=${THIDUA_PRIMARY_PORT:-5432}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
if [ "$(id -u)" = 0 ]; then RUN_AS=postgres; else RUN_AS=$(id -un); fi
if [ "$RUN_AS" = postgres ]; then
  DEFAULT_DIR=$(getent passwd postgres | cut -d: -f6)/thidua-replica-$PORT
else
  DEFAULT_DIR=${HOME}/.local/share/thidua/pg-replica-$PORT
fi
DIR=${THIDUA_REPLICA_DIR:-$DEFAULT_DIR}
LOG="$DIR.log"
SOCKDIR=${THIDUA_REPLICA_SOCKET_DIR:-/tmp}

say() { printf '==> %s\n' "$*" >&2; }
as_pg() {
  if [ "$(id -un)" = "$RUN_AS" ]; then "$@"; else runuser -u "$RUN_AS" -- "$@"; fi
}
# as the postgres user through the socket (peer authentication on a fresh Debian), else TCP
primary() {
  if [ "$RUN_AS" = postgres ]; then as_pg psql -p "$PRIMARY_PORT" -d postgres -Atqc "$1"
  else psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"; fi
}
replica() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc "$1"; }
running() { as_pg "$PGBIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; }
streaming() {
  [ "$(replica 'select pg_is_in_recovery()' 2>/dev/null)" = t ] &&
    [ "$(replica "select count(*) from pg_stat_wal_receiver where status = 'streaming'" 2>/dev/null)" = 1 ]
}

# wal_level, max_wal_senders and a replication line in pg_hba.conf for 127.0.0.1; a line is
# added (and the configuration reloaded) only when missing.
prepare_primary() {
  local level senders hba
  level=$(primary 'show wal_level')
  senders=$(primary 'show max_wal_senders')
  if [ "$level" = minimal ] || [ "$senders" = 0 ]; then
    echo "LỖI: máy chủ chính có wal_level=$level, max_wal_senders=$senders; cần wal_level=replica và max_wal_senders>0 (rồi khởi động lại)." >&2
    return 1
  fi
  hba=$(primary 'show hba_file')
  # the first rule matching replication from 127.0.0.1 decides (pg_hba.conf is read top down)
  local first
  first=$(primary "select auth_method from pg_hba_file_rules where 'replication' = any(database) and type like 'host%' and address in ('127.0.0.1', 'all', 'samehost') order by line_number limit 1")
  if [ "$first" != trust ]; then
    say "Thêm dòng «host replication all 127.0.0.1/32 trust» vào $hba"
    local line
    line=$(primary "select coalesce(min(line_number), 0) from pg_hba_file_rules")
    if [ -n "$first" ] && [ "$line" -gt 0 ]; then
      # an earlier rule asks for a password: ours goes first
      sed -i "${line}i host replication all 127.0.0.1/32 trust  # thidua scripts/pg-replica.sh" "$hba"
    else
      printf '\n# streaming replica of this machine (thidua scripts/pg-replica.sh)\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
    fi
    primary 'select pg_reload_conf()' >/dev/null
    sleep 0.5
  fi
}

create() {
  say "Tạo bản sao (pg_basebackup -R) trong $DIR, cổng $PORT"
  as_pg mkdir -p "$(dirname "$DIR")"
  as_pg rm -rf "$DIR"
  as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR" \
    -R -X stream -c fast
  # Debian keeps postgresql.conf and pg_hba.conf in /etc: the copy gets its own. A hot standby
  # needs these at least as high as on the primary.
  local max_conn max_wproc max_prep max_locks max_senders
  max_conn=$(primary 'show max_connections')
  max_wproc=$(primary 'show max_worker_processes')
  max_prep=$(primary 'show max_prepared_transactions')
  max_locks=$(primary 'show max_locks_per_transaction')
  max_senders=$(primary 'show max_wal_senders')
  as_pg tee "$DIR/postgresql.conf" >/dev/null <<EOF
# thidua scripts/pg-replica.sh: a hot standby of 127.0.0.1:$PRIMARY_PORT
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKDIR'
hba_file = '$DIR/pg_hba.conf'
ident_file = '$DIR/pg_ident.conf'
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 30s
shared_buffers = 128MB
max_connections = $max_conn
max_worker_processes = $max_wproc
max_prepared_transactions = $max_prep
max_locks_per_transaction = $max_locks
max_wal_senders = $max_senders
logging_collector = off
EOF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_pg tee "$DIR/pg_hba.conf" >/dev/null
  as_pg touch "$DIR/pg_ident.conf"
}

start() {
  if running && streaming; then
    echo "Bản sao đang chạy (cổng $PORT)."
    return 0
  fi
  prepare_primary
  if [ ! -f "$DIR/standby.signal" ]; then create; fi
  if ! running; then
    as_pg touch "$LOG"
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$LOG" -w -t 60 start >/dev/null
  fi
  local i
  for i in $(seq 1 60); do
    if streaming; then
      echo "Bản sao đang chạy (cổng $PORT)."
      return 0
    fi
    # its WAL was recycled on the primary while it was stopped: a new base backup
    if grep -q "requested WAL segment .* has already been removed" "$LOG" 2>/dev/null && [ "$i" -ge 3 ]; then
      say "Bản sao đã tụt quá xa máy chủ chính; tạo lại"
      as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null || true
      as_pg truncate -s 0 "$LOG"
      create
      as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$LOG" -w -t 60 start >/dev/null
    fi
    sleep 0.5
  done
  tail -n 20 "$LOG" >&2 || true
  echo "LỖI: bản sao trên cổng $PORT không nhận WAL từ máy chủ chính." >&2
  return 1
}

stop() {
  if running; then as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null; fi
  echo "Bản sao đã dừng."
}

status() {
  if running && streaming; then
    echo "Bản sao đang chạy trên cổng $PORT; trễ phát lại: $(replica "select case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then '0' else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp())::numeric(10,1)::text, '?') end || ' s'")."
    return 0
  fi
  echo "Bản sao không chạy (cổng $PORT, thư mục $DIR)."
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "postgres://postgres@127.0.0.1:$PORT" ;;
  *) echo "Cách dùng: $0 start|stop|status|url" >&2; exit 2 ;;
esac
