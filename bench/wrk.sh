# Sourced by the benches that drive gunicorn with wrk (bench/load.sh, bench/student_pages.sh, bench/built_round.sh),
# from the checkout's root: wrk installed if missing (Debian's package), and `drain`.
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } >&2

drain() {  # a sync worker still answers the connections queued by the last scenario: wait until ping on $PORT is quick
  for _ in $(seq 60); do
    [ "$(curl -s -o /dev/null -w '%{time_total}' -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$PORT/ping/")" \
      \< 0.2 ] && return
    sleep 1
  done
}
