"""Computer-based testing (R26, R30): the test is started without a ticket, the score becomes a grade on the scale and
the student's result, the testing system's file is imported, and the results are announced on the testing day."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import AuditEvent, Deadline, Notification
from attestation.institutions.models import Institution
from commissions.grading.services import results_announce
from commissions.models import Paper, Result, Slot
from commissions.papers.services import paper_render
from commissions.tests.test_papers import pdf_text
from exams import services, testing
from exams.exam_settings import exam_settings_update
from exams.models import Attempt
from exams.tests.conftest import admitted, move

pytestmark = pytest.mark.django_db
S = Attempt.State
ALMATY = ZoneInfo("Asia/Almaty")
TEST_START = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)
DAY_ENDS = dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)


@pytest.fixture
def testing_format(world):
    return exam_settings_update(
        commission=world.commission, actor=world.head, exam_format="testing", test_questions=50, test_minutes=60
    )


def started(world, student=None, attempt: Attempt | None = None) -> Attempt:
    attempt = attempt or admitted(world, student)
    with time_machine.travel(TEST_START, tick=False):
        return services.console_transition(attempt=attempt, to_state=S.WRITING, actor=world.secretary)


def finished(world, student=None) -> Attempt:
    return move(started(world, student), S.FINISHED, actor=world.secretary)


def test_a_test_starts_without_a_ticket_with_the_commissions_minutes_and_sets_the_same_day_deadlines(world, testing_format):
    attempt = admitted(world)
    assert attempt.kind == Attempt.Kind.TESTING
    assert [label for _s, label in services.states.labelled_moves(attempt.state, attempt.kind)][0] == "Start the test"
    attempt = started(world, attempt=attempt)
    assert attempt.state == S.WRITING
    assert attempt.deadline_at == TEST_START + dt.timedelta(minutes=60)
    due = {d.kind: d.due_at for d in Deadline.objects.filter(object_id=world.sitting.pk, kind__startswith="exams_testing")}
    assert due == {testing.TESTING_DUE: DAY_ENDS, testing.TESTING_WARN: DAY_ENDS - dt.timedelta(hours=2)}
    with pytest.raises(ValidationError, match="no tickets"):
        services.ticket_draw(attempt=attempt, actor=world.student.user)


def test_a_written_exam_still_cannot_skip_the_draw(world, written):
    attempt = admitted(world)
    assert "writing" not in [s for s, _label in services.states.labelled_moves(attempt.state, attempt.kind)]
    with pytest.raises(ValidationError, match="draw of a ticket"):
        services.console_transition(attempt=attempt, to_state=S.WRITING, actor=world.secretary)


def test_a_score_becomes_a_grade_on_the_scale_and_the_students_result_not_yet_announced(world, testing_format):
    attempt = finished(world)
    score = testing.test_score_record(attempt=attempt, correct=40, actor=world.secretary)
    assert (score.questions, score.correct, score.percent, score.source) == (50, 40, Decimal("80.00"), "entry")
    result = Result.objects.get(slot=attempt.slot)
    assert (result.letter, result.points, result.source, result.announced_at) == ("B", Decimal("80.00"), "testing", None)
    testing.test_score_record(attempt=attempt, correct=23, actor=world.secretary)  # corrected before the announcement
    result.refresh_from_db()
    assert (result.letter, result.traditional) == ("FX", "unsatisfactory")
    assert AuditEvent.objects.filter(verb="test_score.record").count() == 2


def test_a_score_is_refused_before_the_test_is_finished_beyond_the_test_and_after_the_announcement(world, testing_format):
    attempt = started(world)
    with pytest.raises(ValidationError, match="has not finished the test"):
        testing.test_score_record(attempt=attempt, correct=10, actor=world.secretary)
    attempt = move(attempt, S.FINISHED, actor=world.secretary)
    with pytest.raises(ValidationError, match="from 0 to 50"):
        testing.test_score_record(attempt=attempt, correct=51, actor=world.secretary)
    testing.test_score_record(attempt=attempt, correct=45, actor=world.secretary)
    results_announce(actor=world.chair, sitting=world.sitting)
    with pytest.raises(ValidationError, match="goes through an appeal"):
        testing.test_score_record(attempt=attempt, correct=50, actor=world.secretary)
    assert Result.objects.get(slot=attempt.slot).letter == "A-"


def test_only_the_secretary_records_a_score(world, testing_format):
    attempt = finished(world)
    for person in (world.chair, world.member, world.outsider):
        with pytest.raises(testing.PermissionDenied):
            testing.test_score_record(attempt=attempt, correct=40, actor=person)
    assert not testing.TestScore.objects.exists()


def test_the_testing_systems_file_records_scores_and_reports_the_rows_it_cannot(world, testing_format):
    finished(world)
    started(world, world.other_student)  # still testing: no score yet
    text = f"IIN;correct\n{world.student.iin};47\n{world.other_student.iin};30\n990101300123;20\n{world.student.iin};many\n"
    upload = SimpleUploadedFile("results.csv", text.encode("cp1251"))
    report = testing.test_scores_import(sitting=world.sitting, upload=upload, kind="csv", actor=world.secretary)
    assert report.recorded == 1
    assert [e.split(":")[0] for e in report.errors] == ["Row 3", "Row 4", "Row 5"]
    assert "has not finished the test" in report.errors[0]
    score = testing.TestScore.objects.get()
    assert (score.attempt.slot.student, score.correct, score.source, score.file_name) == (
        world.student,
        47,
        "import",
        "results.csv",
    )


def test_the_end_of_the_testing_day_announces_the_recorded_scores_and_names_the_missing_ones(
    world, testing_format, django_capture_on_commit_callbacks
):
    scored = finished(world)
    started(world, world.other_student)
    testing.test_score_record(attempt=scored, correct=44, actor=world.secretary)
    deadlines_sweep(now=DAY_ENDS - dt.timedelta(hours=3))  # the day's other deadlines (reminders) go first
    ours = Deadline.objects.filter(kind__startswith="exams_testing")
    assert set(ours.values_list("state", flat=True)) == {Deadline.State.PENDING}
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=DAY_ENDS - dt.timedelta(hours=2)) == 1  # the warning
    warned = Notification.objects.filter(kind=testing.TESTING_WARN)
    assert sorted(n.user.username for n in warned) == ["chair", "secretary"]
    assert world.other_student.full_name in warned.first().body
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=DAY_ENDS) == 1
    result = Result.objects.get(slot=scored.slot)
    assert result.announced_at == DAY_ENDS
    assert Notification.objects.filter(user=world.student.user, kind="result").exists()
    assert Deadline.objects.filter(kind="appeal_window_close", object_id=result.pk).exists()  # R47 from R30's act
    missing = Notification.objects.get(kind=testing.TESTING_DUE, user=world.secretary)
    assert world.other_student.full_name in missing.body
    event = AuditEvent.objects.get(verb="testing.results_due")
    unscored = Attempt.objects.get(slot__student=world.other_student).slot_id
    assert event.after == {"announced": [result.pk], "without_score": [unscored]}
    assert deadlines_sweep(now=DAY_ENDS + dt.timedelta(hours=1)) == 0


def test_the_day_ends_quietly_when_the_chair_announced_every_test_result(world, testing_format):
    attempt = finished(world)
    testing.test_score_record(attempt=attempt, correct=44, actor=world.secretary)
    announced = results_announce(actor=world.chair, sitting=world.sitting)
    assert [r.source for r in announced] == ["testing"]
    deadlines_sweep(now=DAY_ENDS)
    assert set(Deadline.objects.filter(kind__startswith="exams_testing").values_list("state", flat=True)) == {
        Deadline.State.SKIPPED
    }
    assert not Notification.objects.filter(kind__startswith="exams_testing").exists()


def test_the_commissions_test_stays_in_the_policys_lawful_range_and_its_format_is_fixed_once_a_test_started(
    world, testing_format
):
    with pytest.raises(ValidationError) as caught:
        exam_settings_update(commission=world.commission, actor=world.head, test_questions=5, test_minutes=600)
    assert set(caught.value.error_dict) == {"test_questions", "test_minutes"}
    started(world)
    with pytest.raises(ValidationError, match="A test has already started"):
        exam_settings_update(commission=world.commission, actor=world.head, exam_format="oral")


def _page(world) -> str:
    return reverse("exams:testing", args=[world.sitting.pk])


def test_the_secretary_records_a_score_and_imports_a_file_on_the_test_results_page(client, world, testing_format):
    attempt = finished(world)
    client.force_login(world.secretary)
    page = client.get(_page(world)).content.decode()
    assert "50 questions, 60 minutes" in page and world.student.full_name in page
    response = client.post(_page(world), {"slot": attempt.slot_id, "correct": "38"}, follow=True)
    assert f"The score of {world.student} is recorded." in response.content.decode()
    assert Result.objects.get(slot=attempt.slot).letter == "B-"
    upload = io.BytesIO(f"{world.student.iin},41\n".encode())
    upload.name = "scores.csv"
    response = client.post(_page(world), {"import": "1", "file": upload}, follow=True)
    assert "Scores recorded from the file: 1." in response.content.decode()
    assert Result.objects.get(slot=attempt.slot).letter == "B"


def test_the_chair_sees_the_page_but_cannot_record_and_an_outsider_does_not_find_it(client, world, testing_format):
    attempt = finished(world)
    client.force_login(world.chair)
    assert "Announce the results" in client.get(_page(world)).content.decode()
    assert client.post(_page(world), {"slot": attempt.slot_id, "correct": "38"}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(_page(world)).status_code == 404
    assert not testing.TestScore.objects.exists()


def test_the_student_sees_the_test_link_and_size_once_the_test_starts(client, world, testing_format):
    exam_settings_update(commission=world.commission, actor=world.head, test_url="https://lms.example.kz/test/7")
    attempt = admitted(world)
    client.force_login(world.student.user)
    url = reverse("exams:student_exam", args=[attempt.slot_id])
    page = client.get(url).content.decode()
    assert 'id="test-wait"' in page and "https://lms.example.kz/test/7" not in page
    started(world, attempt=attempt)
    page = client.get(url).content.decode()
    assert "https://lms.example.kz/test/7" in page and "50 questions, 60 minutes" in page


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _kk(message: str) -> str:
    with translation.override("kk"):
        return gettext(message)


def test_the_protocol_and_the_vedomost_name_the_test_and_print_its_score_in_kazakh(world, testing_format, media):
    attempt = finished(world)
    testing.test_score_record(attempt=attempt, correct=44, actor=world.secretary)
    results_announce(actor=world.chair, sitting=world.sitting)
    protocol = paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=attempt.slot)
    text = " ".join(pdf_text(protocol.document.file.read(), media).split())
    assert _kk("computer-based testing") in text
    assert "44" in text and "88.00" in text
    assert _kk("The grade is the result of the computer-based test, converted to the grade scale.")[:40] in text
    assert _kk("Grades of the members") not in text
    sheet = paper_render(actor=world.secretary, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)
    sheet_text = " ".join(pdf_text(sheet.document.file.read(), media).split())
    assert _kk("computer-based testing") in sheet_text and "B+" in sheet_text


def test_the_commission_page_and_the_students_schedule_show_the_test(client, world, testing_format):
    client.force_login(world.secretary)
    page = client.get(reverse("commissions:commission", args=[world.commission.pk])).content.decode()
    assert "computer-based testing" in page and reverse("exams:testing", args=[world.sitting.pk]) in page
    client.force_login(world.student.user)
    assert "computer-based testing" in client.get(reverse("commissions:my_schedule")).content.decode()
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    assert "computer-based testing" in client.get(reverse("commissions:slot", args=[slot.pk])).content.decode()


def test_a_colleges_complex_testing_lists_several_disciplines_or_modules_and_the_protocol_names_them(world, media):
    Institution.objects.filter(pk=world.institution.pk).update(kind=Institution.Kind.TVET)
    world.commission.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        exam_settings_update(
            commission=world.commission, actor=world.head, exam_format="testing", test_modules="Электротехника"
        )
    assert "test_modules" in caught.value.error_dict
    exam_settings_update(
        commission=world.commission,
        actor=world.head,
        exam_format="testing",
        test_modules="Электротехника\nКМ 03 Электр жабдықтарын монтаждау\n",
    )
    attempt = finished(world)
    testing.test_score_record(attempt=attempt, correct=44, actor=world.secretary)
    results_announce(actor=world.chair, sitting=world.sitting)
    protocol = paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=attempt.slot)
    text = " ".join(pdf_text(protocol.document.file.read(), media).split())
    assert "Электротехника; КМ 03 Электр жабдықтарын монтаждау" in text
