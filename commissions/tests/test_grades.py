import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from attestation.core.models import AuditEvent
from attestation.tests.factories import World
from commissions.grading import services
from commissions.models import GradeCorrection, MemberGrade, Result, Slot
from commissions.tests.conftest import everyone_present, set_policy


@pytest.mark.django_db
def test_member_grades_once_and_the_letter_follows_the_scale(world, slot, present):
    grade = services.grade_submit(actor=world.member, slot=slot, points="91")
    assert (grade.letter, grade.points) == ("A-", Decimal("91"))
    with pytest.raises(ValidationError, match="already graded"):
        services.grade_submit(actor=world.member, slot=slot, points="50")
    assert MemberGrade.objects.get().points == Decimal("91")


@pytest.mark.django_db
def test_secretary_and_outsider_do_not_grade(world, slot):
    for user in (world.secretary, world.outsider, world.student.user):
        with pytest.raises(ValidationError):
            services.grade_submit(actor=user, slot=slot, points="80")


@pytest.mark.django_db
def test_points_out_of_range_are_refused(world, slot):
    with pytest.raises(ValidationError):
        services.grade_submit(actor=world.member, slot=slot, points="101")


@pytest.mark.django_db
def test_chair_corrects_with_a_reason_and_both_values_stay(world, slot, present):
    grade = services.grade_submit(actor=world.member, slot=slot, points="60")
    with pytest.raises(ValidationError):
        services.grade_correct(actor=world.member, grade=grade, points="90", reason="typo")
    with pytest.raises(ValidationError):
        services.grade_correct(actor=world.chair, grade=grade, points="90", reason="  ")
    services.grade_correct(actor=world.chair, grade=grade, points="90", reason="typed 60 for 90")
    grade.refresh_from_db()
    assert (grade.points, grade.letter, grade.corrected) == (Decimal("90"), "A-", True)
    correction = GradeCorrection.objects.get()
    assert (correction.old_points, correction.new_points) == (Decimal("60"), Decimal("90"))
    event = AuditEvent.objects.get(verb="grade.correct")
    assert Decimal(event.before["points"]) == Decimal("60")
    assert event.after["points"] == "90" and event.after["reason"] == "typed 60 for 90"
    assert event.actor == world.chair


@pytest.mark.django_db
def test_announce_gives_graded_students_results_and_skips_the_rest(world, slot, other_slot, present):
    services.grade_submit(actor=world.chair, slot=slot, points="96")
    services.grade_submit(actor=world.member, slot=slot, points="90")
    services.grade_submit(actor=world.chair, slot=other_slot, points="70")
    with pytest.raises(ValidationError):
        services.results_announce(actor=world.secretary, sitting=world.sitting)
    announced = services.results_announce(actor=world.chair, sitting=world.sitting)
    assert [(r.slot_id, r.letter, r.points) for r in announced] == [(slot.pk, "A-", Decimal("93.00"))]  # mean of 96, 90
    assert not Result.objects.filter(slot=other_slot).exists()
    assert world.student.user.notifications.filter(kind="result").exists()
    with pytest.raises(ValidationError, match="announced"):
        services.grade_submit(actor=world.member, slot=Slot.objects.get(pk=slot.pk), points="10")


@pytest.mark.django_db
def test_majority_rule_through_the_policy(world, slot, present):
    set_policy(world, commission_grade_rule="majority_letter")
    services.grade_submit(actor=world.chair, slot=slot, points="96")
    services.grade_submit(actor=world.member, slot=slot, points="80")
    result = services.result_decide(actor=world.chair, slot=slot)
    assert (result.letter, result.source) == ("A", "commission")


@pytest.mark.django_db
def test_chair_may_record_incomplete(world, slot):
    result = services.result_set_incomplete(actor=world.chair, slot=slot)
    assert (result.letter, result.points, result.traditional) == ("I", None, "incomplete")


@pytest.mark.requires_postgres(reason="fifty concurrent transactions; SQLite locks the whole database instead")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submits_leave_exactly_one_grade():
    world = World.build()
    everyone_present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    barrier = threading.Barrier(50)
    outcomes = []

    def submit(points):
        try:
            barrier.wait()
            services.grade_submit(actor=world.member, slot=slot, points=points)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(str(50 + i % 50),)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert len(outcomes) == 50
    assert set(outcomes) == {"ok", "already_graded"}
    assert MemberGrade.objects.filter(slot=slot).count() == 1
