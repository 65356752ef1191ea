#!/usr/bin/env bash
# Benchmarks for issue #2 (`make bench`). Prints a summary table; exit status is 0 whether or
# not targets are met (BELOW is a finding, not a crash), non-zero if a benchmark could not run.
#
#   1. HTTP read ratio  authenticated GET /api/v1/me on linli (SQLite) ÷ nginx serving a static
#                       JSON file of the same size (keep-alive, access_log off, worker_processes =
#                       linli --threads). Target ≥ 0.7.
#   2. Thread scaling   the same /me requests/s, linli --threads 2 ÷ --threads 1. Target ≥ 1.3.
#   3. Group commit     durable (WAL, synchronous=FULL) Store::Write jobs/s from 64 writer
#                       threads, group_commit on ÷ off (also 64 threads). Target ≥ 10.
#
# The load generator shares the machine's cores with the servers, so absolute numbers are not
# comparable across runs: every HTTP server runs side by side and wrk visits them in turn
# (A B C D, A B C D, ...); each figure is the ratio of medians from one run.
#
# Environment (all optional):
#   BENCH_SECONDS=5   duration of each wrk run        BENCH_ROUNDS=4   interleaved rounds
#   BENCH_CONNS=64    wrk connections                 BENCH_WRK_THREADS=1
#   BENCH_STORE_SECONDS=2  duration of each store run BENCH_STORE_ROUNDS=3
#   BENCH_STORE_THREADS=64 concurrent Store::Write callers
#   BENCH_DB_DIR=build/release/bench-data  where the durable-write databases go (a real disk)
#   BENCH_KEEP=1      keep the temporary directory (logs, nginx config) for inspection
#   BENCH_LINLI=PATH, BENCH_STORE_BIN=PATH  measure other builds of linli / linli_bench_store
#                     (e.g. a candidate server change built in another tree)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT_DIR=$PWD

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-4}
CONNS=${BENCH_CONNS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
STORE_SECONDS=${BENCH_STORE_SECONDS:-2}
STORE_THREADS=${BENCH_STORE_THREADS:-64}
STORE_ROUNDS=${BENCH_STORE_ROUNDS:-3}
BUILD_DIR=build/release
LINLI=${BENCH_LINLI:-$ROOT_DIR/$BUILD_DIR/src/linli}
STORE_BENCH=${BENCH_STORE_BIN:-$ROOT_DIR/$BUILD_DIR/bench/linli_bench_store}
DB_DIR=${BENCH_DB_DIR:-$ROOT_DIR/$BUILD_DIR/bench-data}

TARGET_HTTP=0.7
TARGET_SCALING=1.3
TARGET_GROUP=10

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }

for tool in wrk nginx curl awk; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/install-deps.sh)"
done

# --- build (our targets only; for `make bench` the Makefile has already built linli) ---------
BUILD_LOG=$BUILD_DIR/bench-build.log
mkdir -p "$BUILD_DIR"
{
  if [ ! -f "$BUILD_DIR/build.ninja" ] || ! grep -q 'linli_search_bench' "$BUILD_DIR/build.ninja" ||
     ! grep -q 'linli_tickets_bench' "$BUILD_DIR/build.ninja"; then
    cmake --preset release
  fi
  cmake --build --preset release --target linli linli_bench_store linli_search_bench \
    linli_tickets_bench
} >"$BUILD_LOG" 2>&1 || {
  tail -20 "$BUILD_LOG" >&2
  die "build failed (full log: $BUILD_LOG)"
}

# --- scratch space ---------------------------------------------------------------------------
# nginx workers run as nobody: the directory must be world-readable (mktemp makes it 0700).
WORK=$(mktemp -d /tmp/linli-bench.XXXXXX)
chmod 0755 "$WORK"
mkdir -p "$DB_DIR"
PIDS=()
NGINX_PREFIXES=()
cleanup() {
  local pid prefix
  for prefix in "${NGINX_PREFIXES[@]}"; do
    if [ -f "$prefix/nginx.pid" ]; then kill -QUIT "$(cat "$prefix/nginx.pid")" 2>/dev/null || true; fi
  done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CLK_TCK=$(getconf CLK_TCK)
CORES=$(nproc)
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)

