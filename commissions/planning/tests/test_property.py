"""Over random small instances, every timetable the solver proposes passes the independent checker."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissions.planning.checker import check
from commissions.planning.problem import Busy, Candidate, Problem, Rules, Task
from commissions.planning.solver import solve

DAYS = tuple(dt.date(2020, 6, d) for d in (1, 2, 3, 4, 5, 8, 9, 10))

rules = st.builds(
    Rules,
    day_limit=st.sampled_from([180, 240, 300]),
    lead=st.sampled_from([15, 30]),
    questioning_delay=st.sampled_from([0, 30]),
    day_start=st.just(9 * 60),
    day_end=st.sampled_from([15 * 60, 18 * 60]),
    break_minutes=st.sampled_from([0, 10, 15]),
    break_after=st.sampled_from([0, 90, 120]),
)


@st.composite
def problems(draw):
    tasks, next_student = [], 1
    for pk in range(1, draw(st.integers(1, 3)) + 1):
        base = draw(st.sampled_from([15, 20]))
        n = draw(st.integers(0, 14))
        studs = tuple(
            Candidate(next_student + i, draw(st.sampled_from("AB")), base + draw(st.sampled_from([0, 0, 0, 10])), str(i))
            for i in range(n)
        )
        next_student += n
        people = frozenset(draw(st.sets(st.integers(1, 6), min_size=1, max_size=3)))
        days = tuple(d for d in DAYS if draw(st.booleans()) or d == DAYS[pk])
        off = {p: frozenset(d for d in days if draw(st.integers(0, 5)) == 0) for p in people}
        tasks.append(Task(pk, f"C{pk}", draw(rules), people, studs, days, off))
    busy = [
        Busy("person", draw(st.integers(1, 6)), draw(st.sampled_from(DAYS)), 10 * 60, 12 * 60)
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Problem(tasks, busy)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_proposed_timetable_satisfies_every_rule(problem):
    outcome = solve(problem, time_limit=2)
    planned = {t.id for t in problem.tasks} - {t.commission for t in outcome.troubles}
    part = Problem([t for t in problem.tasks if t.id in planned], problem.busy)
    assert check(part, outcome.timetable) == []
    for trouble in outcome.troubles:
        assert trouble.message
