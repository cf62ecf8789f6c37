#!/usr/bin/env bash
# The "built" round of bench/student_pages.sh alone — the minute after an announcement: sessions and people cached,
# every student's results page and schedule ended and built ahead, then 200 connections of first visits (and, once each
# student has had theirs, refreshes) — for one or more checkouts in turn, alternated ROUNDS times on the same database
# and Redis, so that the old code and the new meet the same load. Each tree's gunicorn is started, warmed (every
# student visits both pages, so their session and person are cached), the pages built ahead by that tree's own code
# (bench/build_ahead.py), then ping, results, ping, schedule for BENCH_SECONDS each (the pages' ratio is over the ping
# just before them). Needs bench/seed.sh's data set and var/bench/students.txt of this checkout (run
# bench/student_pages.sh once, or bench/seed.sh).
# Usage: bash bench/built_round.sh TREE[,TREE...] [ROUNDS]   Knobs as bench/student_pages.sh (BENCH_PORT, BENCH_SECONDS,
# BENCH_CONNECTIONS, BENCH_WORKERS, BENCH_DATABASE_URL / BENCH_BROKER_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TREES=${1:?a comma-separated list of checkouts}
ROUNDS=${2:-1}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-200}
PORT=${BENCH_PORT:-8091}
WORKERS=${BENCH_WORKERS:-$((2 * $(nproc)))}
. bench/env.sh
. bench/wrk.sh  # wrk, drain
STUDENTS=$ROOT/var/bench/students.txt
students=$(wc -l < "$STUDENTS")
run() {  # label path cookies
  drain
  WRK_THREADS=2 COOKIES=$3 wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 5s -s "$ROOT/bench/wrk_sessions.lua" \
    "http://127.0.0.1:$PORT$2" | grep '^RESULT' | sed "s/^RESULT/$1/"
}
server=
trap 'kill "$server" 2>/dev/null || true' EXIT  # a step that fails leaves no gunicorn on the port
for round in $(seq "$ROUNDS"); do
  for tree in ${TREES//,/ }; do
    (cd "$tree" && exec .venv/bin/gunicorn attestation.wsgi -w "$WORKERS" --threads 1 -b "127.0.0.1:$PORT" \
      --backlog 2048 --log-level warning) &
    server=$!
    up=
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/ping/" >/dev/null && up=1 && break; sleep 0.2; done
    [ -n "$up" ] || { echo "gunicorn of $tree did not answer on port $PORT" >&2; exit 1; }
    for path in /appeals/my/ /my/schedule/; do  # every student's session and person cached, as after the cold round
      WRK_THREADS=1 COOKIES=$STUDENTS wrk -t1 -c10 -d5s -s "$ROOT/bench/wrk_sessions.lua" "http://127.0.0.1:$PORT$path" >/dev/null
    done
    (cd "$tree" && .venv/bin/python bench/build_ahead.py "$students" | sed "s/^RESULT/round=$round tree=$(basename "$tree") building/")
    load=$(cut -d' ' -f1 /proc/loadavg)
    run "round=$round tree=$(basename "$tree") load=$load baseline" /ping/ ""
    run "round=$round tree=$(basename "$tree") load=$load results_page" /appeals/my/ "$STUDENTS"
    run "round=$round tree=$(basename "$tree") load=$load baseline" /ping/ ""
    run "round=$round tree=$(basename "$tree") load=$load schedule_page" /my/schedule/ "$STUDENTS"
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
  done
done
