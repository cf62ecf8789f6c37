#!/usr/bin/env bash
# Every benchmark in one run (`make bench`): load (bench/load.sh), documents (the 300-student vedomost and a
# commission's portfolio against plain WeasyPrint on the same HTML) and the 100,000-row transcript import against
# PostgreSQL's COPY. Appends one dated section to bench/RESULTS.md with the machine and the command.
# Knobs: BENCH_SECONDS (per load scenario, 20), BENCH_RUNS (document/import repetitions, 3), BENCH_ROWS (100000).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup >&2
SECS=${BENCH_SECONDS:-20}
RUNS=${BENCH_RUNS:-3}
ROWS=${BENCH_ROWS:-100000}
. bench/env.sh
export BENCH_NO_APPEND=1 BENCH_SKIP_SETUP=1

machine() {
  local cpu ram
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  echo "- machine: $(nproc) CPUs ($cpu), $ram RAM, $(uname -sr), PostgreSQL $(psql -V | awk '{print $3}'), $(.venv/bin/python -V)"
}
load_now() { cut -d' ' -f1-3 /proc/loadavg; }

started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(load_now)
load_section=$(bash bench/load.sh "$SECS")
vedomost=$(.venv/bin/python bench/vedomost_render.py 300 "$RUNS")
portfolio=$(.venv/bin/python bench/portfolio_render.py "$RUNS" | sed 's/^RESULT //')
transcripts=$(.venv/bin/python bench/transcripts_bench.py "$ROWS" "$RUNS")
sweep=$(.venv/bin/python bench/sweep_bench.py 100000 1000 "$RUNS")  # deadline sweep: 1,000 due of 100,000 open
documents=$(.venv/bin/python - "$vedomost" "$portfolio" <<'PY'
import sys

for line in sys.argv[1:]:
    pairs = dict(p.split("=", 1) for p in line.split() if "=" in p)
    name = "vedomost (300 students)" if "pages" in pairs else f"portfolio ({pairs['documents']} documents)"
    print(f"- {name}: app / plain WeasyPrint on the same HTML: {float(pairs['ratio']):.2f}×")
PY
)
section=$(
  echo
  echo "# make bench, $started"
  echo "- command: \`make bench\` (BENCH_SECONDS=$SECS BENCH_RUNS=$RUNS BENCH_ROWS=$ROWS)"
  machine
  echo "- load average (1, 5, 15 min) before: $load_before; after: $(load_now) — above the CPU count means other work"
  echo "  shared the machine and absolute figures are low; the ratios are measured in the same run"
  echo "$load_section"
  echo
  echo "## Documents, $(date -u +%Y-%m-%dT%H:%MZ), median of $RUNS"
  echo '```'
  echo "vedomost $vedomost"
  echo "$portfolio"
  echo '```'
  echo "$documents"
  echo "$transcripts"
  echo "$sweep"
)
echo "$section"
echo "$section" >> bench/RESULTS.md
