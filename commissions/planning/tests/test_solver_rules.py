"""The solver keeps every rule, one test per constraint; the checker catches each broken rule by name."""

import datetime as dt
from dataclasses import replace

from commissions.planning.checker import check
from commissions.planning.greedy import greedy
from commissions.planning.problem import Busy, Candidate, Placement, Problem, Rules, Sitting, Task, objective_of
from commissions.planning.solver import solve

RULES = Rules(day_limit=300, lead=30, questioning_delay=0, day_start=9 * 60, day_end=18 * 60)
# A real week of Kazakhstan's 2020 calendar (1-5 June), then Monday 8 June.
WEEK = tuple(dt.date(2020, 6, d) for d in (1, 2, 3, 4, 5, 8))


def students(n, group="G1", minutes=15, first=1):
    return tuple(Candidate(first + i, group, minutes, f"{group}-{first + i}") for i in range(n))


def task(pk=1, rules=RULES, people=(1, 2, 3), studs=None, days=WEEK, unavailable=None):
    return Task(pk, f"6B0150{pk}", rules, frozenset(people), studs or students(10), days, unavailable=unavailable or {})


def solved(*tasks, busy=(), locked=()):
    problem = Problem(list(tasks), list(busy), list(locked))
    outcome = solve(problem, time_limit=5)
    assert outcome.ok, outcome.troubles
    assert check(problem, outcome.timetable) == []
    return outcome


def test_a_day_never_passes_the_policys_hours():
    outcome = solved(task(studs=students(40)))  # 600 min of students, 270 a day after identification
    assert all(s.minutes <= 300 for s in outcome.timetable.sittings)
    assert outcome.objective.days_used == 3


def test_a_shorter_policy_limit_means_more_days():
    outcome = solved(task(rules=replace(RULES, day_limit=180), studs=students(40)))
    assert all(s.minutes <= 180 for s in outcome.timetable.sittings)
    assert outcome.objective.days_used == 4


def test_the_first_student_starts_after_identification():
    outcome = solved(task(rules=replace(RULES, lead=45)))
    sitting = outcome.timetable.sittings[0]
    assert min(p.start for p in outcome.timetable.placements) == sitting.start + 45


def test_an_oral_exam_questions_half_an_hour_after_the_draw():
    outcome = solved(task(rules=replace(RULES, questioning_delay=30)))
    sitting = outcome.timetable.sittings[0]
    assert min(p.start for p in outcome.timetable.placements) == sitting.start + 30 + 30


def test_each_kind_takes_its_own_minutes_per_student():
    outcome = solved(task(studs=students(4, minutes=20)))
    assert {p.minutes for p in outcome.timetable.placements} == {20}


def test_an_accommodation_gets_its_extra_time():
    studs = (*students(5), Candidate(99, "G1", 15 + 20, "with extra time"))
    outcome = solved(task(studs=studs))
    assert next(p for p in outcome.timetable.placements if p.student == 99).minutes == 35


def test_breaks_come_after_the_policys_stretch():
    rules = replace(RULES, break_minutes=15, break_after=60)
    outcome = solved(task(rules=rules, studs=students(12)))
    starts = sorted(p.start for p in outcome.timetable.placements)
    assert starts[4] - starts[3] == 15 + 15  # the fifth student after a 15-minute break


def test_only_working_days_of_the_period_are_used():
    outcome = solved(task(studs=students(60)))
    assert {s.date for s in outcome.timetable.sittings} <= set(WEEK)
    assert dt.date(2020, 6, 6) not in {s.date for s in outcome.timetable.sittings}


def test_a_members_declared_day_off_is_respected():
    outcome = solved(task(unavailable={2: frozenset({dt.date(2020, 6, 1)})}))
    assert dt.date(2020, 6, 1) not in {s.date for s in outcome.timetable.sittings}


def test_a_member_on_two_commissions_is_never_in_two_sittings_at_once():
    first = task(1, people=(1, 2, 7), studs=students(15))
    outcome = solved(first, task(2, people=(3, 4, 7), studs=students(15, "H", first=100)))
    a, b = (next(s for s in outcome.timetable.sittings if s.commission == c) for c in (1, 2))
    assert a.date != b.date or a.end <= b.start or b.end <= a.start


def test_a_member_busy_elsewhere_is_worked_around():
    busy = [Busy("person", 2, d, 9 * 60, 17 * 60) for d in WEEK[:3]]
    outcome = solved(task(studs=students(10)), busy=busy)
    assert all(s.date not in WEEK[:3] for s in outcome.timetable.sittings)


def test_a_student_with_another_exam_that_day_is_placed_on_another_day():
    busy = [Busy("student", 1, dt.date(2020, 6, 1), 9 * 60, 12 * 60)]
    outcome = solved(task(), busy=busy)
    assert next(p for p in outcome.timetable.placements if p.student == 1).date != dt.date(2020, 6, 1)


def test_a_group_stays_on_one_day_when_it_fits():
    studs = students(9, "A") + students(9, "B", first=50) + students(9, "C", first=80)
    outcome = solved(task(studs=studs))
    assert outcome.objective.group_splits == 0
    assert outcome.objective.days_used == 2


def test_the_solver_beats_the_greedy_placement_on_group_splits():
    studs = students(12, "A") + students(12, "B", first=50) + students(6, "C", first=80) + students(6, "D", first=90)
    problem = Problem([task(studs=studs)])
    ours = solve(problem, time_limit=5)
    theirs, _ = objective_of(problem, greedy(problem))
    assert check(problem, greedy(problem)) == []
    assert (ours.objective.days_used, ours.objective.group_splits) < (theirs.days_used, theirs.group_splits)


def test_locked_students_keep_their_place_when_re_solving():
    keep = Placement(1, 3, dt.date(2020, 6, 4), 11 * 60, 15, locked=True)
    outcome = solved(task(), locked=[keep])
    assert keep in outcome.timetable.placements


def test_the_checker_names_each_broken_rule():
    t = task(studs=students(2), unavailable={2: frozenset({dt.date(2020, 6, 2)})})
    day = dt.date(2020, 6, 2)
    timetable = solve(Problem([t])).timetable
    timetable.sittings = [Sitting(1, day, 9 * 60, 15 * 60)]
    timetable.placements = [Placement(1, 1, day, 9 * 60 + 10, 10), Placement(1, 2, day, 9 * 60 + 15, 15)]
    rules = {v.rule for v in check(Problem([t]), timetable)}
    assert {"R11", "R19", "duration", "overlap_slot", "unavailable"} <= rules
    saturday = replace(timetable.sittings[0], date=dt.date(2020, 6, 6))
    timetable.sittings = [saturday]
    assert "calendar" in {v.rule for v in check(Problem([t]), timetable)}


def test_busy_time_given_from_outside_that_overlaps_itself_is_not_the_plans_fault():
    day = dt.date(2020, 6, 2)
    busy = [Busy("person", 3, day, 10 * 60, 12 * 60), Busy("person", 3, day, 10 * 60, 12 * 60)]
    outcome = solved(task(people=(3,), days=(day,)), busy=busy)
    sitting = outcome.timetable.sittings[0]
    assert sitting.end <= 10 * 60 or sitting.start >= 12 * 60


def test_the_checker_names_a_member_in_two_sittings_at_once():
    day = dt.date(2020, 6, 2)
    t = task(people=(3,), studs=students(1), days=(day,))
    timetable = solve(Problem([t])).timetable
    problem = Problem([t], [Busy("person", 3, day, timetable.sittings[0].start, timetable.sittings[0].end)])
    assert [v.rule for v in check(problem, timetable)] == ["overlap_person"]
