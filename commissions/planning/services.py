"""Writes of the planner: propose, move, lock, publish, reschedule, and members' declared days off.

Every placement ends in commissions.services.slot_create (the admission check, the reminder) or slot_move here;
every change is checked by commissions.planning.checker first and refused with the rule it breaks."""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.notifications import notify
from attestation.institutions.models import Student
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import working_days
from commissions.models import Commission, Sitting, Slot
from commissions.pages_ahead import schedule_build_after_commit
from commissions.planning import inputs
from commissions.planning.checker import Violation, check, duration
from commissions.planning.models import MemberUnavailability, PlanDraft
from commissions.planning.problem import Placement, Problem, Timetable, objective_of
from commissions.planning.problem import Sitting as PlannedSitting
from commissions.planning.solver import solve
from commissions.services import (
    SLOT_REMINDER,
    next_sitting_refusal,
    retake_refusal,
    sitting_create,
    slot_create,
)

SOLVE_SECONDS = 10.0


def _draft_for(commission: Commission, actor) -> PlanDraft:
    draft = PlanDraft.objects.select_for_update().filter(commission=commission).first()
    return draft or PlanDraft(commission=commission, updated_by=actor, updated_at=timezone.now())


def _save(draft: PlanDraft, actor, verb: str, after: dict) -> PlanDraft:
    draft.updated_by, draft.updated_at = actor, timezone.now()
    draft.full_clean()
    draft.save()
    audit_record(actor=actor, verb=verb, obj=draft.commission, after=after)
    return draft


@transaction.atomic
def plan_propose(*, actor, commission: Commission) -> PlanDraft:
    """Solves the commission's timetable (keeping the locked placements) and stores it as the draft; when it
    cannot be solved the draft keeps its timetable and records the binding constraint."""
    draft = _draft_for(commission, actor)
    if draft.pk is None and not draft.placements:
        inputs.store(draft, inputs.published_timetable(commission))
    problem = inputs.problem_for(commission, draft if draft.pk else None)
    outcome = solve(problem, time_limit=SOLVE_SECONDS, workers=2)
    draft.troubles = [t.message for t in outcome.troubles]
    if outcome.ok and outcome.objective is not None:
        locked = {p.student for p in problem.locked}
        timetable = outcome.timetable
        timetable.placements = [replace(p, locked=p.student in locked) for p in timetable.placements]
        inputs.store(draft, timetable)
        draft.objective = outcome.objective.as_dict()
    return _save(draft, actor, "plan.propose", {"troubles": draft.troubles, "objective": draft.objective})


def draft_problem(draft: PlanDraft) -> Problem:
    return inputs.problem_for(draft.commission)


def draft_violations(draft: PlanDraft) -> list[Violation]:
    return check(draft_problem(draft), inputs.timetable_of(draft))


def _refit(problem: Problem, timetable: Timetable, keep: dict[dt.date, int]) -> Timetable:
    """Sittings re-drawn around the placements: a day keeps its start, a new day starts the lead before its
    first student; each ends with its last student."""
    task = problem.tasks[0]
    days: dict[dt.date, list[Placement]] = {}
    for p in timetable.placements:
        days.setdefault(p.date, []).append(p)
    sittings = []
    for date, placed in sorted(days.items()):
        start = keep.get(date, min(p.start for p in placed) - task.rules.overhead)
        sittings.append(PlannedSitting(task.id, date, start, max(p.end for p in placed)))
    return Timetable(sittings, timetable.placements)


def _apply(draft: PlanDraft, actor, timetable: Timetable, verb: str, after: dict) -> PlanDraft:
    problem = draft_problem(draft)
    keep = {s.date: s.start for s in inputs.timetable_of(draft).sittings}
    timetable = _refit(problem, timetable, keep)
    broken = check(problem, timetable)
    if broken:
        raise ValidationError([v.message for v in broken])
    inputs.store(draft, timetable)
    draft.objective = objective_of(problem, timetable)[0].as_dict()
    return _save(draft, actor, verb, after)


@transaction.atomic
def plan_move(*, actor, draft: PlanDraft, student_id: int, date: dt.date, start: int) -> PlanDraft:
    """Moves one student by hand; refused, with every rule the move would break, when it breaks one."""
    draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    timetable = inputs.timetable_of(draft)
    if not any(p.student == student_id for p in timetable.placements):
        raise ValidationError(_("The student is not in this timetable."))
    timetable.placements = [
        replace(p, date=date, start=start) if p.student == student_id else p for p in timetable.placements
    ]
    after = {"student": student_id, "date": str(date), "start": inputs.time_of(start).isoformat("minutes")}
    return _apply(draft, actor, timetable, "plan.move", after)


