"""Writes on review lectures, the R14 preparation steps and instruction webinars."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.notifications import notify
from attestation.institutions.models import Institution, Student
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import months_before, nth_working_day_before, working_days_between
from commissions.models import Commission
from exams.preparation.models import PreparationStep, ReviewLecture, ReviewLectureSeries, Webinar, WebinarAttendance

STEP_REMINDER = "preparation_step_reminder"
REMINDER_HOUR = dt.time(9, 0)


def step_due_dates(*, starts_on: dt.date, policy) -> dict[str, dt.date]:
    """R14 and 002 steps 1, 2, 4, counted back from the start of the review lectures."""
    return {
        PreparationStep.Kind.PROGRAMME_APPROVED: months_before(starts_on, policy.programme_approval_months),
        PreparationStep.Kind.HANDED_TO_SECRETARY: months_before(starts_on, policy.programme_handover_months),
        PreparationStep.Kind.RECORDINGS_PUBLISHED: starts_on - dt.timedelta(days=policy.recordings_publish_days_before),
    }


@transaction.atomic
def series_set(*, actor, commission, starts_on: dt.date) -> ReviewLectureSeries:
    """Sets (or moves) the start of the review lectures; the steps' due days and reminders follow."""
    policy = policy_for(commission)
    series, _created = ReviewLectureSeries.objects.update_or_create(
        commission=commission, defaults={"starts_on": starts_on, "created_by": actor}
    )
    zone = ZoneInfo(commission.institution.time_zone)
    for kind, due_on in step_due_dates(starts_on=starts_on, policy=policy).items():
        step, _c = PreparationStep.objects.update_or_create(series=series, kind=kind, defaults={"due_on": due_on})
        remind_on = nth_working_day_before(due_on, policy.preparation_reminder_working_days, commission.institution_id)
        if step.done_at is None:
            deadline_set(obj=step, kind=STEP_REMINDER, due_at=dt.datetime.combine(remind_on, REMINDER_HOUR, zone))
    audit_record(actor=actor, verb="review_lectures.set", obj=series, after={"starts_on": str(starts_on)})
    return series


@transaction.atomic
def step_mark_done(*, actor, step: PreparationStep) -> PreparationStep:
    """Marks a step done once; the programme's approval is recorded by approving it, not by a tick here."""
    if step.kind == PreparationStep.Kind.PROGRAMME_APPROVED:
        raise ValidationError(_("This step is done when the exam programme is approved on its page."))
    done = PreparationStep.objects.filter(pk=step.pk, done_at__isnull=True).update(done_at=timezone.now(), done_by=actor)
    step.refresh_from_db()
    if done:
        audit_record(actor=actor, verb="preparation_step.done", obj=step, after={"kind": step.kind})
    return step


@transaction.atomic
def lecture_add(
    *, actor, series: ReviewLectureSeries, topic: str, lecturer: str, scheduled_at: dt.datetime, recording_url: str = ""
) -> ReviewLecture:
    lecture = ReviewLecture(
        series=series, topic=topic, lecturer=lecturer, scheduled_at=scheduled_at, recording_url=recording_url
    )
    lecture.full_clean()
    lecture.save()
    audit_record(actor=actor, verb="review_lecture.add", obj=lecture, after={"topic": topic})
    return lecture


def _audience(webinar: Webinar):
    commission = webinar.commission
    if webinar.audience == Webinar.Audience.MEMBERS:
        return [m.user for m in commission.memberships.select_related("user")]
    students = Student.objects.filter(group__programme__commissions=commission, user__isnull=False)
    return [s.user for s in students.select_related("user")]


def webinar_window_problem(*, commission, starts_at: dt.datetime) -> str | None:
    """Colleges hold the students' webinar 3-5 working days before the attestation (R13, policy numbers)."""
    if commission.institution.kind != Institution.Kind.TVET:
        return None
    policy = policy_for(commission)
    day = timezone.localtime(starts_at, ZoneInfo(commission.institution.time_zone)).date()
    before = working_days_between(day, commission.period_start, commission.institution_id)
    if policy.webinar_min_working_days <= before <= policy.webinar_max_working_days:
        return None
    return _(
        "A college's webinar is held %(lo)s-%(hi)s working days before the attestation (%(start)s); this one is %(n)s."
    ) % {
        "lo": policy.webinar_min_working_days,
        "hi": policy.webinar_max_working_days,
        "start": commission.period_start.strftime("%d.%m.%Y"),
        "n": before,
    }


@transaction.atomic
def webinar_create(
    *,
    actor,
    commission,
    audience: str,
    starts_at: dt.datetime,
    url: str,
    duration_minutes: int = 60,
    kind: str = Webinar.Kind.INSTRUCTION,
    topic: str = "",
) -> Webinar:
    """Schedules the webinar, consultation or pre-defense and tells its audience (page and e-mail)."""
    if kind == Webinar.Kind.INSTRUCTION and audience == Webinar.Audience.STUDENTS:
        problem = webinar_window_problem(commission=commission, starts_at=starts_at)
        if problem:
            raise ValidationError({"starts_at": problem})
    if kind == Webinar.Kind.PRE_DEFENSE and commission.form != Commission.Form.DEFENSE:
        raise ValidationError({"kind": _("A pre-defense is held only before a defense of the diploma project (work).")})
    if kind != Webinar.Kind.INSTRUCTION and audience != Webinar.Audience.STUDENTS:
        raise ValidationError({"audience": _("Consultations and pre-defenses are for the students.")})
    webinar = Webinar(
        commission=commission,
        kind=kind,
        topic=topic.strip(),
        audience=audience,
        starts_at=starts_at,
        url=url,
        duration_minutes=duration_minutes,
        created_by=actor,
    )
    webinar.full_clean()
    webinar.save()
    for user in _audience(webinar):
        notify(user=user, kind="webinar", template="preparation/email/webinar", context={"webinar": webinar})
    audit_record(actor=actor, verb="webinar.create", obj=webinar, after={"audience": audience, "at": str(starts_at)})
    return webinar


@transaction.atomic
def attendance_mark(*, actor, webinar: Webinar, present: set[int]) -> int:
    """Records who attended among the webinar's audience; returns how many attended."""
    audience = _audience(webinar)
    for user in audience:
        WebinarAttendance.objects.update_or_create(
            webinar=webinar, user=user, defaults={"attended": user.pk in present, "marked_by": actor}
        )
    audit_record(actor=actor, verb="webinar.attendance", obj=webinar, after={"present": sorted(present)})
    return sum(1 for u in audience if u.pk in present)