# CPU ticks (user+system) used so far by the given processes (all their threads).
proc_ticks() {
  local total=0 pid t
  for pid in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
# Busy ticks of the whole machine (everything but idle and iowait), all cores.
machine_busy_ticks() {
  awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

free_port() {
  # Ask the kernel for a free port by binding port 0 (python3 is part of Debian's base tools
  # here; fall back to a random high port).
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + RANDOM % 20000))
}

wait_for_http() {  # url
  local i
  for i in $(seq 1 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.05
  done
  return 1
}

# --- the database and the linli servers ------------------------------------------------------
DB="sqlite:$WORK/linli.db"
"$LINLI" migrate --db "$DB" >/dev/null
"$LINLI" seed-demo --db "$DB" >/dev/null

start_linli() {  # name threads workers [cpu list] -> sets PORT_<name>, PID_<name>
  local name=$1 threads=$2 workers=$3 cpus=${4:-} out="$WORK/linli-$1.log" port i
  local pin=()
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  # Default log level (info): every request is logged, as in production.
  "${pin[@]}" "$LINLI" serve --db "$DB" --port 0 --threads "$threads" --workers "$workers" \
    --web-root "$ROOT_DIR/web/dist" >"$out" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  port=""
  for i in $(seq 1 100); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || die "linli ($name) exited: $(tail -3 "$out")"
    sleep 0.05
  done
  [ -n "$port" ] || die "linli ($name) did not start"
  printf -v "PORT_$name" '%s' "$port"
  printf -v "PID_$name" '%s' "$pid"
}

start_linli L1 1 8
start_linli L2 2 16
# --threads sizes the I/O threads, each with its own event loop. GET /me runs on them (it only
# reads: RouteOptions::run_inline), so L1 serves /me from one thread while wrk has the other
# core; the worker threads (--workers) serve the other routes. Confined to one core (taskset),
# the same server shows what a second core is worth with wrk competing for it.
if command -v taskset >/dev/null 2>&1 && [ "$CORES" -ge 2 ]; then
  start_linli P1 1 8 0
  PINNED=1
else
  PINNED=0
fi

# Log in once as the demo resident; the session lives in the shared database, so the cookie
# works on both linli servers.
LOGIN_HEADERS="$WORK/login.headers"
curl -s -o /dev/null -D "$LOGIN_HEADERS" -H 'Content-Type: application/json' \
  -d '{"login":"resident","password":"linli-demo-pass"}' \
  "http://127.0.0.1:$PORT_L2/api/v1/auth/login"
TOKEN=$(grep -i '^set-cookie: linli_session=' "$LOGIN_HEADERS" | sed 's/^[^=]*=\([^;]*\);.*/\1/' | tr -d '\r')
[ -n "$TOKEN" ] || die "login as resident failed: $(head -1 "$LOGIN_HEADERS")"
COOKIE="Cookie: linli_session=$TOKEN"

NGINX_ROOT="$WORK/www"
mkdir -p "$NGINX_ROOT"
chmod 0755 "$NGINX_ROOT"
for name in L1 L2 $([ "$PINNED" = 1 ] && echo P1); do
  port_var="PORT_$name"
  status=$(curl -s -o "$NGINX_ROOT/me.json" -w '%{http_code}' -H "$COOKIE" \
    "http://127.0.0.1:${!port_var}/api/v1/me")
  [ "$status" = 200 ] || die "GET /api/v1/me on linli ($name) answered $status"
done
chmod 0644 "$NGINX_ROOT/me.json"
ME_BYTES=$(wc -c <"$NGINX_ROOT/me.json")

# --- nginx: the ceiling ---------------------------------------------------------------------
start_nginx() {  # name workers -> sets PORT_<name>, PID_<name>
  local name=$1 workers=$2 prefix="$WORK/nginx-$1" port
  mkdir -p "$prefix"
  chmod 0755 "$prefix"
  port=$(free_port)
  sed -e "s|@WORKERS@|$workers|g" -e "s|@PORT@|$port|g" -e "s|@PREFIX@|$prefix|g" \
    -e "s|@ROOT@|$NGINX_ROOT|g" "$ROOT_DIR/bench/nginx.conf.in" >"$prefix/nginx.conf"
  NGINX_PREFIXES+=("$prefix")
  nginx -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" >"$prefix/stdout.log" 2>&1 &
  PIDS+=("$!")
  wait_for_http "http://127.0.0.1:$port/api/v1/me" ||
    die "nginx ($name) did not start: $(cat "$prefix/error.log" "$prefix/stdout.log" 2>/dev/null | tail -3)"
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/me")
  [ "$status" = 200 ] || die "nginx ($name) answered $status (a 403 means its root is not world-readable)"
  printf -v "PORT_$name" '%s' "$port"
  printf -v "PID_$name" '%s' "$(cat "$prefix/nginx.pid")"
}

start_nginx N2 2

server_pids() {  # name -> the server's processes (nginx: master and workers)
  local pid_var="PID_$1"
  local pid=${!pid_var}
  echo "$pid"
  pgrep -P "$pid" 2>/dev/null || true
}

# One wrk run against a server; appends "rps server_cores machine_cores wrk_cores" to
# $WORK/<name>.runs and prints rps. wrk's own CPU comes from `times` in the shell that ran it.
run_wrk() {  # name
  local name=$1 port_var="PORT_$1" out="$WORK/wrk-$1.last" pids s0 s1 m0 m1 rps wrk_s
  pids=$(server_pids "$name")
  s0=$(proc_ticks $pids)
  m0=$(machine_busy_ticks)
  bash -c 'wrk "$@" && times' wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECONDS_PER_RUN}s" \
    -H "$COOKIE" "http://127.0.0.1:${!port_var}/api/v1/me" >"$out" 2>&1 ||
    die "wrk failed: $(tail -3 "$out")"
  s1=$(proc_ticks $pids)
  m1=$(machine_busy_ticks)
  if grep -qE 'Non-2xx|Socket errors' "$out"; then
    die "wrk against $name saw errors: $(grep -E 'Non-2xx|Socket errors' "$out")"
  fi
  rps=$(awk '/^Requests\/sec:/{printf "%.0f", $2}' "$out")
  [ -n "$rps" ] || die "no Requests/sec from wrk: $(cat "$out")"
  # `times` prints the shell's and then its children's user and system time: "0m1.234s 0m0.5s".
  wrk_s=$(tail -1 "$out" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/);
    t += p[1] * 60 + p[2] } print t }')
  awk -v rps="$rps" -v s="$((s1 - s0))" -v m="$((m1 - m0))" -v hz="$CLK_TCK" \
    -v d="$SECONDS_PER_RUN" -v w="$wrk_s" \
    'BEGIN { printf "%.0f %.2f %.2f %.2f\n", rps, s / hz / d, m / hz / d, w / d }' >>"$WORK/$name.runs"
  printf '%s' "$rps"
}