@transaction.atomic
def plan_move_day(*, actor, draft: PlanDraft, date: dt.date, to_date: dt.date, start: int | None = None) -> PlanDraft:
    """Moves a whole day's block (its sitting and students, in order) to another day and, if given, start."""
    draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    timetable = inputs.timetable_of(draft)
    sitting = next((s for s in timetable.sittings if s.date == date), None)
    if sitting is None:
        raise ValidationError(_("There is no sitting on that day to move."))
    shift = 0 if start is None else start - sitting.start
    timetable.placements = [
        replace(p, date=to_date, start=p.start + shift) if p.date == date else p for p in timetable.placements
    ]
    timetable.sittings = [s for s in timetable.sittings if s.date != date]
    keep_start = sitting.start + shift
    problem = draft_problem(draft)
    keep = {s.date: s.start for s in timetable.sittings if s.date != to_date} | {to_date: keep_start}
    moved = _refit(problem, timetable, keep)
    broken = check(problem, moved)
    if broken:
        raise ValidationError([v.message for v in broken])
    inputs.store(draft, moved)
    draft.objective = objective_of(problem, moved)[0].as_dict()
    return _save(draft, actor, "plan.move_day", {"from": str(date), "to": str(to_date)})


@transaction.atomic
def plan_lock(*, actor, draft: PlanDraft, student_ids: list[int], locked: bool) -> PlanDraft:
    """Locks (or frees) placements: a re-solve keeps locked students where they are."""
    draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    wanted = set(student_ids)
    draft.placements = [[*row[:4], locked if row[0] in wanted else row[4]] for row in draft.placements]
    return _save(draft, actor, "plan.lock", {"students": sorted(wanted), "locked": locked})


# ---- publishing ----------------------------------------------------------------------------------------------------


@dataclass
class Change:
    student: Student
    slot: Slot
    before: dt.datetime | None  # None: newly placed


@dataclass
class Published:
    changes: list[Change] = field(default_factory=list)
    days_changed: list[str] = field(default_factory=list)


def _local(commission: Commission, date: dt.date, minutes: int) -> dt.datetime:
    zone = ZoneInfo(commission.institution.time_zone)
    return dt.datetime.combine(date, inputs.time_of(minutes), tzinfo=zone)


def _sitting_for(actor, commission: Commission, planned: PlannedSitting, existing: dict, url: str) -> Sitting:
    start, end = inputs.time_of(planned.start), inputs.time_of(planned.end)
    sitting = existing.get(planned.date)
    if sitting is None:
        return sitting_create(
            actor=actor, commission=commission, date=planned.date, starts_at=start, ends_at=end, meeting_url=url
        )
    if (sitting.starts_at, sitting.ends_at) != (start, end):
        sitting_retime(actor=actor, sitting=sitting, starts_at=start, ends_at=end)
    return sitting


@transaction.atomic
def sitting_retime(*, actor, sitting: Sitting, starts_at: dt.time, ends_at: dt.time) -> Sitting:
    """Changes a sitting's hours; the commission's day stays within the policy's hours (R11)."""
    limit = policy_for(sitting.commission).sitting_max_hours
    before = {"start": str(sitting.starts_at), "end": str(sitting.ends_at)}
    sitting.starts_at, sitting.ends_at = starts_at, ends_at
    sitting.full_clean(validate_constraints=False)
    others = Sitting.objects.filter(commission=sitting.commission, date=sitting.date).exclude(pk=sitting.pk)
    if Decimal(sum(s.minutes for s in others) + sitting.minutes) > limit * 60:
        raise ValidationError(
            _("The commission would sit more than %(limit)s h on %(date)s.")
            % {"limit": limit, "date": sitting.date.strftime("%d.%m.%Y")}
        )
    sitting.save(update_fields=["starts_at", "ends_at"])
    audit_record(
        actor=actor, verb="sitting.retime", obj=sitting, before=before, after={"start": str(starts_at), "end": str(ends_at)}
    )
    return sitting


@transaction.atomic
def slot_move(*, actor, slot: Slot, sitting: Sitting, starts_at: dt.datetime, duration_minutes: int) -> Slot:
    """Moves a slot that is still to happen to another time or sitting of its commission; the reminder follows."""
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.status not in inputs.MOVABLE or hasattr(slot, "result"):
        raise ValidationError(_("This attestation has taken place; its slot cannot move."))
    if sitting.commission_id != Slot.objects.get(pk=slot.pk).sitting.commission_id:
        raise ValidationError(_("A slot moves only within its commission."))
    before = {"sitting": slot.sitting_id, "start": str(slot.starts_at), "minutes": slot.duration_minutes}
    slot.sitting, slot.starts_at, slot.duration_minutes = sitting, starts_at, duration_minutes
    try:
        with transaction.atomic():
            slot.save(update_fields=["sitting", "starts_at", "duration_minutes"])
    except IntegrityError as exc:
        raise ValidationError(_("The student already has a place in that sitting.")) from exc
    policy = policy_for(sitting.commission)
    deadline_set(obj=slot, kind=SLOT_REMINDER, due_at=starts_at - dt.timedelta(days=policy.reminder_days_before))
    audit_record(
        actor=actor, verb="slot.move", obj=slot, before=before, after={"sitting": sitting.pk, "start": str(starts_at)}
    )
    return slot


