"""The demo says only what could be true: what it shows as done happened before now and in the order it could
happen (a sitting before its grades, its grades before the announcement, a document before its signatures, the
admission before the defense); what it shows as to come is still to come."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone

from appeals.models import Appeal, AppealCommission
from attestation.core.models import AuditEvent
from commissions.models import (
    Attendance,
    Commission,
    MemberGrade,
    Paper,
    Result,
    Signature,
    Sitting,
    Slot,
    VoteRound,
)
from exams.admission.models import AdmissionList, PlagiarismCheck, Review, ThesisVersion
from exams.applications.models import Application
from exams.models import ExamProgramme, TicketSet
from exams.yearend.models import DiplomaRequest, Transfer
from proctoring.models import IdCopy, MemberIdentification

pytestmark = pytest.mark.django_db

# Moments that are planned, not recorded: they may be in the future.
PLANNED = {"due_at", "starts_at", "announcement_at", "closing_at", "hearing_at", "hearing_due_at", "answer_due_at"}


class Story:
    """Collects every step told out of order, so one run names them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def before(self, earlier, later, what: str) -> None:
        if earlier is not None and later is not None and not earlier <= later:
            self.problems.append(f"{what}: {earlier} is after {later}")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as `seed_demo` makes it, built once inside a transaction rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_nothing_the_demo_recorded_happens_after_now(demo):
    now, today, story = timezone.now(), timezone.localdate(), Story()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.DateTimeField) and field.name not in PLANNED:
                latest = model.objects.aggregate(latest=models.Max(field.name))["latest"]
                story.before(latest, now, f"{model._meta.label}.{field.name}")
    for model, name in [
        (Commission, "order_date"),
        (AppealCommission, "order_date"),
        (DiplomaRequest, "order_date"),
        (PlagiarismCheck, "checked_on"),
    ]:
        story.before(model.objects.aggregate(latest=models.Max(name))["latest"], today, f"{model.__name__}.{name}")
    assert not story.problems, story.problems


def test_the_demos_sittings_are_held_before_their_results_and_the_others_are_to_come(demo):
    now, story = timezone.now(), Story()
    held = 0
    for sitting in Sitting.objects.select_related("commission__institution"):
        commission = sitting.commission
        starts, ends = sitting.bounds(commission.institution.time_zone)
        created = AuditEvent.objects.filter(verb="sitting.create", object_id=sitting.pk).values_list("at", flat=True)
        story.before(max(created, default=None), starts, f"sitting {sitting.pk} scheduled")
        story.before(commission.order_date, commission.period_start, f"commission {commission.pk} ordered")
        story.before(commission.period_start, sitting.date, f"sitting {sitting.pk} in its commission's period")
        for at in MemberIdentification.objects.filter(sitting=sitting).values_list("at", flat=True):
            story.before(at, starts, f"a member of sitting {sitting.pk} identified")
        for at in IdCopy.objects.filter(student__slots__sitting=sitting).values_list("uploaded_at", flat=True):
            story.before(at, starts, f"an ID copy for sitting {sitting.pk}")
        results = Result.objects.filter(slot__sitting=sitting)
        if not results.exists():
            story.before(now, starts, f"sitting {sitting.pk} is not graded, so it is still to come")
            continue
        held += 1
        story.before(ends, now, f"sitting {sitting.pk} is graded, so it has been held")
        announced = min(results.values_list("announced_at", flat=True))
        story.before(ends, announced, f"sitting {sitting.pk}'s results announced after it ended")
        for at in Attendance.objects.filter(sitting=sitting).values_list("recorded_at", flat=True):
            story.before(starts, at, f"sitting {sitting.pk}'s attendance recorded once it began")
            story.before(at, ends, f"sitting {sitting.pk}'s attendance recorded while it sat")
        for grade in MemberGrade.objects.filter(slot__sitting=sitting).select_related("slot"):
            story.before(grade.slot.starts_at, grade.submitted_at, f"slot {grade.slot_id} graded after it began")
            story.before(grade.submitted_at, announced, f"slot {grade.slot_id} graded before the announcement")
        for vote in VoteRound.objects.filter(slot__sitting=sitting).select_related("slot"):
            story.before(vote.slot.starts_at, vote.opened_at, f"slot {vote.slot_id}'s vote opened after it began")
            story.before(vote.closed_at, announced, f"slot {vote.slot_id}'s vote closed before the announcement")
        for paper in Paper.objects.filter(sitting=sitting):
            story.before(ends, paper.created_at, f"paper {paper.pk} made after the sitting")
            for signed in Signature.objects.filter(paper=paper).values_list("signed_at", flat=True):
                story.before(paper.created_at, signed, f"paper {paper.pk} signed after it was made")
    assert held >= 3, "the demo holds the first sitting of each commission (complex exam, college, defense)"
    assert not story.problems, story.problems


