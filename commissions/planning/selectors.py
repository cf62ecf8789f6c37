"""Reads of the planner, scoped to the person asking."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from attestation.institutions.models import Student
from commissions import permissions, selectors
from commissions.models import Commission, Slot
from commissions.planning import inputs
from commissions.planning.models import MemberUnavailability, PlanDraft
from commissions.planning.problem import hm

# The chart's palette: one colour per group, in the order the groups first appear.
COLOURS = ("#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#dc3545")


def commission_for_planner(*, user, pk: int) -> Commission:
    """The commission, for the people who plan its timetable (secretary, department head, administrator)."""
    commission = selectors.commission_get_for_user(user=user, pk=pk)
    if not permissions.can_manage_schedule(user, commission):
        raise PermissionDenied
    return commission


@dataclass
class Row:
    student: Student
    start: str
    end: str
    minutes: int
    locked: bool
    colour: str
    x: int  # for the chart: minutes after the day's first possible start
    width: int


@dataclass
class Day:
    date: dt.date
    start: str
    end: str
    minutes: int
    rows: list[Row] = field(default_factory=list)
    x: int = 0
    width: int = 0


def plan_days(*, draft: PlanDraft | None) -> list[Day]:
    """The draft day by day: its sitting's hours and each student's time, with what the chart needs."""
    if draft is None:
        return []
    timetable = inputs.timetable_of(draft)
    students = Student.objects.select_related("group").in_bulk([p.student for p in timetable.placements])
    origin = min([s.start for s in timetable.sittings] or [0])
    colours: dict[str, str] = {}
    days = {
        s.date: Day(s.date, hm(s.start), hm(s.end), s.minutes, x=s.start - origin, width=s.minutes)
        for s in timetable.sittings
    }
    for p in timetable.placements:
        student = students.get(p.student)
        if student is None or p.date not in days:
            continue
        colour = colours.setdefault(student.group.name, COLOURS[len(colours) % len(COLOURS)])
        days[p.date].rows.append(
            Row(student, hm(p.start), hm(p.end), p.minutes, p.locked, colour, p.start - origin, p.minutes)
        )
    return [days[d] for d in sorted(days)]


def chart_width(days: list[Day]) -> int:
    return max([d.x + d.width for d in days] or [60])


def chart_span(draft: PlanDraft | None) -> tuple[str, str]:
    """The chart's first and last clock times: the earliest sitting start, the latest end."""
    sittings = draft.sittings if draft else []
    if not sittings:
        return "", ""
    return hm(min(row[1] for row in sittings)), hm(max(row[2] for row in sittings))


def unavailable_days(*, user):
    return MemberUnavailability.objects.filter(user=user).order_by("date")


def reschedulable(slot: Slot, now: dt.datetime) -> bool:
    """A slot the secretary may reschedule: postponed, or past and left without a result (a technical failure, R23,
    or an interruption the commission decided to continue later, R24). Not a missed one: a student who missed sits
    again only on the chair's decision on the application with its document (R41, exams.applications), which
    itself gives the place on the commission's next sitting day."""
    if slot.status == Slot.Status.ABSENT:
        return False
    if slot.status == Slot.Status.POSTPONED:
        return True
    return slot.starts_at < now and not hasattr(slot, "result")
