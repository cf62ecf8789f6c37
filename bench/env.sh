# The production-like settings the benchmarks run with (sourced by bench/*.sh).
# BENCH_DATABASE_URL / BENCH_BROKER_URL point a run elsewhere (e.g. a helper's own Redis database).
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/attestation_bench}
export CELERY_BROKER_URL=${BENCH_BROKER_URL:-redis://127.0.0.1:6379/14}
