import datetime as dt
from zoneinfo import ZoneInfo

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import Deadline, Notification
from exams.admission import services

from .conftest import docx_upload, make_green, pdf_upload, register

ALMATY = ZoneInfo("Asia/Almaty")


def test_documents_are_due_three_weeks_and_the_pdf_two_days_before_the_defense(world, defense):
    documents, pdf = services.admission_due_dates(world.student)
    # Defense Wed 10 June 2020 09:00: documents by the end of 20 May, the PDF by the end of 8 June.
    assert documents == dt.datetime(2020, 5, 21, tzinfo=ALMATY)
    assert pdf == dt.datetime(2020, 6, 9, tzinfo=ALMATY)


def test_the_policy_days_are_read_not_constants(world, defense):
    world.institution.policies.update(documents_due_days_before=28, thesis_pdf_days_before=3)
    documents, pdf = services.admission_due_dates(world.student)
    assert documents == dt.datetime(2020, 5, 14, tzinfo=ALMATY)
    assert pdf == dt.datetime(2020, 6, 8, tzinfo=ALMATY)


def test_no_defense_no_deadlines(world, supervisor, reviewer):
    register(world.student, supervisor, reviewer)
    assert services.admission_due_dates(world.student) is None
    assert not Deadline.objects.filter(kind__startswith="admission.").exists()


def test_the_sweep_flags_late_documents_to_the_head_once(world, supervisor, reviewer, head, defense):
    thesis = register(world.student, supervisor, reviewer)
    services.thesis_version_upload(actor=world.student.user, thesis=thesis, upload=docx_upload())
    head.preferred_language = "en"
    head.save()
    after_due = dt.datetime(2020, 5, 21, 0, 5, tzinfo=ALMATY)
    deadlines_sweep(now=after_due)
    assert deadlines_sweep(now=after_due + dt.timedelta(hours=1)) == 0
    notes = Notification.objects.filter(user=head, kind=services.DOCUMENTS_DUE)
    assert notes.count() == 1
    assert "Supervisor" in notes.get().body and "Electronic thesis" not in notes.get().body
    thesis.refresh_from_db()
    assert thesis.documents_late_at is not None and thesis.pdf_late_at is None


def test_the_sweep_skips_a_student_who_submitted_everything(world, supervisor, reviewer, head, defense):
    thesis = make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    services.thesis_version_upload(actor=world.student.user, thesis=thesis, upload=pdf_upload())
    deadlines_sweep(now=dt.datetime(2020, 6, 9, 1, 0, tzinfo=ALMATY))
    assert not Notification.objects.filter(user=head).exists()
    assert set(
        Deadline.objects.filter(object_id=thesis.pk, kind__startswith="admission.").values_list("state", flat=True)
    ) == {Deadline.State.SKIPPED}


def test_a_missing_pdf_is_flagged_two_days_before(world, supervisor, reviewer, head, defense):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    deadlines_sweep(now=dt.datetime(2020, 6, 9, 1, 0, tzinfo=ALMATY))
    assert Notification.objects.filter(user=head, kind=services.PDF_DUE).count() == 1
    assert not Notification.objects.filter(user=head, kind=services.DOCUMENTS_DUE).exists()


def test_the_policy_of_the_year_in_force_sets_the_days_not_a_later_draft(world, defense):
    """A June 2020 defense is in the 2019-2020 year: next year's policy, already drafted, must not move its deadlines."""
    draft = world.institution.policies.get(academic_year=2019)
    draft.pk, draft.academic_year, draft.documents_due_days_before, draft.thesis_pdf_days_before = None, 2020, 28, 3
    draft.save()
    documents, pdf = services.admission_due_dates(world.student)
    assert documents == dt.datetime(2020, 5, 21, tzinfo=ALMATY)
    assert pdf == dt.datetime(2020, 6, 9, tzinfo=ALMATY)
