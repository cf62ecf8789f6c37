"""Where a cold first visit's machine time goes, end to end through gunicorn (issue 18's cold round).

For each page (results, schedule, the exam poll) and the minimal view: the shared cache emptied (as the cold round of
bench/student_pages.sh empties it), then exactly one first visit per student (1,000, at 200 connections, wrk with
bench/wrk_first_visits.lua), timed; then the same 1,000 again (each one's refresh, served from the cache) for
comparison. Around each pass, the CPU time of every process that serves it is read from /proc (schedstat: time on a
CPU and time waiting for one, in ns): the gunicorn master and workers, the PostgreSQL backends of the bench's
database, the Redis server (shared with other work on the machine: an upper bound) and wrk itself; and the workers'
voluntary context switches (each a wait: for PostgreSQL, Redis or the next request). Divided by the visits, these
say what one cold visit costs each process, and how much of the wall time the workers spent waiting for a CPU.

With --trees A,B the same is run from two checkouts (the old code and the new), alternated --rounds times, on the
same database and Redis, so a change of load hits both alike.

--kinds names the passes, in order, for each page: `cold` (the cache emptied first), `refresh` (each student's
next visit), `first` (every student's pages ended as an announcement ends them, the sessions and people still cached
from the passes before: a miss) and `built` (the same, then the results pages and schedules built ahead as the
announcement's task builds them, bench/build_ahead.py, before the visits; not for the exam poll, which an
announcement does not build). `first` and `built` need a pass before them that cached the sessions and people.

Usage: .venv/bin/python bench/cold_visits.py [--trees DIR,DIR] [--rounds N] [--pages results,schedule,poll]
  after `. bench/env.sh` (its settings and the BENCH_* variables); BENCH_PORT, BENCH_WORKERS as bench/student_pages.sh
"""

import argparse
import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "ping": ("/ping/", None),
    "results": ("/appeals/my/", "var/bench/students.txt"),
    "schedule": ("/my/schedule/", "var/bench/students.txt"),
    "poll": ("/", "var/bench/waiting.txt"),
}


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def schedstat(pid: int) -> tuple[int, int, int]:
    """(ns on a CPU, ns waiting for one, voluntary context switches) of every thread of the process."""
    run = wait = switches = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            on_cpu, queued, _slices = (int(x) for x in (task / "schedstat").read_text().split())
            run, wait = run + on_cpu, wait + queued
            for line in (task / "status").read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches"):
                    switches += int(line.split()[1])
    except OSError:
        pass
    return run, wait, switches