median_col() {  # file column -> median of that column
  sort -n -k"$2","$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
series() {  # file -> "a / b / c" of the rps column in run order
  awk '{printf "%s%s", (NR > 1 ? " / " : ""), $1}' "$1"
}

HTTP_ORDER=(L2 N2 L1)
[ "$PINNED" = 1 ] && HTTP_ORDER+=(P1)
log "HTTP: ${#HTTP_ORDER[@]} servers × $ROUNDS rounds × ${SECONDS_PER_RUN}s" \
  "(wrk -t$WRK_THREADS -c$CONNS, /me body $ME_BYTES bytes)"
# Warm-up (not counted): caches, connections, the first session touch.
for name in "${HTTP_ORDER[@]}"; do
  port_var="PORT_$name"
  wrk -t1 -c"$CONNS" -d1s -H "$COOKIE" "http://127.0.0.1:${!port_var}/api/v1/me" >/dev/null 2>&1
done
for round in $(seq 1 "$ROUNDS"); do
  line="round $round:"
  for name in "${HTTP_ORDER[@]}"; do line+=" $name=$(run_wrk "$name")"; done
  log "$line"
done

# --- durable writes through Store::Write -----------------------------------------------------
FS_TYPE=$(stat -f -c %T "$DB_DIR")
if [ "$FS_TYPE" = tmpfs ]; then
  log "WARNING: $DB_DIR is on tmpfs: fsync costs nothing there; set BENCH_DB_DIR to a disk"
fi
log "Store::Write: $STORE_ROUNDS rounds × 3 configurations × ${STORE_SECONDS}s in $DB_DIR ($FS_TYPE)"
store_run() {  # name group_commit threads
  local out rate
  out=$("$STORE_BENCH" --dir "$DB_DIR" --threads "$3" --seconds "$STORE_SECONDS" \
    --group-commit "$2") || die "store bench ($1) failed: $out"
  rate=$(echo "$out" | sed -n 's/.*jobs_per_s=\([0-9]*\).*/\1/p')
  [ -n "$rate" ] || die "store bench ($1): unexpected output: $out"
  echo "$rate" >>"$WORK/$1.runs"
  echo "$rate"
}
for round in $(seq 1 "$STORE_ROUNDS"); do
  g=$(store_run SG 1 "$STORE_THREADS")
  s=$(store_run SS 0 "$STORE_THREADS")
  one=$(store_run S1 0 1)
  log "round $round: group/$STORE_THREADS=$g single/$STORE_THREADS=$s single/1=$one jobs/s"
done

# --- summary ---------------------------------------------------------------------------------
verdict() {  # value target
  awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 >= t + 0) ? "PASS" : "BELOW" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
col() { median_col "$WORK/$1.runs" "$2"; }  # name column -> median

L1=$(col L1 1); L2=$(col L2 1); N2=$(col N2 1)
SG=$(col SG 1); SS=$(col SS 1); S1=$(col S1 1)
HTTP_RATIO=$(ratio "$L2" "$N2")
SCALING=$(ratio "$L2" "$L1")
GROUP=$(ratio "$SG" "$SS")
GROUP_VS_1=$(ratio "$SG" "$S1")

echo
echo "Linli benchmarks (issue #2) — $(date -u +%Y-%m-%dT%H:%M:%SZ), $CORES cores," \
  "load average before the summary: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "GET /api/v1/me as resident ($ME_BYTES-byte body; nginx serves a file of the same size)"
echo "wrk -t$WRK_THREADS -c$CONNS -d${SECONDS_PER_RUN}s keep-alive; order ${HTTP_ORDER[*]} repeated" \
  "$ROUNDS times; medians"
printf '  %-32s %9s  %-44s %7s %7s %7s %8s\n' server "req/s" "runs (req/s, in order)" \
  "server" "wrk" "machine" "server"
printf '  %-32s %9s  %-44s %7s %7s %7s %8s\n' "" median "" cores cores busy "µs/req"
for name in "${HTTP_ORDER[@]}"; do
  case $name in
    L1) label="linli --threads 1 --workers 8" ;;
    P1) label="  same, on 1 core (taskset -c 0)" ;;
    L2) label="linli --threads 2 --workers 16" ;;
    N2) label="nginx static, 2 workers" ;;
  esac
  value=$(col "$name" 1)
  printf '  %-32s %9s  %-44s %7s %7s %7s %8s\n' "$label" "$value" "$(series "$WORK/$name.runs")" \
    "$(col "$name" 2)" "$(col "$name" 4)" "$(col "$name" 3)" \
    "$(awk -v c="$(col "$name" 2)" -v r="$value" 'BEGIN { printf "%.0f", (r > 0 ? c * 1e6 / r : 0) }')"
