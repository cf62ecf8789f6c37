"""From the database to a timetable problem, and between a draft's JSON and a timetable. Every number comes
from the commission's policy (policy_for); the days from the institution's working-day calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from attestation.institutions.models import Policy, Student
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import working_days
from commissions.models import Commission, Result, Sitting, Slot
from commissions.planning import hooks
from commissions.planning.models import MemberUnavailability, PlanDraft
from commissions.planning.problem import Busy, Candidate, Placement, Problem, Rules, Task, Timetable
from commissions.planning.problem import Sitting as PlannedSitting
from commissions.services import slot_duration

# A slot in one of these states is still to happen, so the planner may move it.
MOVABLE = (Slot.Status.SCHEDULED, Slot.Status.CONFIRMED)


def minutes_of(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def time_of(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def rules_for(policy: Policy, *, oral: bool) -> Rules:
    return Rules(
        day_limit=int(policy.sitting_max_hours * 60),
        lead=policy.identification_minutes_before,
        questioning_delay=policy.oral_questioning_delay_minutes if oral else 0,
        day_start=minutes_of(policy.sitting_day_start),
        day_end=minutes_of(policy.sitting_day_end),
        break_minutes=policy.break_minutes,
        break_after=policy.break_after_minutes,
    )


def label_of(commission: Commission) -> str:
    codes = sorted(commission.programmes.values_list("code", flat=True))
    return ", ".join(codes) or commission.name


def settled_slots(commission: Commission):
    """The commission's slots that have taken place (or have a result): they stay where they are."""
    return Slot.objects.filter(sitting__commission=commission).filter(
        ~Q(status__in=MOVABLE) | Q(pk__in=Result.objects.values("slot_id"))
    )


def candidates(commission: Commission) -> tuple[list[Student], list[tuple[Student, str]]]:
    """The students the commission examines who still need a place, and those refused (with the reason)."""
    settled = settled_slots(commission)
    students = (
        Student.objects.filter(group__programme__commissions=commission)
        .exclude(pk__in=settled.values("student_id"))
        .select_related("group")
        .order_by("group__name", "last_name_kk", "first_name_kk", "pk")
        .distinct()
    )
    ok, refused = [], []
    for student in students:
        reason = hooks.refusal(student, commission)
        (refused.append((student, reason)) if reason else ok.append(student))
    return ok, refused


def task_for(commission: Commission, students: list[Student]) -> Task:
    policy = policy_for(commission)
    base = slot_duration(policy, commission)
    extra = hooks.extra_minutes([s.pk for s in students], base)
    people = frozenset(commission.memberships.values_list("user_id", flat=True))
    off: dict[int, set[dt.date]] = {}
    rows = MemberUnavailability.objects.filter(
        user_id__in=people, date__range=(commission.period_start, commission.period_end)
    )
    for user_id, date in rows.values_list("user_id", "date"):
        off.setdefault(user_id, set()).add(date)
    held = set(settled_slots(commission).values_list("sitting__date", flat=True))  # days already examined stay as they are
    return Task(
        id=commission.pk,
        label=label_of(commission),
        rules=rules_for(policy, oral=hooks.is_oral(commission)),
        people=people,
        students=tuple(Candidate(s.pk, s.group.name, base + extra.get(s.pk, 0), s.full_name) for s in students),
        days=tuple(
            d
            for d in working_days(_first_day(commission), commission.period_end, commission.institution_id)
            if d not in held
        ),
        unavailable={user: frozenset(days) for user, days in off.items()},
    )


def _first_day(commission: Commission) -> dt.date:
    """A timetable starts today at the earliest, never in the past."""
    return max(commission.period_start, timezone.localdate())


def busy_for(commission: Commission, task: Task) -> list[Busy]:
    """Other commissions' sittings of this commission's people, and this commission's students' other slots."""
    zone = ZoneInfo(commission.institution.time_zone)
    period = (commission.period_start, commission.period_end)
    out = []
    sittings = (
        Sitting.objects.filter(commission__memberships__user_id__in=task.people, date__range=period)
        .exclude(commission=commission)
        .values_list("commission__memberships__user_id", "date", "starts_at", "ends_at")
    )
    for user_id, date, start, end in sittings:
        if user_id in task.people:
            out.append(Busy("person", user_id, date, minutes_of(start), minutes_of(end)))
    slots = Slot.objects.filter(student_id__in=[c.id for c in task.students], sitting__date__range=period).exclude(
        sitting__commission=commission
    )
    for student_id, starts_at, minutes in slots.values_list("student_id", "starts_at", "duration_minutes"):
        local = starts_at.astimezone(zone)
        begin = minutes_of(local.time())
        out.append(Busy("student", student_id, local.date(), begin, begin + minutes))
    return out


def problem_for(commission: Commission, draft: PlanDraft | None = None) -> Problem:
    students, _refused = candidates(commission)
    task = task_for(commission, students)
    locked = [p for p in placements_of(draft) if p.locked] if draft else []
    ids = {c.id for c in task.students}
    return Problem([task], busy_for(commission, task), [p for p in locked if p.student in ids])


# ---- a draft's JSON ----------------------------------------------------------------------------------------------


def placements_of(draft: PlanDraft) -> list[Placement]:
    return [
        Placement(draft.commission_id, row[0], dt.date.fromisoformat(row[1]), row[2], row[3], bool(row[4]))
        for row in draft.placements
    ]


def timetable_of(draft: PlanDraft) -> Timetable:
    sittings = [PlannedSitting(draft.commission_id, dt.date.fromisoformat(row[0]), row[1], row[2]) for row in draft.sittings]
    return Timetable(sittings, placements_of(draft))


def store(draft: PlanDraft, timetable: Timetable) -> None:
    draft.sittings = [[s.date.isoformat(), s.start, s.end] for s in sorted(timetable.sittings, key=_sitting_key)]
    draft.placements = [
        [p.student, p.date.isoformat(), p.start, p.minutes, p.locked]
        for p in sorted(timetable.placements, key=lambda p: (p.date, p.start))
    ]


def _sitting_key(s: PlannedSitting):
    return (s.date, s.start)


def published_timetable(commission: Commission) -> Timetable:
    """The commission's movable slots as they are in the database, as a timetable (for re-planning)."""
    zone = ZoneInfo(commission.institution.time_zone)
    out = Timetable()
    for sitting in commission.sittings.order_by("date", "starts_at"):
        out.sittings.append(
            PlannedSitting(commission.pk, sitting.date, minutes_of(sitting.starts_at), minutes_of(sitting.ends_at))
        )
    slots = Slot.objects.filter(sitting__commission=commission, status__in=MOVABLE).exclude(
        pk__in=Result.objects.values("slot_id")
    )
    for student_id, starts_at, minutes in slots.values_list("student_id", "starts_at", "duration_minutes"):
        local = starts_at.astimezone(zone)
        out.placements.append(Placement(commission.pk, student_id, local.date(), minutes_of(local.time()), minutes))
    return out
