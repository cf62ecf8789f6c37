"""Input that cannot be satisfied gets a message naming the binding constraint, never an exception."""

import datetime as dt
from dataclasses import replace

from commissions.planning.problem import Busy, Candidate, Problem, Task
from commissions.planning.solver import solve
from commissions.planning.tests.test_solver_rules import RULES, WEEK, students, task

JUNE_12 = (dt.date(2020, 6, 12),)


def trouble(*tasks, busy=()):
    outcome = solve(Problem(list(tasks), list(busy)), time_limit=5)
    assert not outcome.ok
    return outcome.troubles[0].message


def test_one_day_too_short_names_the_hours_and_the_limit():
    message = trouble(task(studs=students(41, minutes=10), days=JUNE_12))
    assert message == ("6B01501 needs 7 h 20 min on 12.06.2020; the limit is 5 h; add a day or a second commission.")


def test_several_days_too_short_names_the_period_and_the_room():
    message = trouble(task(studs=students(200), days=WEEK[:3]))
    assert "6B01501 needs 50 h of students over 3 sitting days (01.06.2020–03.06.2020)" in message
    assert "the limit of 5 h a day" in message


def test_a_period_without_working_days_says_so():
    assert trouble(task(days=())) == "6B01501 has no working day in its attestation period."


def test_every_day_declared_off_names_the_members_days():
    message = trouble(task(days=JUNE_12, unavailable={1: frozenset(JUNE_12)}))
    assert "declared every working day of the period a day they cannot sit" in message


def test_a_student_longer_than_a_day_is_named():
    studs = (*students(2), Candidate(9, "G1", 290, "Long Student"))
    message = trouble(task(studs=studs))
    assert message.startswith("Long Student needs 5 h 20 min with identification; the limit is 5 h")


def test_members_booked_elsewhere_are_found_as_the_binding_constraint():
    busy = [Busy("person", 1, d, 10 * 60, 17 * 60) for d in WEEK]
    message = trouble(task(studs=students(30)), busy=busy)
    assert "its members sit with other commissions" in message


def test_a_student_busy_on_every_day_is_named():
    busy = [Busy("student", 1, d, 9 * 60, 10 * 60) for d in WEEK]
    assert trouble(task(), busy=busy) == "G1-1 has another exam on every day 6B01501 can sit."


def test_one_infeasible_commission_does_not_stop_the_others():
    outcome = solve(Problem([task(1, days=()), task(2, people=(5,), studs=students(3, first=50))]))
    assert [t.commission for t in outcome.troubles] == [1]
    assert {p.commission for p in outcome.timetable.placements} == {2}


def test_rules_without_breaks_still_plan():
    assert solve(Problem([Task(1, "x", replace(RULES, break_after=0), frozenset(), students(3), WEEK)])).ok