def test_what_leads_to_a_demo_sitting_comes_before_it(demo):
    story = Story()
    for sitting in Sitting.objects.select_related("commission__institution"):
        starts, _ends = sitting.bounds(sitting.commission.institution.time_zone)
        for at in ExamProgramme.objects.filter(commission=sitting.commission).values_list("approved_at", flat=True):
            story.before(at, starts, f"the exam programme of sitting {sitting.pk}'s commission approved")
        for at in TicketSet.objects.filter(programme__commission=sitting.commission).values_list("approved_at", flat=True):
            story.before(at, starts, f"the tickets of sitting {sitting.pk}'s commission approved")
        students = Slot.objects.filter(sitting=sitting).values_list("student_id", flat=True)
        for model, name in [
            (ThesisVersion, "uploaded_at"),
            (Review, "submitted_at"),
            (PlagiarismCheck, "recorded_at"),
        ]:
            for at in model.objects.filter(thesis__student__in=students).values_list(name, flat=True):
                story.before(at, starts, f"{model.__name__} of a student defending at sitting {sitting.pk}")
        if sitting.commission.form == Commission.Form.DEFENSE:
            for at in AdmissionList.objects.values_list("admitted_at", flat=True):
                story.before(at, starts, f"the admission before the defense at sitting {sitting.pk}")
    for application in Application.objects.filter(slot__isnull=False).select_related("slot"):
        if application.kind == Application.Kind.POSTPONEMENT:
            story.before(application.filed_at, application.slot.starts_at, "a postponement filed before the sitting")
        else:
            story.before(application.slot.starts_at, application.filed_at, "a missed attestation filed after it")
    for appeal in Appeal.objects.select_related("result"):
        story.before(appeal.result.announced_at, appeal.filed_at, f"appeal {appeal.pk} filed after the result")
    last_announced = Result.objects.aggregate(last=models.Max("announced_at"))["last"]
    for at in Transfer.objects.values_list("sent_at", flat=True):
        story.before(last_announced, at, "the transfer sent after the results it carries")
    for order in DiplomaRequest.objects.values_list("order_date", flat=True):
        story.before(timezone.localdate(last_announced) if last_announced else None, order, "the degree order")
    assert not story.problems, story.problems


def test_the_demo_students_result_was_announced_after_the_sitting_and_before_today(demo):
    """The results page reads true: the sitting, then the announcement, both before today."""
    result = Result.objects.select_related("slot__sitting").get(slot__student__user__username="student")
    local = timezone.localtime(result.announced_at, dt.timezone(dt.timedelta(hours=5)))
    assert result.slot.sitting.date <= local.date() < timezone.localdate()


def test_the_demos_absent_student_applies_for_the_attestation_they_missed_after_it(demo):
    application = Application.objects.select_related("slot").get(kind=Application.Kind.MISSED)
    assert application.slot.status == Slot.Status.ABSENT
    assert not Result.objects.filter(slot=application.slot).exists()
    assert application.slot.starts_at < application.filed_at
