#!/usr/bin/env bash
# The portal on several nodes, on loopback: nginx (Debian's package; installed here if missing) in front of two
# gunicorn nodes, two Celery workers and one beat, PostgreSQL and Redis, and stored files in a shared S3 bucket
# (moto's S3 server from PyPI, standing in for MinIO/Ceph/S3). Production settings (bench/env.sh), BENCH-U data.
#   nodes_check     a student signs in on node A and is signed in on node B; uploads an ID copy on A and downloads it
#                   on B, nginx sending the signed object from the bucket (X-Accel-Redirect); see bench/nodes_check.py
#   results_page    the announcement spike (1,000 students opening their results page), through nginx, first with
#                   only node A in nginx's upstream, then with A and B: same nginx, same wrk, same run
#   vote_9_at_once  a secret vote of 9 members (bench/vote_burst.py: keys, encrypted ballots, close, shares) through
#                   nginx with both nodes: every round must record exactly 9 ballots and the right tally
# Also: how nginx spread the requests over the nodes, the web nodes' CPU time per request in each configuration, and
# the tasks each Celery worker ran. Every process started here is stopped at the end (by its own PID).
# Usage: bash bench/nodes.sh [seconds per load scenario]  — prints a section (BENCH_NO_APPEND=1) or appends it to
# bench/RESULTS.md. Knobs: NODE_WORKERS (gunicorn workers per node, 2), VOTE_ROUNDS (10), NODES_PGBOUNCER (1: through
# PgBouncer), NODES_PORT_BASE (18080: nginx both/A/B on +0/+1/+2, gunicorn A/B on +11/+12, moto +20, PgBouncer +30).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup >&2
for tool in nginx wrk; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool; } >&2
done
DURATION=${1:-20}
WORKERS=${NODE_WORKERS:-2}
BASE=${NODES_PORT_BASE:-18080}
LB=$BASE; LB_A=$((BASE + 1)); LB_B=$((BASE + 2)); NODE_A=$((BASE + 11)); NODE_B=$((BASE + 12)); S3=$((BASE + 20))
. bench/env.sh
. bench/seed.sh
DIR=$PWD/var/bench/nodes
rm -rf "$DIR" && mkdir -p "$DIR/nginx"

