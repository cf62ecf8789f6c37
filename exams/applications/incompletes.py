"""The "I" grades and the cutoff (R43): every "I" has a due date no later than the cutoff, a warning some working
days ahead, and at its end the policy's action, exactly once even when the sweep runs twice or late."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from attestation.grading.scale import INCOMPLETE
from attestation.institutions.models import Policy
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import is_working_day
from commissions.grading.services import result_apply, scale_for
from commissions.models import Result
from exams.applications.models import IncompleteDue
from exams.applications.permissions import can_set_due_date

INCOMPLETE_WARN = "applications_incomplete_warn"
INCOMPLETE_DUE = "applications_incomplete_due"
POLICY_CUTOFF = "applications_policy_cutoff"
WARN_WORKING_DAYS = 3
WARN_AT = dt.time(9, 0)


def working_days_before(day: dt.date, n: int, institution_id: int | None = None) -> dt.date:
    """The n-th working day strictly before `day`, by the Kazakhstan calendar (R50)."""
    current, counted = day, 0
    while counted < n:
        current -= dt.timedelta(days=1)
        if is_working_day(current, institution_id):
            counted += 1
    return current


def _local(day: dt.date, time: dt.time, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(tz))


def due_end(day: dt.date, tz: str) -> dt.datetime:
    """The end of a due day: midnight after it, in the institution's time zone."""
    return _local(day + dt.timedelta(days=1), dt.time.min, tz)


def cutoff_refusal(policy: Policy, day: dt.date | None) -> str | None:
    """The message refusing a date after the cutoff, or None when the date is allowed."""
    if day is not None and day > policy.cutoff_date:
        return _("The date cannot be after the cutoff, %(cutoff)s.") % {"cutoff": policy.cutoff_date.strftime("%d.%m.%Y")}
    return None


def policy_cutoff_ensure(policy: Policy) -> None:
    """The cutoff is a deadline of the policy's year itself (set with the policy, moved with its date): the sweep at
    the cutoff acts on every "I" still open, with or without its own due date."""
    due_at = due_end(policy.cutoff_date, policy.institution.time_zone)
    current = Deadline.objects.filter(kind=POLICY_CUTOFF, object_id=policy.pk, content_type__model="policy").first()
    if current is None or current.due_at != due_at:
        deadline_set(obj=policy, kind=POLICY_CUTOFF, due_at=due_at)


@transaction.atomic
def incomplete_due_set(*, actor, result: Result, due_date: dt.date) -> IncompleteDue:
    """Gives an "I" result its due date (≤ cutoff) with the warning and the due deadline."""
    result = Result.objects.select_related("slot__sitting__commission__institution").get(pk=result.pk)
    if result.letter != INCOMPLETE:
        raise ValidationError(_('Only an "I" grade has a due date.'))
    commission = result.slot.sitting.commission
    policy = policy_for(commission)
    refusal = cutoff_refusal(policy, due_date)
    if refusal:
        raise ValidationError({"due_date": refusal})
    due, _created = IncompleteDue.objects.update_or_create(
        result=result,
        defaults={
            "due_date": due_date,
            "cutoff_date": policy.cutoff_date,
            "state": IncompleteDue.State.OPEN,
            "handled_at": None,
        },
    )
    institution = commission.institution
    warn_day = working_days_before(due_date, WARN_WORKING_DAYS, institution.pk)
    deadline_set(obj=due, kind=INCOMPLETE_WARN, due_at=_local(warn_day, WARN_AT, institution.time_zone))
    deadline_set(obj=due, kind=INCOMPLETE_DUE, due_at=due_end(due_date, institution.time_zone))
    policy_cutoff_ensure(policy)
    audit_record(actor=actor, verb="incomplete.due_set", obj=due, after={"result": result.pk, "due": str(due_date)})
    return due


@transaction.atomic
def incomplete_due_change(*, actor, result: Result, due_date: dt.date) -> IncompleteDue:
    """The chair or the department sets or changes an "I" grade's due date (≤ cutoff); the student is told."""
    result = Result.objects.select_related(
        "slot__student__user", "slot__student__group__programme", "slot__sitting__commission"
    ).get(pk=result.pk)
    if not can_set_due_date(actor, result):
        raise PermissionDenied
    before = IncompleteDue.objects.filter(result=result).values_list("due_date", flat=True).first()
    due = incomplete_due_set(actor=actor, result=result, due_date=due_date)
    audit_record(
        actor=actor,
        verb="incomplete.due_change",
        obj=due,
        before={"due": str(before) if before else None},
        after={"due": str(due_date)},
    )
    student_user = result.slot.student.user
    if student_user is not None:
        notify(
            user=student_user,
            kind="incomplete_due_set",
            template="applications/email/incomplete_due_set",
            context={"due": due, "result": result, "slot": result.slot, "changed": before is not None},
            url=reverse("applications:incompletes"),
        )
    return due


