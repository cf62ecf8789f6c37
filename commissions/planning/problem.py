"""A timetable problem in plain data: no database, so the solver, the checker and the benchmark share it.

Times are minutes after midnight in the institution's time zone; every number comes from the policy (`inputs`).
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rules:
    """The policy's numbers one commission is planned under."""

    day_limit: int  # R11: at most this many minutes of sitting a day (identification included)
    lead: int  # R19: identification this many minutes before the first student
    questioning_delay: int  # R28: oral exams only (0 otherwise): questioning starts this long after the draw
    day_start: int  # the earliest start of a sitting
    day_end: int  # the latest end of a sitting
    break_minutes: int = 0  # a break of this length ...
    break_after: int = 0  # ... after at most this many minutes of students in a row (0: no breaks)

    @property
    def overhead(self) -> int:
        """Minutes a sitting spends before its first student."""
        return self.lead + self.questioning_delay


@dataclass(frozen=True)
class Candidate:
    """A student to place: the minutes include an accommodation's extra time."""

    id: int
    group: str
    minutes: int
    label: str = ""


@dataclass(frozen=True)
class Task:
    """One commission to plan: its students, its people and the days it may sit."""

    id: int
    label: str  # shown in messages: the programme code or the commission's name
    rules: Rules
    people: frozenset[int]  # chair, members, secretary (user ids)
    students: tuple[Candidate, ...]
    days: tuple[dt.date, ...]  # working days of the institution inside the attestation period
    unavailable: dict[int, frozenset[dt.date]] = field(default_factory=dict)  # person → declared days off


@dataclass(frozen=True)
class Sitting:
    commission: int
    date: dt.date
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Placement:
    commission: int
    student: int
    date: dt.date
    start: int
    minutes: int
    locked: bool = False

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Busy:
    """Time already taken outside this plan: another commission's sitting for a person, an exam for a student."""

    who: str  # "person" or "student"
    id: int
    date: dt.date
    start: int
    end: int


@dataclass
class Problem:
    tasks: list[Task]
    busy: list[Busy] = field(default_factory=list)
    locked: list[Placement] = field(default_factory=list)  # placements kept where they are when re-solving


@dataclass
class Timetable:
    sittings: list[Sitting] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


@dataclass(frozen=True)
class Objective:
    """What the secretary sees: fewer is better in each."""

    days_used: int
    idle_gaps: int  # working days between a commission's first and last sitting on which it does not sit
    group_splits: int  # extra days a group of one commission is spread over

    def as_dict(self) -> dict:
        return {"days_used": self.days_used, "idle_gaps": self.idle_gaps, "group_splits": self.group_splits}


def objective_of(problem: Problem, timetable: Timetable) -> tuple[Objective, dict[int, Objective]]:
    """The objective of a timetable, in total and per commission."""
    per: dict[int, Objective] = {}
    for task in problem.tasks:
        used = sorted({s.date for s in timetable.sittings if s.commission == task.id})
        groups: dict[str, set[dt.date]] = {}
        by_id = {c.id: c for c in task.students}
        for p in timetable.placements:
            if p.commission == task.id and p.student in by_id:
                groups.setdefault(by_id[p.student].group, set()).add(p.date)
        gaps = 0
        if used:
            span = [d for d in task.days if used[0] <= d <= used[-1]]
            gaps = len(span) - len(used)
        per[task.id] = Objective(len(used), gaps, sum(len(days) - 1 for days in groups.values()))
    total = Objective(
        sum(o.days_used for o in per.values()),
        sum(o.idle_gaps for o in per.values()),
        sum(o.group_splits for o in per.values()),
    )
    return total, per


def hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
