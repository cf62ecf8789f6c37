#!/usr/bin/env bash
# The benchmarks' data set (sourced by bench/load.sh and bench/nodes.sh after bench/env.sh): the database if missing,
# migrations, BENCH-U (5,000 students, 100 commissions, 1,000 waiting; bench_seed leaves an existing one alone),
# planner statistics, static files, and the session cookies of 1,000 students (var/bench/students.txt) and of the
# 1,000 waiting at their exam page with its poll URL (var/bench/waiting.txt). BENCH_SEEDED=1 (bench/run_all.sh,
# which seeds once before its steps): nothing to do.
[ "${BENCH_SEEDED:-0}" = 1 ] && return 0
.venv/bin/python - <<'PY'
import os
from urllib.parse import urlparse

import psycopg2

url = urlparse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(dbname="postgres", user=url.username, host=url.hostname, port=url.port or 5432)
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url.path.lstrip("/")])
    if not cur.fetchone():
        cur.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
PY
mkdir -p var/bench
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py bench_seed --students 5000 --commissions 100 --waiting 1000 >&2
# Planner statistics, as a production database has them (the seed bulk-inserts just before the run).
.venv/bin/python manage.py shell -v0 -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py bench_sessions bench-s --count 1000 > var/bench/students.txt
.venv/bin/python manage.py bench_sessions bench-w --count 1000 --exam-status > var/bench/waiting.txt
