"""The applications pages for the institution (list-wide summative replacement), the department (arts and culture
results) and the chair/department ("I" due dates)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.core.models import AuditEvent, Notification
from attestation.institutions.models import Group, Programme
from attestation.tests.factories import StudentFactory
from commissions.models import Slot
from exams.applications.models import ArtsResult, IncompleteDue, SummativeDecision, TranscriptRow
from exams.applications.tests.conftest import incomplete, pdf, score

pytestmark = pytest.mark.django_db
CURRENT, MIDTERM, FINAL = TranscriptRow.Kind.CURRENT, TranscriptRow.Kind.MIDTERM, TranscriptRow.Kind.FINAL


def _summative_post(world, disciplines, **extra):
    return {"period": "2019-2", "disciplines": [disciplines["basic"].pk], "number": "45-Н", "date": "2020-05-15", **extra}


def _two_students_scored(world, disciplines):
    score(world.student, disciplines["basic"], CURRENT, "94")
    score(world.student, disciplines["basic"], MIDTERM, "95")
    score(world.other_student, disciplines["basic"], CURRENT, "89.99")
    score(world.other_student, disciplines["basic"], MIDTERM, "90.00")


# --- list-wide summative replacement (R44) -------------------------------------------------------------------------


def test_preview_shows_the_averages_rounded_onto_the_scale_and_writes_nothing(client, world, disciplines, inst_admin):
    _two_students_scored(world, disciplines)
    client.force_login(inst_admin)
    url = reverse("applications:summative_list", args=[world.institution.pk])
    page = client.post(url, {**_summative_post(world, disciplines), "preview": "1"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    rows = page.context["preview"]
    assert {(r.student.pk, r.grade.points, r.grade.letter) for r in rows} == {
        (world.student.pk, Decimal("94.50"), "A-"),
        (world.other_student.pk, Decimal("90.00"), "A-"),
    }
    assert not TranscriptRow.objects.filter(kind=FINAL).exists()
    assert not SummativeDecision.objects.exists()


def test_confirm_writes_every_grade_the_decision_and_its_pdf(client, world, disciplines, inst_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _two_students_scored(world, disciplines)
    client.force_login(inst_admin)
    url = reverse("applications:summative_list", args=[world.institution.pk])
    response = client.post(url, {**_summative_post(world, disciplines), "confirm": "1"})
    assert response.status_code == 302
    decision = SummativeDecision.objects.get()
    assert (decision.number, decision.replaced, decision.date) == ("45-Н", 2, dt.date(2020, 5, 15))
    finals = dict(TranscriptRow.objects.filter(kind=FINAL).values_list("student_id", "points"))
    assert finals == {world.student.pk: Decimal("94.50"), world.other_student.pk: Decimal("90.00")}
    assert AuditEvent.objects.filter(verb="summative_decision.make").count() == 1
    pdf_response = client.get(reverse("applications:summative_decision_pdf", args=[decision.pk]))
    assert pdf_response.status_code == 200 and pdf_response["Content-Type"] == "application/pdf"


def test_a_repeated_decision_number_writes_nothing(client, world, disciplines, inst_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _two_students_scored(world, disciplines)
    client.force_login(inst_admin)
    url = reverse("applications:summative_list", args=[world.institution.pk])
    client.post(url, {**_summative_post(world, disciplines), "confirm": "1"})
    score(world.student, disciplines["profiling"], CURRENT, "50")
    again = client.post(
        url, {**_summative_post(world, disciplines), "confirm": "1", "disciplines": [disciplines["profiling"].pk]}
    )
    assert again.status_code == 400 and "number" in again.context["form"].errors
    assert SummativeDecision.objects.count() == 1
    assert not TranscriptRow.objects.filter(kind=FINAL, discipline=disciplines["profiling"]).exists()


def test_the_list_can_be_limited_to_groups(client, world, disciplines, inst_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _two_students_scored(world, disciplines)
    elsewhere = StudentFactory(group=Group.objects.create(programme=world.programme, name="ИС-19-2", study_language="kk"))
    score(elsewhere, disciplines["basic"], CURRENT, "70")
    client.force_login(inst_admin)
    url = reverse("applications:summative_list", args=[world.institution.pk])
    client.post(url, {**_summative_post(world, disciplines), "groups": [elsewhere.group.pk], "confirm": "1"})
    assert list(TranscriptRow.objects.filter(kind=FINAL).values_list("student_id", flat=True)) == [elsewhere.pk]


def test_only_the_institutions_admin_reaches_the_summative_list(client, world):
    url = reverse("applications:summative_list", args=[world.institution.pk])
    for user in (world.head, world.chair, world.student.user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_preview_query_count_does_not_grow_with_students(client, world, disciplines, inst_admin):
    client.force_login(inst_admin)
    url = reverse("applications:summative_list", args=[world.institution.pk])
    data = {**_summative_post(world, disciplines), "preview": "1"}

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, data).status_code == 200
        return len(captured)

    _two_students_scored(world, disciplines)
    few = count_queries()
    for n in range(30):
        score(StudentFactory(group=world.group), disciplines["basic"], CURRENT, str(50 + n))
    assert count_queries() == few


# --- "I" due dates (R43) --------------------------------------------------------------------------------------------


def test_chair_sets_a_due_date_the_student_is_told_and_it_is_audited(client, world, slot):
    result = incomplete(slot)
    client.force_login(world.chair)
    url = reverse("applications:incomplete_due", args=[result.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"due_date": "2020-06-20"})
    assert response.status_code == 302
    assert IncompleteDue.objects.get(result=result).due_date == dt.date(2020, 6, 20)
    assert AuditEvent.objects.filter(verb="incomplete.due_change").count() == 1
    assert Notification.objects.filter(user=world.student.user, kind="incomplete_due_set").count() == 1


def test_department_changes_a_due_date(client, world, slot):
    result = incomplete(slot)
    client.force_login(world.head)
    url = reverse("applications:incomplete_due", args=[result.pk])
    client.post(url, {"due_date": "2020-06-10"})
    client.post(url, {"due_date": "2020-06-25"})
    assert IncompleteDue.objects.get(result=result).due_date == dt.date(2020, 6, 25)
    change = AuditEvent.objects.filter(verb="incomplete.due_change").order_by("pk").last()
    assert change.before == {"due": "2020-06-10"}


def test_a_due_date_after_the_cutoff_is_refused_naming_the_cutoff(client, world, slot):
    result = incomplete(slot)
    client.force_login(world.chair)
    response = client.post(
        reverse("applications:incomplete_due", args=[result.pk]), {"due_date": "2020-07-01"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    assert "30.06.2020" in response.content.decode()
    assert not IncompleteDue.objects.exists()


def test_a_member_the_student_or_another_student_cannot_set_a_due_date(client, world, slot):
    result = incomplete(slot)
    for user in (world.member, world.student.user, world.other_student.user, world.outsider):
        client.force_login(user)
        assert (
            client.post(reverse("applications:incomplete_due", args=[result.pk]), {"due_date": "2020-06-20"}).status_code
            == 404
        )
    assert not IncompleteDue.objects.exists()


def test_the_incompletes_page_links_an_i_without_a_due_date_for_the_chair(client, world, slot):
    result = incomplete(slot)
    client.force_login(world.chair)
    page = client.get(reverse("applications:incompletes")).content.decode()
    assert reverse("applications:incomplete_due", args=[result.pk]) in page


# --- arts and culture (R46) -----------------------------------------------------------------------------------------


@pytest.fixture
def ballet(world):
    Programme.objects.filter(pk=world.programme.pk).update(code="0408013", level=Programme.Level.COLLEGE)
    return world.student


def test_ballet_result_is_refused_until_the_recording_and_reviews_are_attached(client, world, ballet, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.head)
    url = reverse("applications:arts_set", args=[ballet.pk])
    response = client.post(url, {"period": "2019-1", "average": "88.5", "characteristic": "Сахнада сенімді"})
    assert response.status_code == 400
    assert not ArtsResult.objects.exists()
    video = SimpleUploadedFile("stage.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32)
    response = client.post(
        url,
        {
            "period": "2019-1",
            "average": "88.5",
            "characteristic": "Сахнада сенімді",
            "recording": video,
            "employer_reviews": pdf("reviews.pdf"),
        },
    )
    assert response.status_code == 302
    row = ArtsResult.objects.get()
    assert (row.average, row.letter, bool(row.recording), bool(row.employer_reviews)) == (Decimal("88.50"), "B+", True, True)
    download = client.get(reverse("applications:arts_file", args=[row.pk, "reviews"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(world.student.user)
    assert client.get(reverse("applications:arts_file", args=[row.pk, "recording"])).status_code == 404


def test_a_renamed_file_is_not_a_recording(client, world, ballet, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.head)
    response = client.post(
        reverse("applications:arts_set", args=[ballet.pk]),
        {
            "period": "2019-1",
            "average": "80",
            "characteristic": "x",
            "recording": SimpleUploadedFile("stage.mp4", b"<html>not a video</html>"),
            "employer_reviews": pdf("reviews.pdf"),
        },
    )
    assert response.status_code == 400
    assert not ArtsResult.objects.exists()


def test_the_average_comes_from_the_transcript_when_imported(client, world, disciplines):
    Programme.objects.filter(pk=world.programme.pk).update(level=Programme.Level.COLLEGE)
    score(world.student, disciplines["basic"], FINAL, "70", period="2019-1")
    score(world.student, disciplines["profiling"], FINAL, "75", period="2019-1")
    client.force_login(world.head)
    url = reverse("applications:arts_set", args=[world.student.pk])
    assert client.get(url, {"period": "2019-1"}).context["form"]["average"].initial == Decimal("72.50")
    client.post(url, {"period": "2019-1", "average": "72.50", "characteristic": "Шығармашылығы жоғары"})
    assert ArtsResult.objects.get().letter == "C+"
    assert AuditEvent.objects.get(verb="arts_result.set").after["entered"] is False


def test_only_the_department_sets_an_arts_result(client, world, ballet, inst_admin):
    for user in (world.chair, world.student.user, world.outsider):
        client.force_login(user)
        assert client.get(reverse("applications:arts_set", args=[ballet.pk])).status_code == 404
        assert client.get(reverse("applications:arts_list", args=[world.department.pk])).status_code == 404
    client.force_login(inst_admin)  # the institution's office reads the list, without the links to set
    page = client.get(reverse("applications:arts_list", args=[world.department.pk]))
    assert page.status_code == 200 and reverse("applications:arts_set", args=[ballet.pk]) not in page.content.decode()
    assert client.get(reverse("applications:arts_set", args=[ballet.pk])).status_code == 404


def test_arts_list_query_count_does_not_grow_with_students(client, world, ballet):
    client.force_login(world.head)
    url = reverse("applications:arts_list", args=[world.department.pk])

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"period": "2019-1"}).status_code == 200
        return len(captured)

    few = count_queries()
    for _n in range(30):
        StudentFactory(group=world.group)
    assert count_queries() == few


def test_incompletes_page_query_count_does_not_grow_with_students(client, world):

    def add_incomplete(due: bool):
        student = StudentFactory(group=world.group)
        slot = Slot.objects.create(
            sitting=world.sitting,
            student=student,
            duration_minutes=30,
            starts_at=dt.datetime(2020, 5, 12, 13, 0, tzinfo=dt.UTC),
        )
        result = incomplete(slot)
        if due:
            IncompleteDue.objects.create(result=result, due_date=dt.date(2020, 6, 20), cutoff_date=dt.date(2020, 6, 30))

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("applications:incompletes")).status_code == 200
        return len(captured)

    client.force_login(world.head)
    for due in (True, False):
        add_incomplete(due)
    few = count_queries()
    for n in range(20):
        add_incomplete(n % 2 == 0)
    assert count_queries() == few
