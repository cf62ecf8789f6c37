import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attestation.core.models import AuditEvent, Notification
from commissions.models import Result, Slot
from exams.applications import permissions, services
from exams.applications.models import Application, IncompleteDue, TranscriptRow
from exams.applications.selectors import decision_queue
from exams.applications.tests.conftest import DURING, pdf, score

pytestmark = pytest.mark.django_db
Kind = Application.Kind


def file_missed(world, slot):
    return services.application_file(
        actor=world.student.user, kind=Kind.MISSED, slot=slot, reasons="Ауырдым", document=pdf(), now=DURING
    )


def file_postponement(world, slot, day=dt.date(2020, 6, 15)):
    return services.application_file(
        actor=world.student.user,
        kind=Kind.POSTPONEMENT,
        slot=slot,
        ground=Application.Ground.NO_EQUIPMENT,
        requested_date=day,
        reasons="Интернет жоқ",
        now=DURING,
    )


def file_restudy(world, discipline):
    return services.application_file(
        actor=world.student.user,
        kind=Kind.RESTUDY,
        discipline=discipline,
        period="2019-2",
        reasons="Компьютер жоқ",
        now=DURING,
    )


def test_missed_needs_a_supporting_document(world, slot):
    with pytest.raises(ValidationError):
        services.application_file(actor=world.student.user, kind=Kind.MISSED, slot=slot, reasons="x")


def test_filing_tells_the_chair_and_only_once_an_open_application(world, slot):
    file_missed(world, slot)
    assert Notification.objects.filter(user=world.chair, kind="application_filed").count() == 1
    with pytest.raises(ValidationError):
        file_missed(world, slot)


def test_missed_approved_places_the_student_on_the_next_sitting_day(world, slot, later_sitting):
    application = file_missed(world, slot)
    decided = services.application_decide(
        actor=world.chair, application=application, approve=True, sitting=later_sitting, now=DURING
    )
    assert decided.state == Application.State.APPROVED and decided.decided_by == world.chair
    assert decided.new_slot.sitting == later_sitting and decided.new_slot.student == world.student
    assert Notification.objects.filter(user=world.student.user, kind="application_decided").count() == 1


def test_missed_chair_may_set_a_new_sitting_day(world, slot):
    application = file_missed(world, slot)
    decided = services.application_decide(
        actor=world.chair, application=application, approve=True, sitting_date=dt.date(2020, 5, 26), now=DURING
    )
    assert decided.new_slot.sitting.date == dt.date(2020, 5, 26)


def test_missed_refuses_a_sitting_day_that_is_not_later(world, slot):
    application = file_missed(world, slot)
    with pytest.raises(ValidationError):
        services.application_decide(actor=world.chair, application=application, approve=True, sitting=world.sitting)


def test_postponement_after_the_cutoff_is_refused(world, slot):
    with pytest.raises(ValidationError) as exc:
        file_postponement(world, slot, dt.date(2020, 7, 1))
    assert "30.06.2020" in str(exc.value)


def test_postponement_approved_makes_the_result_i_with_its_due_date(world, slot):
    application = file_postponement(world, slot)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=world.head, application=application, approve=True, new_date=dt.date(2020, 7, 10), now=DURING
        )
    services.application_decide(actor=world.head, application=application, approve=True, now=DURING)
    result = Result.objects.get(slot=slot)
    assert result.letter == "I"
    assert result.incomplete_due.due_date == dt.date(2020, 6, 15)
    assert result.incomplete_due.state == IncompleteDue.State.OPEN
    assert Slot.objects.get(pk=slot.pk).status == Slot.Status.POSTPONED


def test_an_approved_postponement_places_the_student_in_a_slot_on_the_new_day(world, slot):
    application = file_postponement(world, slot, dt.date(2020, 6, 15))
    decided = services.application_decide(actor=world.head, application=application, approve=True, now=DURING)
    new = Slot.objects.select_related("sitting").get(pk=decided.new_slot_id)
    assert (new.student, new.sitting.commission, new.sitting.date) == (world.student, world.commission, dt.date(2020, 6, 15))
    assert new.pk != slot.pk and new.status == Slot.Status.SCHEDULED
    assert Notification.objects.filter(user=world.student.user, kind="timetable_slot").exists()


def test_a_postponement_to_a_day_without_room_is_approved_and_the_secretary_is_asked_to_place_the_student(world, slot):
    application = file_postponement(world, slot, dt.date(2020, 6, 14))  # a Sunday: no sitting can be held
    decided = services.application_decide(actor=world.head, application=application, approve=True, now=DURING)
    assert decided.state == Application.State.APPROVED and decided.new_slot is None
    asked = Notification.objects.get(user=world.secretary, kind="postponement_to_place")
    assert "14.06.2020" in asked.body and asked.url.endswith(f"/commissions/{world.commission.pk}/plan/")


