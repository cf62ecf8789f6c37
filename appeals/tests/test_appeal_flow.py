import datetime as dt
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from appeals import services
from appeals.models import Appeal
from appeals.tests.conftest import ALMATY, make_result
from attestation.celery import app
from attestation.core.deadlines import deadline_handle, deadlines_sweep
from attestation.core.models import AuditEvent, Deadline, Notification
from commissions.grading.services import results_announce
from commissions.models import Paper, Result, Slot
from commissions.papers.services import paper_render

pytestmark = pytest.mark.django_db
FILED = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)  # Tue 12 May 2020


def test_window_is_two_working_days_across_the_may_2020_holidays(result):
    # Announced Wed 6 May; 7 May holiday, 8 May transferred day off, 9-10 May weekend: Mon 11 and Tue 12 count.
    assert services.appeal_window_closes(result) == dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)


def test_filing_at_the_last_minute_is_accepted(world, result):
    appeal = services.appeal_file(
        actor=world.student.user,
        result=result,
        reasons="Сұрақ дұрыс бағаланбады",
        now=dt.datetime(2020, 5, 12, 23, 59, tzinfo=ALMATY),
    )
    assert appeal.state == Appeal.State.FILED


def test_filing_after_the_window_is_refused(world, result):
    with pytest.raises(ValidationError) as exc:
        services.appeal_file(
            actor=world.student.user, result=result, reasons="late", now=dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)
        )
    assert "12.05.2020 23:59" in exc.value.messages[0]


def test_a_policy_can_give_a_longer_window(world, result):
    world.institution.policies.update(appeal_window_working_days=3)
    assert services.appeal_window_closes(result).date() == dt.date(2020, 5, 14)


def test_another_student_cannot_appeal_my_result(world, result):
    with pytest.raises(ValidationError):
        services.appeal_file(actor=world.other_student.user, result=result, reasons="x", now=FILED)


def test_a_result_is_appealed_once(world, result):
    services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    with pytest.raises(ValidationError):
        services.appeal_file(actor=world.student.user, result=result, reasons="again", now=FILED)


def test_hearing_must_be_within_two_working_days_of_filing(world, result, appeal_people):
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    assert appeal.hearing_due_at == dt.datetime(2020, 5, 15, 0, 0, tzinfo=ALMATY)
    with pytest.raises(ValidationError) as exc:
        services.appeal_schedule_hearing(
            actor=appeal_people[0], appeal=appeal, hearing_at=dt.datetime(2020, 5, 15, 10, 0, tzinfo=ALMATY), now=FILED
        )
    assert "hearing_at" in exc.value.message_dict
    services.appeal_schedule_hearing(
        actor=appeal_people[0], appeal=appeal, hearing_at=dt.datetime(2020, 5, 14, 15, 0, tzinfo=ALMATY), now=FILED
    )


def test_only_appeal_members_schedule_the_hearing(world, result):
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    with pytest.raises(ValidationError):
        services.appeal_schedule_hearing(
            actor=world.chair, appeal=appeal, hearing_at=dt.datetime(2020, 5, 14, 15, tzinfo=ALMATY), now=FILED
        )


def heard(world, result, appeal_people):
    appeal = services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    return services.appeal_schedule_hearing(
        actor=appeal_people[0], appeal=appeal, hearing_at=dt.datetime(2020, 5, 14, 15, tzinfo=ALMATY), now=FILED
    )


def test_a_vote_before_the_hearing_starts_is_refused_with_the_hearing_time(world, result, appeal_people):
    appeal = heard(world, result, appeal_people)
    with pytest.raises(ValidationError) as exc:
        services.appeal_vote(
            actor=appeal_people[0], appeal=appeal, outcome="upheld", now=dt.datetime(2020, 5, 14, 14, 59, tzinfo=ALMATY)
        )
    assert "14.05.2020 15:00" in exc.value.messages[0]
    assert not appeal.votes.exists()
    services.appeal_vote(
        actor=appeal_people[0], appeal=appeal, outcome="upheld", now=dt.datetime(2020, 5, 14, 15, 0, tzinfo=ALMATY)
    )
    assert appeal.votes.count() == 1


