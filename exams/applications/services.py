"""Writes on applications: a student files, the right person decides, the decision has its effect (R41-R45)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.notifications import notify
from attestation.grading.scale import INCOMPLETE
from attestation.institutions.models import Discipline, Student
from attestation.institutions.policies import policy_for
from commissions.grading.services import result_set_incomplete
from commissions.models import Membership, Result, Sitting, Slot
from commissions.page_hooks import slot_pages_changed
from commissions.planning.services import reschedule_accept, reschedule_offer
from commissions.services import next_sitting_refusal, retake_refusal, sitting_create, slot_create
from exams.applications import incompletes, permissions, summative
from exams.applications.models import Application
from exams.applications.periods import period_key, period_next, period_parse

Kind = Application.Kind


def _student_of(actor) -> Student:
    student = Student.objects.select_related("group__programme").filter(user=actor).first() if actor.pk else None
    if student is None:
        raise ValidationError(_("Only a student files an application."))
    return student


def _check_subject(application: Application) -> None:
    """What the application is about must be the student's own and fit its kind."""
    if application.slot is not None and application.slot.student_id != application.student_id:
        raise PermissionDenied
    if application.discipline is not None and application.discipline.institution_id != application.student.institution_id:
        raise PermissionDenied
    needs_slot = application.kind in (Kind.MISSED, Kind.POSTPONEMENT) or (
        application.kind == Kind.SUMMATIVE and application.attestation == Application.Attestation.FINAL
    )
    if needs_slot and application.slot is None:
        raise ValidationError({"slot": _("Choose the attestation the application is about.")})
    if not needs_slot and (application.discipline is None or not application.period):
        raise ValidationError({"discipline": _("Choose the discipline and the period.")})
    if application.period:
        period_parse(application.period)


def _check_not_examined(application: Application) -> None:
    """R40: who sat the attestation or has its grade neither missed it nor postpones it."""
    slot = application.slot
    if application.kind not in (Kind.MISSED, Kind.POSTPONEMENT) or slot is None:
        return
    refusal = retake_refusal(student=application.student, commission=slot.sitting.commission)
    if refusal is None and slot.status == Slot.Status.DONE:
        refusal = _("You have already sat this attestation; it is not taken again.")
    if refusal:
        raise ValidationError({"slot": refusal})


def _local_today(slot: Slot, now: dt.datetime) -> dt.date:
    return timezone.localdate(now, timezone=ZoneInfo(slot.sitting.commission.institution.time_zone))


def _new_date_refusal(slot: Slot, day: dt.date | None, now: dt.datetime) -> str | None:
    """R43: the new date is no later than the cutoff and not already past (a past date would turn the "I" into an F
    at once)."""
    refusal = incompletes.cutoff_refusal(policy_for(slot.sitting.commission), day)
    if refusal is None and day is not None and day <= _local_today(slot, now):
        refusal = _("The new date must be after today.")
    return refusal


def _check_kind_rules(application: Application) -> None:
    if application.kind == Kind.MISSED and not application.document:
        raise ValidationError({"document": _("Attach the document that confirms the valid reason.")})
    if application.kind == Kind.POSTPONEMENT:
        if not application.ground:
            raise ValidationError({"ground": _("Choose the ground for the postponement.")})
        refusal = _new_date_refusal(application.slot, application.requested_date, application.filed_at)
        if refusal:
            raise ValidationError({"requested_date": refusal})
    if application.kind == Kind.SUMMATIVE and not application.attestation:
        raise ValidationError({"attestation": _("Say whether it is the intermediate or the final attestation.")})