def _department_heads(result: Result):
    department_id = result.slot.student.group.programme.department_id
    return get_user_model().objects.filter(department_headships__department_id=department_id, is_active=True)


def _tell(due: IncompleteDue, kind: str, template: str) -> None:
    result = due.result
    context = {"due": due, "result": result, "student": result.slot.student, "slot": result.slot}
    people = list(_department_heads(result))
    if result.slot.student.user is not None:
        people.append(result.slot.student.user)
    for user in people:
        notify(user=user, kind=kind, template=template, context=context, url=reverse("applications:incompletes"))


def _load(due_pk: int) -> IncompleteDue | None:
    return (
        IncompleteDue.objects.select_related(
            "result__slot__student__user", "result__slot__student__group__programme", "result__slot__sitting__commission"
        )
        .filter(pk=due_pk)
        .first()
    )


def incomplete_warn(*, due_pk: int) -> bool:
    """The student and the department are told, working days ahead, that the "I" is still open."""
    due = _load(due_pk)
    if due is None or due.state != IncompleteDue.State.OPEN or due.result.letter != INCOMPLETE:
        return False
    _tell(due, INCOMPLETE_WARN, "applications/email/incomplete_warn")
    return True


@transaction.atomic
def incomplete_act(*, due_pk: int, now: dt.datetime) -> bool:
    """At the due date's end, the policy's action on an "I" still open; a second or late run does nothing again."""
    due = _load(due_pk)
    if due is None:
        return False
    result = Result.objects.select_for_update().get(pk=due.result_id)
    if result.letter != INCOMPLETE:
        IncompleteDue.objects.filter(pk=due.pk, state=IncompleteDue.State.OPEN).update(
            state=IncompleteDue.State.GRADED, handled_at=now
        )
        return False
    policy = policy_for(due.result.slot.sitting.commission)
    to_f = policy.i_grade_cutoff_action == Policy.CutoffAction.TO_F
    state = IncompleteDue.State.CONVERTED if to_f else IncompleteDue.State.FLAGGED
    claimed = IncompleteDue.objects.filter(pk=due.pk, state=IncompleteDue.State.OPEN).update(state=state, handled_at=now)
    if claimed != 1:
        return False
    if to_f:
        _convert_to_f(result, now)
    audit_record(
        actor=None,
        verb=f"incomplete.{state}",
        obj=due,
        before={"letter": INCOMPLETE},
        after={"letter": result.letter, "result": result.pk},
    )
    due.state, due.handled_at, due.result = state, now, result
    _tell(due, INCOMPLETE_DUE, "applications/email/incomplete_done")
    return True


def _convert_to_f(result: Result, now: dt.datetime) -> None:
    # The row is locked by the caller; the source stays "incomplete": the F comes from the unfinished "I".
    result_apply(
        actor=None,
        slot=result.slot,
        result=result,
        grade=scale_for(result.slot).from_letter("F"),
        source=result.source,
        verb="result.cutoff_to_f",
        decided_at=now,
    )


def policy_cutoff_act(*, policy_pk: int, now: dt.datetime) -> int:
    """At the cutoff: every "I" of the policy's year still open is acted on; one without its own due date gets the
    cutoff as its due date first."""
    policy = Policy.objects.select_related("institution").get(pk=policy_pk)
    results = Result.objects.filter(
        Q(incomplete_due__isnull=True) | Q(incomplete_due__state=IncompleteDue.State.OPEN),
        letter=INCOMPLETE,
        slot__sitting__commission__institution_id=policy.institution_id,
        slot__sitting__commission__academic_year=policy.academic_year,
    )
    acted = 0
    for result in results:
        due, _created = IncompleteDue.objects.get_or_create(
            result=result, defaults={"due_date": policy.cutoff_date, "cutoff_date": policy.cutoff_date}
        )
        acted += incomplete_act(due_pk=due.pk, now=now)
    return acted