def test_majority_changes_the_grade_and_the_student_gets_the_answer(world, result, appeal_people):
    appeal = heard(world, result, appeal_people)
    services.appeal_vote(actor=appeal_people[0], appeal=appeal, outcome="changed", points=80)
    services.appeal_vote(actor=appeal_people[1], appeal=appeal, outcome="changed", points=85)
    services.appeal_vote(actor=appeal_people[2], appeal=appeal, outcome="upheld", note="Дауыс беру нәтижесі")
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.new_letter, appeal.state) == ("changed", "B", Appeal.State.ANSWERED)
    result.refresh_from_db()
    assert (result.letter, result.points, result.source) == ("B", 82.5, Result.Source.APPEAL)
    change = AuditEvent.objects.get(verb="result.appeal_change")
    assert change.before["letter"] == "C"
    assert Notification.objects.filter(user=world.student.user, kind="answer").exists()


def test_majority_upholds_the_grade(world, result, appeal_people):
    appeal = heard(world, result, appeal_people)
    for user, outcome in zip(appeal_people, ["upheld", "upheld", "changed"], strict=True):
        services.appeal_vote(actor=user, appeal=appeal, outcome=outcome, points=90 if outcome == "changed" else None)
    appeal.refresh_from_db()
    result.refresh_from_db()
    assert appeal.outcome == "upheld"
    assert result.letter == "C"


def test_a_member_votes_once(world, result, appeal_people):
    appeal = heard(world, result, appeal_people)
    services.appeal_vote(actor=appeal_people[0], appeal=appeal, outcome="upheld")
    with pytest.raises(ValidationError):
        services.appeal_vote(actor=appeal_people[0], appeal=appeal, outcome="changed", points=90)


def test_a_missed_hearing_is_escalated_once(world, result, inst_admin):
    services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    late = dt.datetime(2020, 5, 15, 0, 1, tzinfo=ALMATY)
    deadlines_sweep(now=late)
    deadlines_sweep(now=late + dt.timedelta(hours=1))
    assert Notification.objects.filter(user=inst_admin, kind="appeal_hearing_missed").count() == 1


def test_the_appeal_commission_is_warned_the_day_before_the_deadline(world, result, appeal_people):
    services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    deadlines_sweep(now=dt.datetime(2020, 5, 14, 0, 1, tzinfo=ALMATY))
    assert Notification.objects.filter(kind="appeal_hearing_warn").count() == 3


def test_no_escalation_when_the_hearing_was_scheduled(world, result, appeal_people, inst_admin):
    heard(world, result, appeal_people)
    deadlines_sweep(now=dt.datetime(2020, 5, 16, tzinfo=ALMATY))
    assert not Notification.objects.filter(user=inst_admin).exists()


def test_the_attestation_commission_learns_that_an_appeal_exists(world, result):
    services.appeal_file(actor=world.student.user, result=result, reasons="x", now=FILED)
    assert Notification.objects.filter(user=world.secretary, kind="exists").exists()
    assert Notification.objects.filter(user=world.chair, kind="exists").exists()


def test_an_unannounced_result_cannot_be_appealed(world, appeal_commission):
    slot = Slot.objects.get(sitting=world.sitting, student=world.other_student)
    result = make_result(slot, announced=None)
    with pytest.raises(ValidationError):
        services.appeal_file(actor=world.other_student.user, result=result, reasons="x", now=FILED)