@transaction.atomic
def plan_publish(*, actor, draft: PlanDraft) -> Published:
    """Writes the draft as the commission's sittings and slots (through slot_create, with the admission check),
    then tells each student placed or moved, and the members — after a first publication only what changed."""
    draft = PlanDraft.objects.select_for_update().select_related("commission__institution").get(pk=draft.pk)
    commission = draft.commission
    broken = draft_violations(draft)
    if broken:
        raise ValidationError([v.message for v in broken])
    timetable = inputs.timetable_of(draft)
    settled = inputs.settled_slots(commission).values("sitting_id")
    existing = {s.date: s for s in commission.sittings.exclude(pk__in=settled).order_by("date", "starts_at")}
    url = next((s.meeting_url for s in existing.values() if s.meeting_url), "")
    sittings = {p.date: _sitting_for(actor, commission, p, existing, url) for p in timetable.sittings}
    slots = {
        s.student_id: s
        for s in Slot.objects.filter(sitting__commission=commission, status__in=inputs.MOVABLE).select_related(
            "student__user"
        )
    }
    students = {s.pk: s for s in Student.objects.filter(pk__in=[p.student for p in timetable.placements])}
    out = Published()
    for p in timetable.placements:
        starts_at, sitting = _local(commission, p.date, p.start), sittings[p.date]
        slot = slots.get(p.student)
        if slot is None:
            slot = slot_create(
                actor=actor, sitting=sitting, student=students[p.student], starts_at=starts_at, duration_minutes=p.minutes
            )
            out.changes.append(Change(students[p.student], slot, None))
        elif (slot.sitting_id, slot.starts_at, slot.duration_minutes) != (sitting.pk, starts_at, p.minutes):
            before = slot.starts_at
            slot = slot_move(actor=actor, slot=slot, sitting=sitting, starts_at=starts_at, duration_minutes=p.minutes)
            out.changes.append(Change(students[p.student], slot, before))
    _drop_empty(actor, commission, set(sittings))
    first = draft.published_at is None
    zone = ZoneInfo(commission.institution.time_zone)
    out.days_changed = sorted({c.slot.starts_at.astimezone(zone).strftime("%d.%m.%Y") for c in out.changes})
    draft.published_at = timezone.now()
    _save(draft, actor, "plan.publish", {"changes": len(out.changes), "first": first})
    _tell(commission, out, first=first)
    return out


def _drop_empty(actor, commission: Commission, keep: set[dt.date]) -> None:
    for sitting in commission.sittings.exclude(date__in=keep).filter(slots__isnull=True, papers__isnull=True):
        audit_record(actor=actor, verb="sitting.delete", obj=sitting, before={"date": str(sitting.date)})
        sitting.delete()


def _tell(commission: Commission, out: Published, *, first: bool) -> None:
    """Each student placed or moved is told, with a link to their schedule, built ahead for it (after every save of
    the publication: the build is sent after the renewals those saves registered); then the members."""
    for change in out.changes:
        if change.student.user is not None:
            notify(
                user=change.student.user,
                kind="timetable_slot",
                template="commissions/email/timetable_slot",
                context={"slot": change.slot, "commission": commission, "before": change.before},
                url=reverse("commissions:my_schedule"),
            )
            schedule_build_after_commit(change.student.user_id)
    if not out.changes and not first:
        return
    for membership in commission.memberships.select_related("user"):
        notify(
            user=membership.user,
            kind="timetable_members",
            template="commissions/email/timetable_members",
            context={"commission": commission, "first": first, "out": out},
            url=reverse("commissions:plan", args=[commission.pk]),
        )


# ---- rescheduling (R23, R24, R41, R42-R43) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """The next feasible place for a student: an existing sitting (extended if need be) or a new one."""

    date: dt.date
    start: int
    minutes: int
    sitting: Sitting | None


