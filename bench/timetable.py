"""The automatic timetable at a university's size: 5,000 students, 100 commissions, 300 staff, a period of 30
working days. CP-SAT (commissions/planning/solver.py, two workers, a time limit) against the greedy baseline
(commissions/planning/greedy.py) on the same input in the same run; both timetables go through the rule checker.
Appends the result to bench/RESULTS.md.

    .venv/bin/python bench/timetable.py [--seconds 25] [--seed 2026] [--no-write]
"""

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from attestation.institutions.models import Policy  # noqa: E402
from attestation.workcal.calendar import is_working_day  # noqa: E402
from commissions.planning.checker import check  # noqa: E402
from commissions.planning.greedy import greedy  # noqa: E402
from commissions.planning.problem import Candidate, Problem, Rules, Task, objective_of  # noqa: E402
from commissions.planning.solver import solve  # noqa: E402

STUDENTS, COMMISSIONS, STAFF, WORKING_DAYS = 5000, 100, 300, 30


def period(start: dt.date, n: int) -> tuple[dt.date, ...]:
    """The first n working days of Kazakhstan's calendar from start (the national calendar, no database rows)."""
    days, day = [], start
    while len(days) < n:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return tuple(days)


def policy_rules(oral: bool) -> tuple[Rules, int, int]:
    """Rules from a default policy (the model's defaults, as a new institution gets them)."""
    p = Policy(academic_year=2025, cutoff_date=dt.date(2026, 6, 30))
    rules = Rules(
        day_limit=int(p.sitting_max_hours * 60),
        lead=p.identification_minutes_before,
        questioning_delay=p.oral_questioning_delay_minutes if oral else 0,
        day_start=p.sitting_day_start.hour * 60 + p.sitting_day_start.minute,
        day_end=p.sitting_day_end.hour * 60 + p.sitting_day_end.minute,
        break_minutes=p.break_minutes,
        break_after=p.break_after_minutes,
    )
    return rules, p.slot_minutes, p.defense_total_minutes


def instance(seed: int) -> Problem:
    rnd = random.Random(seed)
    days = period(dt.date(2026, 5, 18), WORKING_DAYS)
    staff = list(range(1, STAFF + 1))
    tasks, student = [], 1
    per = STUDENTS // COMMISSIONS
    for c in range(1, COMMISSIONS + 1):
        defense = c % 2 == 0
        rules, exam_minutes, defense_minutes = policy_rules(oral=not defense)
        minutes = defense_minutes if defense else exam_minutes
        people = frozenset(rnd.sample(staff, 5))  # chair, three members, secretary; staff sit on ~1.7 commissions
        studs = []
        for i in range(per):
            extra = 10 if rnd.random() < 0.02 else 0  # accommodations' extra time
            studs.append(Candidate(student, f"{c}-{i * 3 // per}", minutes + extra, f"s{student}"))
            student += 1
        off = {p: frozenset(rnd.sample(days, 2)) for p in people if rnd.random() < 0.3}
        tasks.append(Task(c, f"6B{c:05d}", rules, people, tuple(studs), days, off))
    return Problem(tasks)


def measure(seconds: float, seed: int) -> dict:
    problem = instance(seed)
    began = time.monotonic()
    outcome = solve(problem, time_limit=seconds, workers=2)
    solver_s = time.monotonic() - began
    began = time.monotonic()
    baseline = greedy(problem)
    greedy_s = time.monotonic() - began
    base_total, _ = objective_of(problem, baseline)
    return {
        "solver": outcome.objective,
        "solver_s": solver_s,
        "solver_violations": len(check(problem, outcome.timetable)),
        "troubles": len(outcome.troubles),
        "placed": len(outcome.timetable.placements),
        "greedy": base_total,
        "greedy_s": greedy_s,
        "greedy_violations": len(check(problem, baseline)),
        "greedy_placed": len(baseline.placements),
    }


def report(r: dict, seconds: float) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    s, g = r["solver"], r["greedy"]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"\n## Timetable, {now}, {STUDENTS:,} students, {COMMISSIONS} commissions, {STAFF} staff, "
        f"{WORKING_DAYS} working days\n"
        f"- command: `.venv/bin/python bench/timetable.py --seconds {seconds:g}` (CP-SAT, 2 workers)\n"
        f"- machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average before the run {load}\n"
        "```\n"
        f"cp_sat  seconds={r['solver_s']:.1f} placed={r['placed']} days_used={s.days_used} "
        f"idle_gaps={s.idle_gaps} group_splits={s.group_splits} rule_violations={r['solver_violations']} "
        f"unplanned_commissions={r['troubles']}\n"
        f"greedy  seconds={r['greedy_s']:.1f} placed={r['greedy_placed']} days_used={g.days_used} "
        f"idle_gaps={g.idle_gaps} group_splits={g.group_splits} rule_violations={r['greedy_violations']}\n"
        "```\n"
        f"- CP-SAT / greedy: days used {s.days_used / max(1, g.days_used):.2f}, "
        f"group splits {s.group_splits}/{g.group_splits}, idle gaps {s.idle_gaps}/{g.idle_gaps}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    text = report(measure(args.seconds, args.seed), args.seconds)
    print(text)
    if not args.no_write:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()