def test_a_changed_grade_amends_the_protocol_and_the_grade_sheet(
    world, result, appeal_people, settings, tmp_path, django_capture_on_commit_callbacks
):

    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True

    app.conf.task_always_eager = True
    try:
        original = paper_render(actor=world.chair, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=result.slot)
        paper_render(actor=world.chair, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)
        appeal = heard(world, result, appeal_people)
        with django_capture_on_commit_callbacks(execute=True):
            services.appeal_vote(actor=appeal_people[0], appeal=appeal, outcome="changed", points=80)
            services.appeal_vote(actor=appeal_people[1], appeal=appeal, outcome="changed", points=85)
            services.appeal_vote(actor=appeal_people[2], appeal=appeal, outcome="upheld")
    finally:
        app.conf.task_always_eager = False
    amended = Paper.objects.filter(document__amends__isnull=False)
    assert {p.kind for p in amended} == {"protocol", "vedomost"}
    protocol = amended.get(kind="protocol")
    assert protocol.document.amends_id == original.document_id
    original.document.refresh_from_db()
    assert original.document.amends is None  # the original stays as it was
    path = tmp_path / "amended.pdf"
    path.write_bytes(protocol.document.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "B" in text and original.document.sha256[:12] in text


def test_results_published_on_friday_8_may_2020_close_after_tuesday(world, appeal_commission):
    # 8 May 2020 was the transferred day off, 9 May Victory Day (Saturday), 10 May Sunday: Mon 11 and Tue 12 count.
    slot = Slot.objects.get(sitting=world.sitting, student=world.other_student)
    friday = make_result(slot, announced=dt.datetime(2020, 5, 8, 16, 0, tzinfo=ALMATY))
    assert services.appeal_window_closes(friday) == dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)
    services.appeal_file(
        actor=world.other_student.user, result=friday, reasons="x", now=dt.datetime(2020, 5, 12, 23, 59, tzinfo=ALMATY)
    )


def test_filing_one_minute_after_the_friday_window_is_refused(world, appeal_commission):
    slot = Slot.objects.get(sitting=world.sitting, student=world.other_student)
    friday = make_result(slot, announced=dt.datetime(2020, 5, 8, 16, 0, tzinfo=ALMATY))
    with pytest.raises(ValidationError):
        services.appeal_file(
            actor=world.other_student.user, result=friday, reasons="x", now=dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)
        )


def test_announcing_stores_the_window_and_the_sweep_closes_it_once(world, appeal_commission):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Result.objects.create(
        slot=slot,
        points=67,
        letter="C",
        gpa="2.00",
        traditional="satisfactory",
        source=Result.Source.COMMISSION,
        decided_at=dt.datetime(2020, 5, 8, tzinfo=ALMATY),
    )

    with time_machine.travel(dt.datetime(2020, 5, 8, 16, 0, tzinfo=ALMATY), tick=False):
        results_announce(actor=world.chair, sitting=world.sitting)
    deadline = Deadline.objects.get(kind="appeal_window_close")
    assert deadline.due_at == dt.datetime(2020, 5, 13, 0, 0, tzinfo=ALMATY)
    late = dt.datetime(2020, 5, 20, tzinfo=ALMATY)  # the worker was down for a week: it catches up, once
    deadlines_sweep(now=late)
    deadlines_sweep(now=late)
    assert Notification.objects.filter(user=world.student.user, kind="appeal_window_close").count() == 1


def test_amendments_whose_message_was_lost_are_made_by_the_sweep_exactly_once(
    world, result, appeal_people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    paper_render(actor=world.chair, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=result.slot)
    paper_render(actor=world.chair, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)
    appeal = heard(world, result, appeal_people)
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down: the task was never sent
        services.appeal_vote(actor=appeal_people[0], appeal=appeal, outcome="changed", points=80)
        services.appeal_vote(actor=appeal_people[1], appeal=appeal, outcome="changed", points=85)
        services.appeal_vote(actor=appeal_people[2], appeal=appeal, outcome="upheld")
    amend = Deadline.objects.get(kind=services.AMEND_DOCUMENTS, object_id=appeal.pk)
    assert not Paper.objects.filter(document__amends__isnull=False).exists()
    later = timezone.now() + dt.timedelta(minutes=1)
    deadlines_sweep(now=later)
    deadlines_sweep(now=later)  # twice, as after a worker restart
    assert deadline_handle(pk=amend.pk, now=later) is False  # the task's late message finds it claimed
    assert sorted(Paper.objects.filter(document__amends__isnull=False).values_list("kind", flat=True)) == [
        "protocol",
        "vedomost",
    ]
