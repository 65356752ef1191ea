#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the pg tests (label "pg"), entirely inside DIR.
#
#   scripts/pg-test-cluster.sh start DIR    starts it (creating it if needed); prints the DSN
#   scripts/pg-test-cluster.sh stop DIR     stops it (files stay, so the next start is quick)
#   scripts/pg-test-cluster.sh status DIR   prints the DSN and exits 0 if it is running, else 1
#   scripts/pg-test-cluster.sh destroy DIR  stops it and deletes its files
#
# e.g.  export LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start build/pg)
#
# Only the DSN goes to stdout; progress and errors go to stderr. The cluster listens on a unix
# socket in DIR/sock only (no TCP, so nothing else on the machine can reach it or collide with
# it); the port names that socket. Trust authentication, fsync off (PG_DURABLE=1 at start turns
# durability back on, for benchmarks), no autovacuum: for tests
# only, never for data anyone wants to keep. The database linli_test has btree_gist installed.
# As root the server runs as the postgres user (it refuses root); otherwise as the caller.
set -euo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_major=15
database=linli_test

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}
say() { echo "pg-test-cluster: $*" >&2; }

usage() { die "usage: $0 start|stop|status|destroy DIR"; }

[ $# -eq 2 ] || usage
command=$1
[ -n "$2" ] || usage
[ -x "$pg_bin/initdb" ] || die "no PostgreSQL $pg_major in $pg_bin (run scripts/install-deps.sh)"

mkdir -p "$2"
dir=$(cd "$2" && pwd -P)
data=$dir/data
sock=$dir/sock
log=$dir/postgres.log
port_file=$dir/port

if [ "$(id -u)" -eq 0 ]; then
  server_user=postgres
  id -u "$server_user" >/dev/null 2>&1 || die "no '$server_user' user (is the postgresql package installed?)"
  as_server() { runuser -u "$server_user" -- "$@"; }
else
  server_user=$(id -un)
  as_server() { "$@"; }
fi

# One start/stop at a time per DIR: test runners may race on a shared cluster.
exec 9>"$dir/.lock"
flock -w 120 9 || die "timed out waiting for the lock on $dir"

percent_encode() {
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9/._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

dsn() {
  printf 'postgresql:///%s?host=%s&port=%s&user=postgres\n' "$database" "$(percent_encode "$sock")" \
    "$(cat "$port_file")"
}

# The postmaster's pid when that process is alive. Not `pg_ctl status`: in a container whose
# init does not reap, a killed server lingers as a zombie that pg_ctl takes for running.
server_pid() {
  local pid state
  [ -f "$data/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$data/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] || return 1
  echo "$pid"
}

is_running() {
  [ -f "$data/PG_VERSION" ] && [ -s "$port_file" ] && server_pid >/dev/null &&
    "$pg_bin/pg_isready" -q -h "$sock" -p "$(cat "$port_file")" -t 10
}

stop_server() {
  local pid
  pid=$(server_pid) || return 0
  say "stopping the cluster in $dir"
  as_server "$pg_bin/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null 2>&1 ||
    as_server "$pg_bin/pg_ctl" stop -D "$data" -m immediate -w -t 10 >/dev/null 2>&1 || true
  if pid=$(server_pid); then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Backends notice that the postmaster is gone and exit; a new server needs their shared
  # memory released. They are the processes working in the data directory.
  for _ in $(seq 1 50); do
    servers_in_data_dir || break
    sleep 0.1
  done
}

servers_in_data_dir() {
  local cwd
  for cwd in /proc/[0-9]*/cwd; do
    [ "$(readlink "$cwd" 2>/dev/null)" = "$data" ] && return 0
  done
  return 1
}

free_port() {
  # Unix-socket only, so any number works; still prefer one no TCP listener holds, so the DSN
  # stays valid if someone points a TCP client at it.
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "found no free port"
}

init_cluster() {
  say "creating a PostgreSQL $pg_major cluster in $data"
  rm -rf "$data" "$sock"
  mkdir -p "$data" "$sock"
  chown "$server_user" "$data" "$sock"
  chmod 700 "$data"
  as_server "$pg_bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 ||
    {
      cat "$dir/initdb.log" >&2
      die "initdb failed"
    }
  # Settings for a disposable test server: speed over durability, quiet, deterministic time zone.
  cat >>"$data/postgresql.conf" <<'EOF'

# pg-test-cluster.sh
include_if_exists = 'linli_test.conf'
fsync = off
synchronous_commit = off
full_page_writes = off
autovacuum = off
listen_addresses = ''
max_connections = 200
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_min_messages = warning
include_if_exists = 'linli_durability.conf'
EOF
  free_port >"$port_file"
}

start_server() {
  local port
  port=$(cat "$port_file")
  local socket_path="$sock/.s.PGSQL.$port"
  [ ${#socket_path} -le 107 ] || die "socket path too long for unix sockets (${#socket_path} > 107): use a shorter DIR"
  # Rewritten on every start so a moved or reused DIR points at the right socket.
  printf "port = %s\nunix_socket_directories = '%s'\n" "$port" "${sock//\'/\'\'}" \
    >"$data/linli_test.conf"
  chown "$server_user" "$data/linli_test.conf"
  # PG_DURABLE=1 (benchmarks): a real server's durability, so rates compare with production.
  if [ "${PG_DURABLE:-0}" = 1 ]; then
    printf 'fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n' >"$data/linli_durability.conf"
  else
    : >"$data/linli_durability.conf"
  fi
  chown "$server_user" "$data/linli_durability.conf"
  # Not running, so any lock files are stale (a killed server, a reboot): they would block start.
  rm -f "$data/postmaster.pid" "$sock"/.s.PGSQL.*
  # The server writes its log itself, and DIR belongs to the caller. 9>&-: the daemonised
  # server must not inherit the lock, or it would hold it for its whole life.
  touch "$log"
  chown "$server_user" "$log"
  as_server "$pg_bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 >"$dir/pg_ctl.log" 2>&1 9>&- || {
    cat "$dir/pg_ctl.log" >&2
    return 1
  }
}

ensure_database() {
  local psql=("$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$(cat "$port_file")" -U postgres)
  if [ "$("${psql[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $database" >&2
  fi
  "${psql[@]}" -d "$database" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS btree_gist" >&2
}

start() {
  if is_running; then
    ensure_database
    dsn
    return 0
  fi
  # A server process that does not answer (hung, half dead) would hold the data directory.
  stop_server
  mkdir -p "$sock"
  # postgres must reach DIR to use the socket and data directories inside it.
  chmod a+rx "$dir"
  if [ "$server_user" != "$(id -un)" ] && ! runuser -u "$server_user" -- test -x "$dir"; then
    die "user $server_user cannot reach $dir (a parent directory is not searchable): use e.g. /tmp/..."
  fi
  local valid=0
  if [ -f "$data/PG_VERSION" ] && [ "$(cat "$data/PG_VERSION")" = "$pg_major" ] && [ -s "$port_file" ] &&
    grep -q 'pg-test-cluster.sh' "$data/postgresql.conf" 2>/dev/null; then
    valid=1
  fi
  if [ "$valid" = 1 ]; then
    chown -R "$server_user" "$data" "$sock"
    if ! start_server; then
      say "could not restart the existing cluster; recreating it"
      tail -n 20 "$log" >&2 || true
      valid=0
    fi
  fi
  if [ "$valid" = 0 ]; then
    init_cluster
    start_server || {
      tail -n 40 "$log" >&2 || true
      die "the server did not start (log: $log)"
    }
  fi
  ensure_database
  say "running on $sock port $(cat "$port_file")"
  dsn
}

case $command in
  start) start ;;
  stop) stop_server ;;
  status)
    if is_running; then dsn; else exit 1; fi
    ;;
  destroy)
    stop_server
    rm -rf "$data" "$sock" "$port_file" "$log" "$dir/initdb.log" "$dir/pg_ctl.log"
    ;;
  *) usage ;;
esac
