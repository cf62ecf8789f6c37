"""R40 (no retake), R41 (the commission's next sitting day) and R43 (every open "I" acted on at the cutoff)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import Deadline
from attestation.institutions import services as institution_services
from commissions import services as commission_services
from commissions.models import Result, Slot
from exams.applications import incompletes, services
from exams.applications.models import Application
from exams.applications.tests.conftest import ALMATY, DURING, incomplete, pdf

pytestmark = pytest.mark.django_db
Kind = Application.Kind
BEFORE = dt.datetime(2020, 5, 11, 10, 0, tzinfo=ALMATY)


def graded(slot: Slot, letter: str = "F") -> Result:
    return Result.objects.create(
        slot=slot, letter=letter, points=20, traditional="unsatisfactory", source=Result.Source.COMMISSION, decided_at=DURING
    )


def file_missed(world, slot, now=DURING):
    return services.application_file(
        actor=world.student.user, kind=Kind.MISSED, slot=slot, reasons="Ауырдым", document=pdf(), now=now
    )


def sitting_on(world, day: dt.date):
    return commission_services.sitting_create(
        actor=world.chair,
        commission=world.commission,
        date=day,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(14, 0),
        meeting_url="https://zoom.us/j/2",
    )


def test_a_graded_student_cannot_file_missed_for_a_valid_reason(world, slot):
    graded(slot)
    with pytest.raises(ValidationError) as exc:
        file_missed(world, slot)
    assert "F" in str(exc.value)


def test_a_student_who_sat_the_exam_cannot_file_missed_before_the_grade(world, slot):
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.DONE)
    with pytest.raises(ValidationError):
        file_missed(world, slot.__class__.objects.get(pk=slot.pk))


def test_missed_filed_before_the_grade_is_not_approved_after_it(world, slot):
    application = file_missed(world, slot)
    graded(slot, "B")
    later = sitting_on(world, dt.date(2020, 5, 20))
    with pytest.raises(ValidationError):
        services.application_decide(actor=world.chair, application=application, approve=True, sitting=later, now=DURING)
    assert not Slot.objects.filter(sitting=later).exists()


def test_a_graded_student_cannot_postpone(world, slot):
    graded(slot)
    with pytest.raises(ValidationError):
        services.application_file(
            actor=world.student.user,
            kind=Kind.POSTPONEMENT,
            slot=slot,
            ground=Application.Ground.NO_EQUIPMENT,
            requested_date=dt.date(2020, 6, 15),
            reasons="x",
            now=DURING,
        )


def test_the_schedule_refuses_a_new_slot_to_a_graded_student(world, slot):
    graded(slot)
    later = sitting_on(world, dt.date(2020, 5, 20))
    with pytest.raises(ValidationError) as exc:
        commission_services.slot_create(actor=world.chair, sitting=later, student=world.student)
    assert " F " in str(exc.value)
    assert not Slot.objects.filter(sitting=later).exists()


def test_an_i_does_not_stop_the_student_from_sitting_later(world, slot):
    incomplete(slot)
    later = sitting_on(world, dt.date(2020, 5, 20))
    assert commission_services.slot_create(actor=world.chair, sitting=later, student=world.student).sitting == later


def test_missed_refuses_a_holiday(world, slot):
    application = file_missed(world, slot)
    with pytest.raises(ValidationError) as exc:  # Saturday
        services.application_decide(
            actor=world.chair, application=application, approve=True, sitting_date=dt.date(2020, 5, 16), now=DURING
        )
    assert "16.05.2020" in str(exc.value)


def test_missed_refuses_a_day_outside_the_period(world, slot):
    application = file_missed(world, slot)
    with pytest.raises(ValidationError) as exc:
        services.application_decide(
            actor=world.chair, application=application, approve=True, sitting_date=dt.date(2021, 5, 12), now=DURING
        )
    assert "30.06.2020" in str(exc.value)


def test_missed_goes_to_the_next_sitting_day_not_a_later_one(world, slot):
    next_day = sitting_on(world, dt.date(2020, 5, 20))
    application = file_missed(world, slot)
    with pytest.raises(ValidationError) as exc:
        services.application_decide(
            actor=world.chair, application=application, approve=True, sitting_date=dt.date(2020, 5, 27), now=DURING
        )
    assert "20.05.2020" in str(exc.value)
    decided = services.application_decide(
        actor=world.chair, application=application, approve=True, sitting=next_day, now=DURING
    )
    assert decided.new_slot.sitting == next_day


def test_missed_refuses_a_day_already_past_when_the_chair_decides(world, slot):
    application = file_missed(world, slot)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=world.chair,
            application=application,
            approve=True,
            sitting_date=dt.date(2020, 5, 14),
            now=dt.datetime(2020, 5, 15, 9, 0, tzinfo=ALMATY),
        )


def test_postponement_to_a_date_already_past_is_refused(world, slot):
    with pytest.raises(ValidationError) as exc:
        services.application_file(
            actor=world.student.user,
            kind=Kind.POSTPONEMENT,
            slot=slot,
            ground=Application.Ground.NO_EQUIPMENT,
            requested_date=dt.date(2020, 5, 5),
            reasons="x",
            now=DURING,
        )
    assert "requested_date" in exc.value.message_dict


def test_postponement_decided_after_its_date_passed_does_not_become_f(world, slot):
    application = services.application_file(
        actor=world.student.user,
        kind=Kind.POSTPONEMENT,
        slot=slot,
        ground=Application.Ground.NO_EQUIPMENT,
        requested_date=dt.date(2020, 5, 20),
        reasons="x",
        now=DURING,
    )
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=world.head, application=application, approve=True, now=dt.datetime(2020, 5, 25, 9, tzinfo=ALMATY)
        )
    assert not Result.objects.filter(slot=slot).exists()


def test_the_cutoff_is_a_deadline_of_the_policy_from_its_creation(world, policy):
    deadline = Deadline.objects.get(kind=incompletes.POLICY_CUTOFF, object_id=policy.pk)
    assert deadline.due_at == dt.datetime(2020, 7, 1, tzinfo=ALMATY)
    institution_services.policy_update(actor=world.chair, policy=policy, changes={"cutoff_date": dt.date(2020, 6, 25)})
    deadline.refresh_from_db()
    assert deadline.due_at == dt.datetime(2020, 6, 26, tzinfo=ALMATY)


def test_an_i_without_any_due_date_in_the_year_is_acted_on_at_the_cutoff(world, slot):
    stray = incomplete(slot)  # nobody ever set a due date in this institution
    deadlines_sweep(now=dt.datetime(2020, 7, 1, 0, 0, tzinfo=ALMATY))
    stray.refresh_from_db()
    assert stray.letter == "F"