@transaction.atomic
def application_file(
    *,
    actor,
    kind: str,
    reasons: str,
    slot: Slot | None = None,
    discipline: Discipline | None = None,
    period: str = "",
    attestation: str = "",
    ground: str = "",
    requested_date: dt.date | None = None,
    document=None,
    now: dt.datetime | None = None,
) -> Application:
    """The student files an application; the people who decide it are told."""
    student = _student_of(actor)
    if not reasons.strip():
        raise ValidationError({"reasons": _("Say why you apply.")})
    application = Application(
        kind=kind,
        student=student,
        slot=slot,
        discipline=discipline,
        period=period.strip().upper(),
        attestation=attestation,
        ground=ground if kind == Kind.POSTPONEMENT else "",
        requested_date=requested_date,
        reasons=reasons.strip(),
        filed_at=now or timezone.now(),
    )
    if document is not None:
        application.document, application.document_name = document, document.name[:255]
    _check_subject(application)
    _check_not_examined(application)
    _check_kind_rules(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(_("You already have an open application of this kind about it.")) from exc
    audit_record(actor=actor, verb="application.file", obj=application, after={"kind": kind})
    url = reverse("applications:detail", args=[application.pk])
    for user in permissions.deciders_for(application):
        notify(
            user=user,
            kind="application_filed",
            template="applications/email/filed",
            context={"application": application},
            url=url,
        )
    return application


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    approve: bool,
    reason: str = "",
    sitting: Sitting | None = None,
    sitting_date: dt.date | None = None,
    new_date: dt.date | None = None,
    target_period: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The right person approves (with its effect) or rejects (with a reason) a filed application, once."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("student__group__programme", "student__user", "slot__sitting__commission")
        .get(pk=application.pk)
    )
    if not permissions.can_decide(actor, application):
        raise PermissionDenied
    if application.state != Application.State.FILED:
        raise ValidationError(_("This application is decided already."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    now = now or timezone.now()
    if approve:
        _check_not_examined(application)
        EFFECTS[application.kind](
            actor,
            application,
            sitting=sitting,
            sitting_date=sitting_date,
            new_date=new_date,
            target_period=target_period,
            now=now,
        )
    application.state = Application.State.APPROVED if approve else Application.State.REJECTED
    application.decided_by, application.decided_at = actor, now
    application.decision_reason = reason.strip()
    application.save()
    audit_record(
        actor=actor,
        verb=f"application.{application.state}",
        obj=application,
        before={"state": "filed"},
        after={"state": application.state, "reason": application.decision_reason},
    )
    if application.student.user is not None:
        notify(
            user=application.student.user,
            kind="application_decided",
            template="applications/email/decided",
            context={"application": application},
            url=reverse("applications:detail", args=[application.pk]),
        )
    return application


def _missed(actor, application: Application, *, sitting, sitting_date, now, **_kw) -> None:
    """R41: the student gets a place on the commission's next sitting day, which the chair sets: a working day inside
    the attestation period, after the missed day and today, with no other sitting day of the commission between."""
    missed = application.slot.sitting
    day = sitting.date if sitting is not None else sitting_date
    if day is not None and (sitting is None or sitting.commission_id == missed.commission_id):
        after = max(missed.date, _local_today(application.slot, now))
        refusal = next_sitting_refusal(commission=missed.commission, day=day, after=after)
        if refusal:
            raise ValidationError({"sitting": refusal})
    if sitting is None and sitting_date is not None:
        sitting = Sitting.objects.filter(commission_id=missed.commission_id, date=sitting_date).first() or sitting_create(
            actor=actor,
            commission=missed.commission,
            date=sitting_date,
            starts_at=missed.starts_at,
            ends_at=missed.ends_at,
            meeting_url=missed.meeting_url,
        )
    if sitting is None:
        raise ValidationError({"sitting": _("Set the sitting day on which the student sits.")})
    if sitting.commission_id != missed.commission_id or sitting.date <= missed.date:
        raise ValidationError({"sitting": _("Choose a later sitting day of the same commission.")})
    application.new_slot = slot_create(actor=actor, sitting=sitting, student=application.student)


def _postponement(actor, application: Application, *, new_date, now, **_kw) -> None:
    """R42/R43: the new date (after today, ≤ cutoff); the result becomes or stays "I" with that date as its due date."""
    new_date = new_date or application.requested_date
    if new_date is None:
        raise ValidationError({"new_date": _("Set the new date.")})
    refusal = _new_date_refusal(application.slot, new_date, now)
    if refusal:
        raise ValidationError({"new_date": refusal})
    slot = application.slot
    result = Result.objects.filter(slot=slot).first()
    if result is None or result.letter != INCOMPLETE:
        result = result_set_incomplete(actor=actor, slot=slot)
    incompletes.incomplete_due_set(actor=actor, result=result, due_date=new_date)
    if slot.status != Slot.Status.POSTPONED:
        Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.POSTPONED)
        slot_pages_changed(slot.pk)  # the student's schedule shows the status
        audit_record(
            actor=actor,
            verb="slot.postpone",
            obj=slot,
            before={"status": slot.status},
            after={"status": Slot.Status.POSTPONED, "new_date": str(new_date)},
        )
    application.new_date = new_date
    _place_on(actor, application, slot, new_date)


def _place_on(actor, application: Application, slot: Slot, day: dt.date) -> None:
    """R43: the approved postponement puts the student in a real slot on the new day — an existing sitting of the
    commission that day with room, or a new one where the day's hours and everyone's other places allow. When there
    is none, the approval stands and the commission's secretary is asked to place the student from the plan page."""
    offer = reschedule_offer(slot=slot, until=day, today=day - dt.timedelta(days=1))
    if not isinstance(offer, str):
        application.new_slot = reschedule_accept(actor=actor, slot=slot, offer=offer)
        return
    commission = slot.sitting.commission
    for membership in commission.memberships.filter(role=Membership.Role.SECRETARY).select_related("user"):
        notify(
            user=membership.user,
            kind="postponement_to_place",
            template="applications/email/postponement_to_place",
            context={"student": application.student, "date": day, "why": offer, "commission": commission},
            url=reverse("commissions:plan", args=[commission.pk]),
        )


def _summative(actor, application: Application, **_kw) -> None:
    """R44: intermediate → the average of current/midterm scores; final → over basic and profiling disciplines."""
    if application.attestation == Application.Attestation.FINAL:
        result = summative.final_replace(actor=actor, slot=application.slot)
        application.grade_points, application.grade_letter = result.points, result.letter
        return
    row = summative.intermediate_replace(
        actor=actor, student=application.student, discipline=application.discipline, period=application.period
    )
    grade = summative.Scale.for_institution(application.student.institution_id).from_points(row.points)
    application.grade_points, application.grade_letter = row.points, grade.letter


def _restudy(actor, application: Application, *, target_period, **_kw) -> None:
    """R45: the discipline moves to the next period (or the summer) with the right to sit the exam."""
    target = (target_period or period_next(application.period)).strip().upper()
    if period_key(target) <= period_key(application.period):
        raise ValidationError({"target_period": _("Re-study moves the discipline to a later period.")})
    application.target_period = target


EFFECTS = {Kind.MISSED: _missed, Kind.POSTPONEMENT: _postponement, Kind.SUMMATIVE: _summative, Kind.RESTUDY: _restudy}