def reschedule_offer(*, slot: Slot, until: dt.date | None = None, today: dt.date | None = None) -> Offer | str:
    """The next feasible slot on the commission's next sitting day after the missed one (before `until` — the
    cutoff for a postponement, and inside the commission's attestation period, where alone it sits): the end of a
    later sitting when the day's hours allow, else a day the solver finds. A string says why there is none."""
    commission = slot.sitting.commission
    refusal = retake_refusal(student=slot.student, commission=commission)  # R40: no new place after a grade
    if refusal:
        return refusal
    today = today or timezone.localdate()
    after = max(slot.sitting.date, today)
    task = inputs.task_for(commission, [slot.student])  # this student alone, with any extra time
    busy = inputs.busy_for(commission, task)
    minutes = task.students[0].minutes
    last = min(until or commission.period_end, commission.period_end)
    later = commission.sittings.filter(date__gt=after, date__lte=last).order_by("date", "starts_at")
    if slot.status == Slot.Status.ABSENT:
        later = later.filter(date=later.values("date")[:1])  # R41: the commission's next sitting day, no other
    for sitting in later:
        offer = _offer_in(sitting, slot, minutes, task.rules)
        if offer is not None:
            return offer
    if slot.status == Slot.Status.ABSENT and later:
        return _("The commission's next sitting day, %(date)s, has no room left within %(limit)s a day.") % {
            "date": later[0].date.strftime("%d.%m.%Y"),
            "limit": duration(task.rules.day_limit),
        }
    taken = set(commission.sittings.values_list("date", flat=True))
    days = tuple(d for d in working_days(after + dt.timedelta(days=1), last, commission.institution_id) if d not in taken)
    outcome = solve(Problem([replace(task, days=days)], busy), time_limit=3.0, workers=2)
    if not outcome.ok:
        return outcome.troubles[0].message
    placed = outcome.timetable.placements[0]
    return Offer(placed.date, placed.start, placed.minutes, None)


def _offer_in(sitting: Sitting, slot: Slot, minutes: int, rules) -> Offer | None:
    zone = ZoneInfo(sitting.commission.institution.time_zone)
    last = sitting.slots.aggregate(last=Max("starts_at"))["last"]
    start = inputs.minutes_of(sitting.starts_at) + rules.overhead
    if last is not None:
        tail = sitting.slots.filter(starts_at=last).first()
        length = tail.duration_minutes if tail is not None else 0
        start = max(start, inputs.minutes_of(last.astimezone(zone).time()) + length)
    if start + minutes - inputs.minutes_of(sitting.starts_at) > rules.day_limit or start + minutes > rules.day_end:
        return None
    if Slot.objects.filter(student_id=slot.student_id, sitting__date=sitting.date).exists():
        return None
    return Offer(sitting.date, start, minutes, sitting)


@transaction.atomic
def reschedule_accept(*, actor, slot: Slot, offer: Offer) -> Slot:
    """Places the student as offered (slot_create, with its admission check) and tells the student and members."""
    commission = slot.sitting.commission
    if slot.status == Slot.Status.ABSENT:
        after = max(slot.sitting.date, timezone.localdate())
        refusal = next_sitting_refusal(commission=commission, day=offer.date, after=after)  # R41
        if refusal:
            raise ValidationError(refusal)
    end = inputs.time_of(offer.start + offer.minutes)
    if offer.sitting is None:
        rules = inputs.problem_for(commission).tasks[0].rules
        sitting = sitting_create(
            actor=actor,
            commission=commission,
            date=offer.date,
            starts_at=inputs.time_of(offer.start - rules.overhead),
            ends_at=end,
            meeting_url=slot.sitting.meeting_url,
        )
    else:
        sitting = Sitting.objects.get(pk=offer.sitting.pk)
        if sitting.ends_at < end:
            sitting_retime(actor=actor, sitting=sitting, starts_at=sitting.starts_at, ends_at=end)
    new = slot_create(
        actor=actor,
        sitting=sitting,
        student=slot.student,
        starts_at=_local(commission, offer.date, offer.start),
        duration_minutes=offer.minutes,
    )
    audit_record(actor=actor, verb="slot.reschedule", obj=slot, after={"new_slot": new.pk})
    out = Published(changes=[Change(slot.student, new, slot.starts_at)])
    _tell(commission, out, first=False)
    return new


# ---- members' days off -----------------------------------------------------------------------------------------


@transaction.atomic
def unavailability_declare(*, actor, date: dt.date, reason: str = "") -> MemberUnavailability:
    """A staff member declares a day they cannot sit; the planner keeps their commissions off it."""
    row = MemberUnavailability(user=actor, date=date, reason=reason.strip(), created_at=timezone.now())
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError(_("You have declared this day already.")) from exc
    audit_record(actor=actor, verb="unavailability.declare", obj=row, after={"date": str(date)})
    return row


@transaction.atomic
def unavailability_withdraw(*, actor, row: MemberUnavailability) -> None:
    if row.user_id != actor.pk:
        raise ValidationError(_("Only the person who declared the day withdraws it."))
    audit_record(actor=actor, verb="unavailability.withdraw", obj=row, before={"date": str(row.date)})
    row.delete()
