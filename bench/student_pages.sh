#!/usr/bin/env bash
# The announcement spike at 200 concurrent users (issue 18): the minimal Django view (/ping/) and the three pages
# students hit — results, schedule, the exam page's admission poll — each as 1,000 logged-in students, on the same
# gunicorn + PostgreSQL + Redis (production settings of bench/env.sh), measured side by side in rounds:
# each round runs ping, results, schedule, poll for BENCH_SECONDS each, and a page's ratio is its throughput over
# the ping of its own round (the machine is shared: the ratio of neighbours in time is what holds still).
# Rounds, each page's students visiting it in turn (1,000 of them: the first 1,000 requests of a round are first
# visits, the rest refreshes):
#   cold  — the cache emptied, nothing built: every student's first visit builds the page (a truly cold start);
#   built — the minute after an announcement: sessions and people still cached from the cold round (the students
#           were on the portal), each student's pages ended as the announcement ends them and built ahead as its task
#           builds them (results and schedule, through appeals/pages_ahead.py, timed: bench/build_ahead.py), then
#           the first visits; not the exam poll (an announcement neither ends nor builds a waiting student's poll);
#   2…    — the refreshes, as before.
# Prints, and appends to bench/RESULTS.md (BENCH_NO_APPEND=1: print only), every round, each page's ratio and p95
# per kind of round, the time the building took, the in-process CPU per request (bench/page_cost.py: second visit,
# first visit, first visit after building) and the load average before and after.
# Usage: bash bench/student_pages.sh   Knobs: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (200),
# BENCH_WORKERS (2 × CPUs, as docs/production.md), BENCH_THREADS (1: sync workers, as docs/production.md), BENCH_PORT (8091), BENCH_SKIP_SETUP=1, BENCH_DATABASE_URL / BENCH_BROKER_URL (bench/env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup >&2
. bench/wrk.sh  # wrk, drain
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNECTIONS:-200}
PORT=${BENCH_PORT:-8091}
WORKERS=${BENCH_WORKERS:-$((2 * $(nproc)))}  # as docs/production.md runs a web node: 2 × CPUs
THREADS=${BENCH_THREADS:-1}
. bench/env.sh
load_now() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load_now)
. bench/seed.sh
empty_cache() {  # nothing cached from an earlier run or round (the cache is the bench's own Redis database)
  .venv/bin/python manage.py shell -v0 -c "
import redis
from django.conf import settings
if settings.SHARED_CACHE:  # only the portal's keys: the broker may share the database
    client = redis.Redis.from_url(settings.CACHE_URL)
    for key in client.scan_iter('att:*'):
        client.delete(key)"
}
empty_cache
# Before gunicorn: the machine to itself.
cost=$(.venv/bin/python bench/page_cost.py 200 | sed 's/^RESULT //')
cost_first=$(.venv/bin/python bench/page_cost.py 200 --first | sed 's/^RESULT //')
cost_built=$(.venv/bin/python bench/page_cost.py 200 --built | sed 's/^RESULT //')
.venv/bin/gunicorn attestation.wsgi -w "$WORKERS" --threads "$THREADS" -b 127.0.0.1:$PORT --backlog 2048 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/ping/" >/dev/null && break; sleep 0.2; done
warm() { COOKIES=$2 wrk -t1 -c6 -d3s --timeout 30s -s bench/wrk_sessions.lua "http://127.0.0.1:$PORT$1" >/dev/null; }
# Every worker warmed (imports, templates, translations); the cache is emptied again before the cold and the built
# rounds.
warm /ping/ ""
warm /appeals/my/ var/bench/students.txt
warm /my/schedule/ var/bench/students.txt
warm / var/bench/waiting.txt