PIDS=()
stop_all() {  # only what this script started, each by its PID, children first
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
wait_for() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer at $1" >&2; return 1; }

# The shared bucket (moto's S3 server) and the portal's settings for it, as every node gets them.
.venv/bin/moto_server -H 127.0.0.1 -p "$S3" >"$DIR/moto.log" 2>&1 &
PIDS+=($!)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
export ATTESTATION_MEDIA_STORAGE=s3 ATTESTATION_S3_BUCKET=attestation-media ATTESTATION_S3_REGION=us-east-1
export ATTESTATION_S3_ENDPOINT_URL=http://127.0.0.1:$S3 ATTESTATION_MEDIA_ACCEL_REDIRECT=/_protected/
wait_for "http://127.0.0.1:$S3/"
.venv/bin/python -c "
import boto3, os
boto3.client('s3', endpoint_url=os.environ['ATTESTATION_S3_ENDPOINT_URL'], region_name='us-east-1').create_bucket(
    Bucket=os.environ['ATTESTATION_S3_BUCKET'])"

# NODES_PGBOUNCER=1: every node and worker reaches PostgreSQL through PgBouncer in transaction mode (docs/production.md).
if [ "${NODES_PGBOUNCER:-0}" = 1 ]; then
  command -v pgbouncer >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer; } >&2
  PGB=$((BASE + 30))
  dbname=${DATABASE_URL##*/}
  cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
$dbname = host=127.0.0.1 port=5432 dbname=$dbname
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB
unix_socket_dir =
auth_type = trust
auth_file = $DIR/pgbouncer-users.txt
pool_mode = transaction
default_pool_size = 8
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/pgbouncer.log
EOF
  echo '"postgres" ""' >"$DIR/pgbouncer-users.txt"
  # pgbouncer refuses to run as root: as the postgres user, which owns only these files
  chown postgres "$DIR" "$DIR/pgbouncer.ini" "$DIR/pgbouncer-users.txt" 2>/dev/null || true
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- pgbouncer "$DIR/pgbouncer.ini" >/dev/null 2>&1 &
  else pgbouncer "$DIR/pgbouncer.ini" >/dev/null 2>&1 &
  fi
  PIDS+=($!)
  export DATABASE_URL=${DATABASE_URL/:5432\//:$PGB/} DATABASE_DISABLE_SERVER_SIDE_CURSORS=true DATABASE_PREPARED_STATEMENTS=false
  for _ in $(seq 50); do psql -h 127.0.0.1 -p "$PGB" -U postgres -d "$dbname" -tAc 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
fi

# Two web nodes: the same code and settings, nothing shared but PostgreSQL, Redis and the bucket.
# Each node pinned to a CPU of its own (taskset), as two machines would have: one node is measured on one CPU and two
# nodes on two, while nginx, wrk, PostgreSQL, Redis and the rest float over all of them (NODES_PIN=0: no pinning).
WEB=() cpu=0
for port in $NODE_A $NODE_B; do
  pin=()
  [ "${NODES_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null && pin=(taskset -c $cpu)
  "${pin[@]}" .venv/bin/gunicorn attestation.wsgi -w "$WORKERS" -b 127.0.0.1:$port --log-level warning \
    >"$DIR/gunicorn-$port.log" 2>&1 &
  PIDS+=($!) WEB+=($!) cpu=$((cpu + 1))
done
PINNED=$([ "${#pin[@]}" -gt 0 ] && echo "node A on CPU 0, node B on CPU 1 (taskset)" || echo "not pinned")
# Two workers (one process each) and exactly one beat, every deadline sweep a few seconds apart.
for name in a b; do
  .venv/bin/celery -A attestation worker -c 1 -n "node-$name@%h" -l warning >"$DIR/worker-$name.log" 2>&1 &
  PIDS+=($!)
done
DEADLINE_SWEEP_SECONDS=5 .venv/bin/celery -A attestation beat -l warning -s "$DIR/beat-schedule" >"$DIR/beat.log" 2>&1 &
PIDS+=($!)

cat >"$DIR/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
  log_format upstream '\$server_port \$upstream_addr \$status';
  access_log $DIR/nginx/access.log upstream;
  client_body_temp_path $DIR/nginx/body; proxy_temp_path $DIR/nginx/proxy;
  fastcgi_temp_path $DIR/nginx/fastcgi; uwsgi_temp_path $DIR/nginx/uwsgi; scgi_temp_path $DIR/nginx/scgi;
  client_max_body_size 20m;
  upstream both { server 127.0.0.1:$NODE_A; server 127.0.0.1:$NODE_B; keepalive 32; }
  upstream node_a { server 127.0.0.1:$NODE_A; keepalive 32; }
  upstream node_b { server 127.0.0.1:$NODE_B; keepalive 32; }
  map \$server_port \$nodes { $LB both; $LB_A node_a; $LB_B node_b; }
  server {
    listen 127.0.0.1:$LB; listen 127.0.0.1:$LB_A; listen 127.0.0.1:$LB_B;
    # docs/media.md: the files leave only through the portal's answer; nginx follows its signed address
    location /_protected/ {
      internal;
      proxy_pass http://127.0.0.1:$S3/;
      proxy_set_header Host 127.0.0.1:$S3;
      proxy_set_header Authorization "";
      proxy_set_header Cookie "";
      proxy_hide_header Set-Cookie;
      proxy_hide_header x-amz-request-id;
      proxy_hide_header x-amz-id-2;
      add_header X-Content-Type-Options nosniff always;
      add_header Content-Security-Policy "sandbox; default-src 'none'" always;
      add_header Cache-Control "private, no-store" always;
    }
    location / {
      proxy_pass http://\$nodes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      # here the client (wrk, the vote) says https itself; in production: X-Forwarded-Proto \$scheme
      proxy_set_header X-Forwarded-Proto \$http_x_forwarded_proto;
    }
  }
}
EOF
nginx -t -q -p "$DIR/nginx" -c "$DIR/nginx.conf"
nginx -p "$DIR/nginx" -c "$DIR/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
for port in $NODE_A $NODE_B $LB; do wait_for "http://127.0.0.1:$port/ping/"; done

check=$(.venv/bin/python bench/nodes_check.py "$LB_A" "$LB_B" | grep '^RESULT' | sed 's/^RESULT //')

cpu_ticks() {  # user+system clock ticks of both gunicorn nodes (masters and workers)
  local total=0 pid
  for pid in "${WEB[@]}"; do
    for p in $pid $(pgrep -P "$pid"); do
      total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
  done
  echo $total
}
for port in $LB_A $LB_B; do  # warm every worker of both nodes
  COOKIES=var/bench/students.txt wrk -t1 -c8 -d2s -s bench/wrk_sessions.lua "http://127.0.0.1:$port/appeals/my/" >/dev/null
done
run() {  # name port path cookies: one wrk line plus the web nodes' CPU ms per request
  local before after line
  : >"$DIR/nginx/access.log"
  before=$(cpu_ticks)
  line=$(WRK_THREADS=2 COOKIES=$4 wrk -t2 -c32 -d"${DURATION}s" --timeout 5s -s bench/wrk_sessions.lua "http://127.0.0.1:$2$3" \
    | grep '^RESULT' | sed "s/^RESULT/$1/")
  after=$(cpu_ticks)
  local requests=${line##*requests=}; requests=${requests%% *}
  local spread
  spread=$(awk -v a="127.0.0.1:$NODE_A" -v b="127.0.0.1:$NODE_B" \
    '$2 == a {na++} $2 == b {nb++} END {printf "node_a=%d node_b=%d", na, nb}' "$DIR/nginx/access.log")
  echo "$line web_cpu_ms_per_request=$(awk -v t=$((after - before)) -v r="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.2f", t * 1000 / hz / (r ? r : 1)}') $spread"
}
lines=$(
  run one_node_baseline "$LB_A" /ping/ ""
  run two_nodes_baseline "$LB" /ping/ ""
  run one_node_results_page "$LB_A" /appeals/my/ var/bench/students.txt
  run two_nodes_results_page "$LB" /appeals/my/ var/bench/students.txt
  run one_node_results_page_again "$LB_A" /appeals/my/ var/bench/students.txt
)
: >"$DIR/nginx/access.log"
vote=$(.venv/bin/python bench/vote_burst.py "$LB" "${VOTE_ROUNDS:-10}" | grep '^RESULT' | sed 's/^RESULT //')
vote_spread=$(awk -v a="127.0.0.1:$NODE_A" -v b="127.0.0.1:$NODE_B" \
  '$2 == a {na++} $2 == b {nb++} END {printf "vote requests served: node A %d, node B %d", na, nb}' "$DIR/nginx/access.log")
tasks=$(.venv/bin/celery -A attestation inspect stats --json 2>/dev/null | .venv/bin/python -c "
import json, sys
stats = json.loads(sys.stdin.read() or '{}')
print(', '.join(f\"{name.split('@')[0]} {sum(s.get('total', {}).values())} tasks\" for name, s in sorted(stats.items())) or 'no answer')
")
report=$(.venv/bin/python - "$lines" <<'PY'
import sys

rows = {}
for line in sys.argv[1].splitlines():
    name, *pairs = line.split()
    rows[name] = dict(p.split("=", 1) for p in pairs)
f = lambda name, key: float(rows[name][key])  # noqa: E731
one = (f("one_node_results_page", "rps") + f("one_node_results_page_again", "rps")) / 2
two = f("two_nodes_results_page", "rps")
print(f"- results page, two nodes / one node behind the same nginx: throughput {two / one:.2f}× "
      f"({two:.1f} against {one:.1f} requests/s, one node measured before and after), "
      f"p95 {f('two_nodes_results_page', 'p95_ms'):.0f} ms against {f('one_node_results_page', 'p95_ms'):.0f} ms")
print(f"- minimal view, two nodes / one node: throughput "
      f"{f('two_nodes_baseline', 'rps') / f('one_node_baseline', 'rps'):.2f}×")
cpu_one, cpu_two = f("one_node_results_page", "web_cpu_ms_per_request"), f("two_nodes_results_page", "web_cpu_ms_per_request")
print(f"- web nodes' CPU time per results page: {cpu_one:.1f} ms with one node, {cpu_two:.1f} ms with two; at that cost "
      f"one CPU serves about {1000 / cpu_one:.0f} pages/s; two nodes reach 2× when each has a CPU of its own that "
      f"nothing else takes (here nginx, wrk, PostgreSQL and the other sessions' work share the same CPUs)")
r = rows["two_nodes_results_page"]
print(f"- nginx spread the two-node spike: node A {r['node_a']}, node B {r['node_b']} requests")
PY
)
cores=$(nproc)
section=$(
  echo
  echo "## Several nodes, $(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s per scenario, wrk -t2 -c32 through nginx, gunicorn -w $WORKERS per node"
  [ "${NODES_PGBOUNCER:-0}" = 1 ] && echo "PostgreSQL through PgBouncer $(pgbouncer --version | head -1 | awk '{print $2}'), transaction mode, pool of 8 server connections."
  echo "Topology on loopback: nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') → 2 gunicorn nodes; 2 Celery workers + 1 beat; PostgreSQL,"
  echo "Redis; stored files in an S3 bucket (moto $(.venv/bin/python -c 'import moto; print(moto.__version__)') S3 server) behind X-Accel-Redirect. $cores CPUs for all of it (and wrk);"
  echo "web nodes: $PINNED."
  echo '```'
  echo "$check"
  echo "$lines"
  echo "$vote"
  echo '```'
  echo "$report"
  echo "- secret vote of 9 across both nodes: $(echo "$vote" | grep -o 'votes_recorded=[^ ]*\|tallies_correct=[^ ]*\|errors=[^ ]*\|close_errors=[^ ]*' | head -4 | tr '\n' ' ')— $vote_spread"
  echo "- Celery: $tasks (beat sweeping the deadlines every 5 s)"
  echo "- shared across nodes (nodes_check): $(echo "$check" | grep -q ' ok=1 ' && echo 'the session, the stored file through nginx from the bucket, the refusals: all held' || echo "FAILED: $(echo "$check" | grep -o '[a-z_0-9]*=0' | tr '\n' ' ')")"
)
echo "$section"
[ "${BENCH_NO_APPEND:-0}" = 1 ] || echo "$section" >> bench/RESULTS.md
