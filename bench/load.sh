#!/usr/bin/env bash
# Load benchmark on loopback: gunicorn + PostgreSQL + Redis with production settings and a university-sized data
# set (5,000 students, 100 commissions). Scenarios: the results-announcement spike (students polling their results
# page) and the minimal Django view on the same stack, in the same run; the ratio is reported.
# Usage: bash bench/load.sh [seconds per scenario]   — results appended to bench/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
DURATION=${1:-20}
. bench/env.sh
.venv/bin/python - <<'PY'
import psycopg2
conn = psycopg2.connect("dbname=postgres user=postgres host=127.0.0.1")
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = 'attestation_bench'")
    if not cur.fetchone():
        cur.execute('CREATE DATABASE "attestation_bench"')
PY
mkdir -p var/bench
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py bench_seed --students 5000 --commissions 100
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py bench_sessions bench-s --count 1000 > var/bench/students.txt
PORT=8090
.venv/bin/gunicorn attestation.wsgi -w 3 -b 127.0.0.1:$PORT --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/ping/" >/dev/null && break; sleep 0.2; done

run() {  # name url cookies-file
  COOKIES=$3 wrk -t2 -c32 -d"${DURATION}s" --timeout 5s -s bench/wrk_sessions.lua "http://127.0.0.1:$PORT$2" \
    | grep '^RESULT' | sed "s/^RESULT/$1/"
}
baseline=$(run baseline /ping/ "")
results=$(run results_page /appeals/my/ var/bench/students.txt)
schedule=$(run schedule_page /my/schedule/ var/bench/students.txt)
rps() { sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$1"; }
{
  echo
  echo "## Load, $(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s per scenario, wrk -t2 -c32, gunicorn -w 3, 5,000 students"
  echo '```'
  echo "$baseline"; echo "$results"; echo "$schedule"
  echo '```'
  echo "- results page / minimal view throughput: $(.venv/bin/python -c "print(round($(rps "$results")/$(rps "$baseline"), 3))")"
  echo "- schedule page / minimal view throughput: $(.venv/bin/python -c "print(round($(rps "$schedule")/$(rps "$baseline"), 3))")"
} | tee -a bench/RESULTS.md