def pids_named(needle: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if needle in (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(proc.name))
            except OSError:
                pass
    return found


class Stack:
    def __init__(self, tree: Path, port: int, workers: int, env: dict) -> None:
        self.tree, self.port, self.env = tree, port, env
        self.db = urlparse(env["DATABASE_URL"]).path.lstrip("/")
        while subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/ping/"], capture_output=True).returncode == 0:
            time.sleep(0.5)  # an earlier server still answers on the port: wait until it is gone
        self.gunicorn = subprocess.Popen(
            [
                str(tree / ".venv/bin/gunicorn"),
                "attestation.wsgi",
                "-w",
                str(workers),
                "--threads",
                "1",
                "-b",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=tree,
            env=env,
        )
        for _ in range(100):
            if subprocess.run(["curl", "-sf", f"http://127.0.0.1:{port}/ping/"], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        assert self.gunicorn.poll() is None, "gunicorn did not start"
        for name in PAGES:  # every worker warmed: imports, templates, translations, compiled queries
            self.wrk(name, warm=True)

    def stop(self) -> None:
        self.gunicorn.terminate()
        self.gunicorn.wait()

    def processes(self) -> dict[str, list[int]]:
        workers = children(self.gunicorn.pid)
        return {
            "gunicorn": [self.gunicorn.pid, *workers],
            "postgres": self.backends(),
            "redis": pids_named("redis-server"),
        }

    def backends(self) -> list[int]:
        out = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                self.db,
                "-Atc",
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            ],
            capture_output=True,
            text=True,
        ).stdout
        return [int(pid) for pid in out.split()]

    def snapshot(self) -> dict[str, dict[int, tuple[int, int, int]]]:
        return {group: {pid: schedstat(pid) for pid in pids} for group, pids in self.processes().items()}

    def empty_cache(self) -> None:
        subprocess.run(
            [
                str(self.tree / ".venv/bin/python"),
                "manage.py",
                "shell",
                "-v0",
                "-c",
                "import redis\nfrom django.conf import settings\nclient = redis.Redis.from_url(settings.CACHE_URL)\n"
                "for key in client.scan_iter('att:*'):\n    client.delete(key)",
            ],
            cwd=self.tree,
            env=self.env,
            check=True,
        )

    def end_pages(self, build: bool) -> None:
        """Every student's pages ended (everybody's generation renewed, as a national decree does: one key), and with
        `build` the bench's students' results pages and schedules built ahead, by this tree's code."""
        code = "from attestation.core.student_pages import all_student_pages_changed\nall_student_pages_changed()"
        subprocess.run(
            [str(self.tree / ".venv/bin/python"), "manage.py", "shell", "-v0", "-c", code],
            cwd=self.tree,
            env=self.env,
            check=True,
        )
        if build:
            students = sum(1 for _line in (ROOT / "var/bench/students.txt").open())
            subprocess.run(
                [str(self.tree / ".venv/bin/python"), "bench/build_ahead.py", str(students)],
                cwd=self.tree,
                env=self.env,
                check=True,
                capture_output=True,
            )

    def drain(self) -> None:
        for _ in range(60):
            out = subprocess.run(
                [
                    "curl",
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{time_total}",
                    "-H",
                    "X-Forwarded-Proto: https",
                    f"http://127.0.0.1:{self.port}/ping/",
                ],
                capture_output=True,
                text=True,
            ).stdout
            if out and float(out) < 0.2:
                return
            time.sleep(0.5)

    def wrk(self, name: str, warm: bool = False) -> tuple[dict, tuple[int, int]]:
        path, cookies = PAGES[name]
        env = dict(os.environ, WRK_THREADS="2")
        if cookies is None:
            ping_list = ROOT / "var/bench/ping.txt"
            ping_list.write_text("x=1\t/ping/\n" * 1000)
            cookies = str(ping_list)
            env["COUNT_ALL"] = "1"
        env["COOKIES"] = str(ROOT / cookies)
        if warm:
            cmd = ["wrk", "-t1", "-c6", "-d2s", "-s", str(ROOT / "bench/wrk_sessions.lua")]
            env["WRK_THREADS"] = "1"
        else:
            cmd = ["wrk", "-t2", "-c200", "-d60s", "--timeout", "30s", "-s", str(ROOT / "bench/wrk_first_visits.lua")]
        done = Path(tempfile.mkdtemp()) / "done"
        env["DONE_FILE"] = str(done)
        for n in range(2):
            Path(f"{done}.{n}").unlink(missing_ok=True)
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen([*cmd, f"http://127.0.0.1:{self.port}{path}"], env=env, stdout=subprocess.PIPE, text=True)
        if not warm:
            while proc.poll() is None and not all(Path(f"{done}.{n}").exists() for n in range(2)):
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
        out = proc.stdout.read()
        proc.wait()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk's own CPU: the only child reaped meanwhile
        line = next((ln for ln in out.splitlines() if ln.startswith("RESULT")), "RESULT")
        wrk_cpu = usage.ru_utime + usage.ru_stime - reaped.ru_utime - reaped.ru_stime
        return dict(p.split("=", 1) for p in line.split()[1:]), (wrk_cpu, 0)


def delta(before: dict, after: dict) -> dict[str, tuple[float, float, int, int]]:
    """Per group: (s on a CPU, s waiting for one, voluntary switches, processes gone or new)."""
    out = {}
    for group in after:
        run = wait = switches = 0
        changed = 0
        for pid, (r, w, s) in after[group].items():
            r0, w0, s0 = before.get(group, {}).get(pid, (0, 0, 0))
            if pid not in before.get(group, {}):
                changed += 1
            run, wait, switches = run + r - r0, wait + w - w0, switches + s - s0
        changed += len(set(before.get(group, {})) - set(after[group]))
        out[group] = (run / 1e9, wait / 1e9, switches, changed)
    return out


def measure(stack: Stack, name: str, kind: str) -> str:
    if kind == "cold":
        stack.empty_cache()
    elif kind in ("first", "built"):
        stack.end_pages(build=kind == "built")
    stack.drain()
    load = Path("/proc/loadavg").read_text().split()[0]
    before = stack.snapshot()
    result, (wrk_cpu, _) = stack.wrk(name)
    stack.drain()  # what was still queued is served before the after-snapshot
    after = stack.snapshot()
    spent = delta(before, after)
    visits = 1000
    per = {group: spent[group][0] * 1000 / visits for group in spent}
    total = sum(per.values()) + wrk_cpu * 1000 / visits
    seconds = float(result.get("seconds", "nan"))
    return (
        f"RESULT tree={stack.tree.name} page={name} kind={kind} visits_per_s={visits / seconds:.0f} "
        f"p95_ms={result.get('p95_ms')} errors={result.get('errors')} "
        f"wall_x_cpus_ms={seconds * os.cpu_count() * 1000 / visits:.2f} "
        f"cpu_ms_total={total:.2f} gunicorn={per['gunicorn']:.2f} postgres={per['postgres']:.2f} "
        f"redis={per['redis']:.2f} wrk={wrk_cpu * 1000 / visits:.2f} "
        f"gunicorn_runqueue_ms={spent['gunicorn'][1] * 1000 / visits:.2f} "
        f"gunicorn_switches={spent['gunicorn'][2] / visits:.1f} postgres_switches={spent['postgres'][2] / visits:.1f} "
        f"pg_backends_changed={spent['postgres'][3]} load={load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trees", default=str(ROOT))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pages", default="results,schedule,poll")
    parser.add_argument("--kinds", default="cold,refresh")
    args = parser.parse_args()
    if shutil.which("wrk") is None:  # before any gunicorn is started: a failure later would leave it running
        sys.exit("wrk is missing: apt-get install wrk (bench/student_pages.sh installs it)")
    env = dict(os.environ)  # bench/env.sh sourced: its production settings, the BENCH_* database and Redis
    port = int(os.environ.get("BENCH_PORT", "8091"))
    workers = int(os.environ.get("BENCH_WORKERS", str(2 * os.cpu_count())))
    for _round in range(args.rounds):
        for tree in args.trees.split(","):
            stack = Stack(Path(tree).resolve(), port, workers, env)
            try:
                print(measure(stack, "ping", "refresh"), flush=True)
                for page in args.pages.split(","):
                    for kind in args.kinds.split(","):
                        if not (kind == "built" and page == "poll"):  # an announcement builds no exam poll
                            print(measure(stack, page, kind), flush=True)
            finally:
                stack.stop()


if __name__ == "__main__":
    sys.exit(main())