done
echo "  (cores: CPU time ÷ wall time during the runs; machine busy counts every process on the"
echo "   $CORES cores, including other users' jobs; µs/req = server CPU per request)"
if awk -v l="$LOAD_AT_START" -v c="$CORES" 'BEGIN { exit !(l + 0 > c + 0) }'; then
  echo "  WARNING: load average was $LOAD_AT_START at the start ($CORES cores): other jobs competed"
  echo "  for the CPU and the disk. Each server got the share the scheduler gave it, so requests/s"
  echo "  (and fsync-bound write rates) are noisy; µs/req is the steadier comparison."
fi
echo
echo "Store::Write: durable (WAL, synchronous=FULL) jobs inserting one small row each;" \
  "${STORE_SECONDS}s per run, $STORE_ROUNDS rounds, medians"
echo "  database directory $DB_DIR ($FS_TYPE)"
printf '  %-40s %10s jobs/s   runs %s\n' "group_commit=true,  $STORE_THREADS writer threads" "$SG" \
  "$(series "$WORK/SG.runs")"
printf '  %-40s %10s jobs/s   runs %s\n' "group_commit=false, $STORE_THREADS writer threads" "$SS" \
  "$(series "$WORK/SS.runs")"
printf '  %-40s %10s jobs/s   runs %s\n' "group_commit=false, 1 writer thread" "$S1" \
  "$(series "$WORK/S1.runs")"
