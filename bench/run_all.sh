#!/usr/bin/env bash
# Every benchmark of issue 18 in one run (`make bench`): appends ONE dated section to bench/RESULTS.md — the
# command, the machine, the load average before and after, a summary with every figure (each step's conclusions),
# then each step's own output (its measurements and plans).
#
# A step is a name and a command (the `step` lines below). Its standard output goes into the section; its lines
# that begin with "- " outside ``` blocks are its conclusions (the ratios against their floors) and go to the
# summary at the top instead. Its standard error goes to var/bench/<name>.err. A step that fails is reported as
# failed in the summary with its last error line, and the others still run. Steps print, never append themselves
# (BENCH_NO_APPEND=1 is exported). To add a benchmark: write it to print a section like the others and add a
# `step` line.
#
# Knobs: BENCH_SECONDS (per load scenario, 20), BENCH_RUNS (document/import/sweep repetitions, 3), BENCH_ROWS
# (100000), NODES_SECONDS (per scenario of the several-nodes topology, BENCH_SECONDS), BENCH_ONLY (space-separated
# step names: run only those).
set -uo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup >&2 || exit 1
SECS=${BENCH_SECONDS:-20}
RUNS=${BENCH_RUNS:-3}
ROWS=${BENCH_ROWS:-100000}
NODES_SECS=${NODES_SECONDS:-$SECS}
. bench/env.sh
export BENCH_NO_APPEND=1 BENCH_SKIP_SETUP=1
mkdir -p var/bench
. bench/seed.sh >&2 || exit 1  # once for every step (BENCH_SEEDED)
export BENCH_SEEDED=1

machine() {
  local cpu ram
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  echo "- machine: $(nproc) CPUs ($cpu), $ram RAM, $(uname -sr), PostgreSQL $(psql -V | awk '{print $3}'), $(.venv/bin/python -V)"
}
load_now() { cut -d' ' -f1-3 /proc/loadavg; }

# The documents step: the 300-student vedomost and a commission's portfolio against plain WeasyPrint on the same HTML.
documents() {
  local vedomost portfolio
  vedomost=$(.venv/bin/python bench/vedomost_render.py 300 "$RUNS") || return 1
  portfolio=$(.venv/bin/python bench/portfolio_render.py "$RUNS" | sed 's/^RESULT //') || return 1
  echo
  echo "## Documents, $(date -u +%Y-%m-%dT%H:%MZ), median of $RUNS"
  echo '```'
  echo "vedomost $vedomost"
  echo "$portfolio"
  echo '```'
  .venv/bin/python - "$vedomost" "$portfolio" <<'PY'
import sys

for line in sys.argv[1:]:
    pairs = dict(p.split("=", 1) for p in line.split() if "=" in p)
    name = "vedomost (300 students)" if "pages" in pairs else f"portfolio ({pairs['documents']} documents)"
    print(f"- {name}: app / plain WeasyPrint on the same HTML: {float(pairs['ratio']):.2f}×")
PY
}

SUMMARY="" DETAILS=""
step() {  # name command...
  local name=$1 out rc load
  shift
  if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then return; fi
  load=$(load_now)
  echo "bench: $name (load average $load) …" >&2
  out=$("$@" 2>"var/bench/$name.err")
  rc=$?
  local conclusions details
  # a conclusion is a "- " line outside ``` blocks together with the indented "  - " lines right under it
  conclusions=$(echo "$out" | awk '/^```/ {fence = !fence; under = 0; next} !fence && /^- / {under = 1; print; next}
    !fence && under && /^  +- / {print; next} {under = 0}')
  details=$(echo "$out" | awk '/^```/ {fence = !fence; under = 0; print; next} !fence && /^- / {under = 1; next}
    !fence && under && /^  +- / {next} {under = 0; print}')
  if [ $rc != 0 ]; then
    conclusions="${conclusions:+$conclusions
}- FAILED (exit $rc): $(grep -v '^\s*$' "var/bench/$name.err" | tail -1)"
  fi
  SUMMARY+="
**$name** (load average at its start: $load)

$conclusions
"
  DETAILS+="
$details
"
}

started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(load_now)
# perf: the pages against the minimal view (results, schedule, exam poll) and the 9-member vote on one node
step pages bash bench/load.sh "$SECS"
# perf: issue 18's target — ping, results, schedule, poll at 200 concurrent students, in rounds, with p95
step student_pages bash bench/student_pages.sh
# nodes: nginx + two gunicorn nodes + two workers + beat + a shared S3 bucket; one node against two, the vote across both
step nodes bash bench/nodes.sh "$NODES_SECS"
# nodes: the database and the files dumped, restored into fresh ones, a document served from the restored pair
step backup_restore bash bench/backup_restore.sh
# imports: the vedomost and the portfolio against plain WeasyPrint; the transcript import against COPY; the sweep
step documents documents
step transcripts .venv/bin/python bench/transcripts_bench.py "$ROWS" "$RUNS"
step sweep .venv/bin/python bench/sweep_bench.py 100000 1000 "$RUNS"

section=$(
  echo
  echo "# make bench, $started"
  echo "- command: \`make bench\` (BENCH_SECONDS=$SECS NODES_SECONDS=$NODES_SECS BENCH_RUNS=$RUNS BENCH_ROWS=$ROWS${BENCH_ONLY:+ BENCH_ONLY=\"$BENCH_ONLY\"})"
  machine
  echo "- load average (1, 5, 15 min) before: $load_before; after: $(load_now) — above the CPU count means other work"
  echo "  shared the machine and absolute figures are low; each ratio is measured side by side in the same step"
  echo
  echo "## Summary: every figure of the run"
  echo "$SUMMARY"
  echo "$DETAILS"
)
echo "$section"
echo "$section" >> bench/RESULTS.md