run() {  # round name url cookies-file
  drain
  WRK_THREADS=2 COOKIES=$4 wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 5s -s bench/wrk_sessions.lua "http://127.0.0.1:$PORT$3" \
    | grep '^RESULT' | sed "s/^RESULT/round=$1 $2/"
}
round_of() {  # name
  run "$1" baseline /ping/ ""
  run "$1" results_page /appeals/my/ var/bench/students.txt
  run "$1" schedule_page /my/schedule/ var/bench/students.txt
  run "$1" exam_status_poll / var/bench/waiting.txt
}
students=$(wc -l < var/bench/students.txt)
lines=$(
  empty_cache
  round_of cold
  .venv/bin/python bench/build_ahead.py "$students" | sed 's/^RESULT //' > var/bench/building.txt
  run built baseline /ping/ ""
  run built results_page /appeals/my/ var/bench/students.txt
  run built schedule_page /my/schedule/ var/bench/students.txt
  for round in $(seq 2 "$ROUNDS"); do
    round_of "$round"
  done
)
building=$(cat var/bench/building.txt)
report=$(.venv/bin/python - "$lines" "$cost" "$cost_first" "$cost_built" <<'PY'
import statistics
import sys

rows = [dict(p.split("=", 1) for p in line.split() if "=" in p) | {"name": line.split()[1]} for line in sys.argv[1].splitlines()]
costs = [{line.split()[0]: dict(p.split("=", 1) for p in line.split()[1:]) for line in arg.splitlines()} for arg in sys.argv[2:]]
ping = {r["round"]: float(r["rps"]) for r in rows if r["name"] == "baseline"}
kinds = {"cold (cache emptied, nothing built)": ["cold"],
         "first visits after the announcement's building (sessions cached, pages ended, then built)": ["built"],
         "refreshes": [r for r in ping if r not in ("cold", "built")]}
for name in ("results_page", "schedule_page", "exam_status_poll"):
    print(f"- {name} / minimal view:")
    for kind, rounds in kinds.items():
        mine = [r for r in rows if r["name"] == name and r["round"] in rounds]
        if not mine:
            continue
        ratios = [float(r["rps"]) / ping[r["round"]] for r in mine]
        p95 = [float(r["p95_ms"]) for r in mine]
        errors = sum(int(r["errors"]) for r in mine)
        print(f"  - {kind}: throughput {statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)}), "
              f"p95 {statistics.median(p95):.0f} ms (worst {max(p95):.0f} ms), errors {errors}")
    parts = []
    for label, cost in zip(("second visit", "first visit", "first visit after building"), costs):
        c = cost[name]
        parts.append(f"{label} {c['queries']} queries, CPU {float(c['cpu_ms']):.2f} ms "
                     f"({float(c['cpu_ms']) / float(cost['baseline']['cpu_ms']):.1f}× the minimal view's)")
    print("  - in-process: " + "; ".join(parts))
print(f"- minimal view: {statistics.median(ping.values()):.0f} requests/s (rounds: "
      f"{', '.join(f'{k} {v:.0f}' for k, v in ping.items())})")
PY
)
section=$(
  echo
  echo "## Student pages at $CONNS concurrent users, $(date -u +%Y-%m-%dT%H:%MZ) (bench/student_pages.sh)"
  echo "- rounds cold, built, 2…$ROUNDS of ping, results, schedule, poll, ${SECS}s each, wrk -t2 -c$CONNS," \
    "gunicorn -w $WORKERS --threads $THREADS; $(nproc) CPUs (shared with other work: see the load);" \
    "load average before: $load_before; after: $(load_now)"
  echo "- building ahead for the bench's $students students (results and schedule, one process as one worker," \
    "gunicorn idle; bench/build_ahead.py): $building"
  echo '```'
  echo "$lines"
  echo '```'
  echo "In-process cost of one request (Django test client, median of 200; bench/page_cost.py): second visit; first"
  echo "visit (--first: the person's pages ended, as an announcement ends them); first visit after building (--built):"
  echo '```'
  echo "$cost"
  echo "$cost_first" | sed 's/^/first: /'
  echo "$cost_built" | sed 's/^/built: /'
  echo '```'
  echo "$report"
)
echo "$section"
[ "${BENCH_NO_APPEND:-0}" = 1 ] || echo "$section" >> bench/RESULTS.md