echo
printf '  %-40s %6s  %-8s %-6s %s\n' figure value target result inputs
printf '  %-40s %6s  %-8s %-6s %s\n' "1. HTTP read ratio (linli ÷ nginx)" "$HTTP_RATIO" \
  "≥ $TARGET_HTTP" "$(verdict "$HTTP_RATIO" "$TARGET_HTTP")" \
  "linli 2 threads $L2 ÷ nginx 2 workers $N2 req/s"
printf '  %-40s %6s  %-8s %-6s %s\n' "2. Thread scaling (2 ÷ 1 I/O threads)" "$SCALING" \
  "≥ $TARGET_SCALING" "$(verdict "$SCALING" "$TARGET_SCALING")" \
  "--threads 2 $L2 ÷ --threads 1 $L1 req/s, wrk on the same cores"
if [ "$PINNED" = 1 ]; then
  P1=$(col P1 1)
  printf '  %-40s %6s  %-8s %-6s %s\n' "   (2 cores ÷ 1 core, taskset)" "$(ratio "$L2" "$P1")" "info" "" \
    "--threads 2 $L2 ÷ --threads 1 on core 0 only $P1 req/s"
fi
printf '  %-40s %6s  %-8s %-6s %s\n' "3. SQLite group commit (on ÷ off)" "$GROUP" \
  "≥ $TARGET_GROUP" "$(verdict "$GROUP" "$TARGET_GROUP")" \
  "$SG ÷ $SS jobs/s, both $STORE_THREADS writer threads"
printf '  %-40s %6s  %-8s %-6s %s\n' "   (on ÷ off with 1 writer thread)" "$GROUP_VS_1" "info" "" \
  "$SG ÷ $S1 jobs/s"

# Issue #3: the resource market's in-memory search index (single thread, synthetic cards).
echo
echo "Search index (issue #3): 2-character Chinese queries + kind filter + 1 km radius"
"$ROOT_DIR/$BUILD_DIR/bench/search/linli_search_bench" --cards "${BENCH_SEARCH_CARDS:-100000,1000000}"

# Issue #7: tickets — creations/s through the service (SQLite, FULL, group commit) and the staff
# queue query p99 over 1M tickets (target p99 <= 5 ms).
echo
echo "Tickets (issue #7): creations/s and staff queue latency with ${BENCH_TICKETS:-1000000} tickets"
"$ROOT_DIR/$BUILD_DIR/bench/tickets/linli_tickets_bench" --tickets "${BENCH_TICKETS:-1000000}" \
  --seconds "${BENCH_TICKETS_SECONDS:-3}" --dir "$DB_DIR/tickets" --reuse "${BENCH_TICKETS_REUSE:-0}"