def test_summative_intermediate_approved_writes_the_average(world, disciplines):
    score(world.student, disciplines["basic"], TranscriptRow.Kind.CURRENT, "76")
    score(world.student, disciplines["basic"], TranscriptRow.Kind.MIDTERM, "83")
    application = services.application_file(
        actor=world.student.user,
        kind=Kind.SUMMATIVE,
        attestation=Application.Attestation.INTERMEDIATE,
        discipline=disciplines["basic"],
        period="2019-2",
        reasons="Емтихан онлайн өтпейді",
    )
    decided = services.application_decide(actor=world.head, application=application, approve=True)
    assert (decided.grade_points, decided.grade_letter) == (Decimal("79.50"), "B-")


def test_summative_final_approved_replaces_the_complex_exam_result(world, slot, disciplines):
    score(world.student, disciplines["basic"], TranscriptRow.Kind.FINAL, "95", period="2018-1")
    score(world.student, disciplines["profiling"], TranscriptRow.Kind.FINAL, "94", period="2019-1")
    application = services.application_file(
        actor=world.student.user, kind=Kind.SUMMATIVE, slot=slot, attestation=Application.Attestation.FINAL, reasons="x"
    )
    services.application_decide(actor=world.head, application=application, approve=True)
    result = Result.objects.get(slot=slot)
    assert (result.points, result.letter, result.source) == (Decimal("94.50"), "A-", Result.Source.SUMMATIVE)
    assert AuditEvent.objects.filter(verb="result.summative").count() == 1


def test_restudy_moves_the_discipline_to_the_next_period(world, disciplines):
    application = file_restudy(world, disciplines["basic"])
    decided = services.application_decide(actor=world.head, application=application, approve=True)
    assert decided.target_period == "2019-S"


def test_restudy_refuses_an_earlier_period(world, disciplines):
    application = file_restudy(world, disciplines["basic"])
    with pytest.raises(ValidationError):
        services.application_decide(actor=world.head, application=application, approve=True, target_period="2019-1")


def test_rejection_needs_a_reason_and_is_final(world, disciplines):
    application = file_restudy(world, disciplines["basic"])
    with pytest.raises(ValidationError):
        services.application_decide(actor=world.head, application=application, approve=False)
    services.application_decide(actor=world.head, application=application, approve=False, reason="Жабдық бар")
    with pytest.raises(ValidationError):
        services.application_decide(actor=world.head, application=application, approve=True)


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (Kind.MISSED, {"chair"}),
        (Kind.POSTPONEMENT, {"head", "inst_admin"}),
        (Kind.RESTUDY, {"head"}),
    ],
)
def test_who_may_decide_what(world, slot, disciplines, inst_admin, kind, allowed):
    application = {
        Kind.MISSED: lambda: file_missed(world, slot),
        Kind.POSTPONEMENT: lambda: file_postponement(world, slot),
        Kind.RESTUDY: lambda: file_restudy(world, disciplines["basic"]),
    }[kind]()
    people = {
        "chair": world.chair,
        "member": world.member,
        "secretary": world.secretary,
        "head": world.head,
        "inst_admin": inst_admin,
        "outsider": world.outsider,
        "student": world.student.user,
        "other_student": world.other_student.user,
    }
    assert {name for name, user in people.items() if permissions.can_decide(user, application)} == allowed


def test_summative_is_the_department_heads(world, disciplines, inst_admin):
    score(world.student, disciplines["basic"], TranscriptRow.Kind.CURRENT, "76")
    application = services.application_file(
        actor=world.student.user,
        kind=Kind.SUMMATIVE,
        attestation=Application.Attestation.INTERMEDIATE,
        discipline=disciplines["basic"],
        period="2019-2",
        reasons="x",
    )
    for user in (world.chair, inst_admin, world.student.user):
        with pytest.raises(PermissionDenied):
            services.application_decide(actor=user, application=application, approve=True)


def test_a_student_cannot_apply_about_another_students_slot(world):
    other_slot = world.other_student.slots.get()
    with pytest.raises(PermissionDenied):
        services.application_file(actor=world.student.user, kind=Kind.MISSED, slot=other_slot, reasons="x", document=pdf())


def test_only_students_file(world, slot):
    with pytest.raises(ValidationError):
        services.application_file(actor=world.head, kind=Kind.MISSED, slot=slot, reasons="x", document=pdf())


def test_the_institution_admin_queue_holds_postponements_only(world, slot, disciplines, inst_admin):
    postponement = file_postponement(world, slot)
    file_restudy(world, disciplines["basic"])
    assert list(decision_queue(user=inst_admin)) == [postponement]
    assert len(decision_queue(user=world.head)) == 2
    assert len(decision_queue(user=world.chair)) == 0
