#!/usr/bin/env bash
# Load benchmark on loopback: gunicorn + PostgreSQL + Redis with production settings and a university-sized data
# set (5,000 students, 100 commissions, a live day of 1,000 students waiting for admission and a defense commission
# of 9 voters). Scenarios, all in the same run and against the same stack:
#   baseline          the minimal Django view (/ping/), measured first and last (the ratios use the mean)
#   results_page      the results-announcement spike: 1,000 students refreshing their results page
#   schedule_page     the same students opening their schedule
#   exam_status_poll  1,000 students on their exam page, whose htmx fragment polls every 2 s until admitted
#   vote_9_at_once    9 members POST their degree vote to one open round at the same moment (bench/vote_burst.py),
#                     checked for exactly 9 votes and a correct tally; its baseline is 9 /ping/ at once
# Usage: bash bench/load.sh [seconds per scenario]   — appended to bench/RESULTS.md (BENCH_NO_APPEND=1: print only)
# BENCH_SKIP_SETUP=1 skips scripts/setup (already installed); BENCH_PORT, BENCH_WORKERS, VOTE_ROUNDS as named.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup >&2
. bench/wrk.sh  # wrk, drain
DURATION=${1:-20}
PORT=${BENCH_PORT:-8090}
WORKERS=${BENCH_WORKERS:-3}
. bench/env.sh
. bench/seed.sh
cost=$(.venv/bin/python bench/page_cost.py 200 | sed 's/^RESULT //')  # before gunicorn: the machine to itself
.venv/bin/gunicorn attestation.wsgi -w "$WORKERS" -b 127.0.0.1:$PORT --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/ping/" >/dev/null && break; sleep 0.2; done
for path in /ping/ /appeals/my/ /my/schedule/; do  # warm every worker (imports, templates, translations)
  COOKIES=var/bench/students.txt wrk -t1 -c6 -d1s -s bench/wrk_sessions.lua "http://127.0.0.1:$PORT$path" >/dev/null
done

run() {  # name url cookies-file
  WRK_THREADS=2 COOKIES=$3 wrk -t2 -c32 -d"${DURATION}s" --timeout 5s -s bench/wrk_sessions.lua "http://127.0.0.1:$PORT$2" \
    | grep '^RESULT' | sed "s/^RESULT/$1/"
}
lines=$(
  run baseline_first /ping/ ""
  run results_page /appeals/my/ var/bench/students.txt
  run schedule_page /my/schedule/ var/bench/students.txt
  run exam_status_poll / var/bench/waiting.txt
  .venv/bin/python bench/vote_burst.py "$PORT" "${VOTE_ROUNDS:-20}" | grep '^RESULT' | sed 's/^RESULT //'
  run baseline_last /ping/ ""
)
report=$(.venv/bin/python - "$lines" "$cost" <<'PY'
import sys


def parse(text: str) -> dict:
    rows = {}
    for line in text.splitlines():
        name, *pairs = line.split()
        rows[name] = {k: float(v) if v.replace(".", "").isdigit() else v for k, v in (p.split("=", 1) for p in pairs)}
    return rows


rows, cost = parse(sys.argv[1]), parse(sys.argv[2])
base = {k: (rows["baseline_first"][k] + rows["baseline_last"][k]) / 2 for k in ("rps", "p50_ms", "p95_ms", "p99_ms")}
out, ratios = [], {}
for name in ("results_page", "schedule_page", "exam_status_poll"):
    r = rows[name]
    ratios[name] = r["rps"] / base["rps"]
    out.append(f"- {name} / minimal view: throughput {ratios[name]:.3f}, latency p50 {r['p50_ms'] / base['p50_ms']:.1f}×, "
               f"p95 {r['p95_ms'] / base['p95_ms']:.1f}×, p99 {r['p99_ms'] / base['p99_ms']:.1f}×")
vote, ping = rows["vote_9_at_once"], rows["ping_9_at_once"]
out.append(f"- vote_9_at_once / 9 minimal requests at once: latency p50 {vote['p50_ms'] / ping['p50_ms']:.1f}×, "
           f"p95 {vote['p95_ms'] / ping['p95_ms']:.1f}×, p99 {vote['p99_ms'] / ping['p99_ms']:.1f}×; "
           f"votes recorded {vote['votes_recorded']}, tallies correct {vote['tallies_correct']}, "
           f"errors {int(vote['errors'])}")
drift = rows["baseline_last"]["rps"] / rows["baseline_first"]["rps"]
out.append(f"- baseline drift during the run (last / first throughput): {drift:.2f}")
for name in ("results_page", "schedule_page", "exam_status_poll"):
    c = cost[name]
    out.append(f"- {name} in-process: {c['queries']:.0f} queries, CPU {c['cpu_ms']:.2f} ms = "
               f"{c['cpu_ms'] / cost['baseline']['cpu_ms']:.0f}× the minimal view's")
weakest = min(ratios, key=ratios.get)
out.append(f"- weakest throughput ratio: {weakest} ({ratios[weakest]:.3f})")
print("\n".join(out))
PY
)
students=$(.venv/bin/python manage.py shell -v0 -c \
  "from attestation.institutions.models import Student; print(Student.objects.filter(institution__short_name='BENCH-U').count())" \
  | tail -1)
section=$(
  echo
  echo "## Load, $(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s per scenario, wrk -t2 -c32, gunicorn -w $WORKERS, $students students"
  echo '```'
  echo "$lines"
  echo '```'
  echo "In-process cost of one request (Django test client on the same data, median of 200 people; bench/page_cost.py):"
  echo '```'
  echo "$cost"
  echo '```'
  echo "$report"
)
echo "$section"
[ "${BENCH_NO_APPEND:-0}" = 1 ] || echo "$section" >> bench/RESULTS.md
