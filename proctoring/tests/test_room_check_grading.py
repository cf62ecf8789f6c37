"""R20: a refused room check stops the attestation. The student was not examined in that slot, so the members do not
grade them and no degree vote is opened, on every path (the service, the grading page), whatever the commission
then decides; a student who passed the check is graded as usual."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import MemberGrade, Slot, VoteRound
from exams.models import Attempt
from exams.tests.conftest import slot_of
from proctoring import services
from proctoring.models import RoomCheck
from proctoring.tests.conftest import ready_for_identification, unanimous

pytestmark = pytest.mark.django_db
S = Attempt.State


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def members_present(world):
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )


def room_check(world, *, refused: bool) -> RoomCheck:
    ready_for_identification(world)
    slot = slot_of(world, world.student)
    services.identification_record(
        slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
    )
    passed = not refused
    return services.room_check_record(
        slot=slot,
        alone=passed,
        devices_ok=passed,
        room_shown=passed,
        refused=refused,
        note="",
        actor=world.secretary,
    )


def test_a_student_stopped_at_a_refused_room_check_is_not_graded_while_the_commission_decides(world):
    check = room_check(world, refused=True)
    members_present(world)
    assert Slot.objects.get(pk=check.slot_id).status == Slot.Status.DONE  # the stopped attempt's slot reads finished
    with pytest.raises(ValidationError) as refused:
        grading.grade_submit(actor=world.member, slot=check.slot, points="90")
    assert "refused the room check" in refused.value.messages[0]
    assert "not yet decided" in refused.value.messages[0]
    assert not MemberGrade.objects.filter(slot=check.slot).exists()


def test_after_the_commission_ends_the_attestation_the_student_is_still_not_graded(world):
    check = room_check(world, refused=True)
    services.room_check_decide(check=check, decision=RoomCheck.Decision.END, how=unanimous(world), actor=world.secretary)
    members_present(world)
    for member in (world.chair, world.member):
        with pytest.raises(ValidationError, match="the commission ended the attestation"):
            grading.grade_submit(actor=member, slot=check.slot, points="75")
    assert not MemberGrade.objects.filter(slot=check.slot).exists()


def test_after_the_commission_suspends_the_attestation_the_reason_is_the_suspension(world):
    check = room_check(world, refused=True)
    services.room_check_decide(check=check, decision=RoomCheck.Decision.SUSPEND, how=unanimous(world), actor=world.secretary)
    members_present(world)
    with pytest.raises(ValidationError, match="sits on another date"):
        grading.grade_submit(actor=world.member, slot=check.slot, points="75")


def test_no_degree_vote_is_opened_for_a_student_who_refused_the_room_check(world):
    check = room_check(world, refused=True)
    services.room_check_decide(check=check, decision=RoomCheck.Decision.END, how=unanimous(world), actor=world.secretary)
    members_present(world)
    with pytest.raises(ValidationError, match="refused the room check"):
        votes.vote_open(actor=world.chair, slot=check.slot)
    assert not VoteRound.objects.filter(slot=check.slot).exists()


def test_the_grading_page_says_why_and_records_no_grade(client, world):
    check = room_check(world, refused=True)
    services.room_check_decide(check=check, decision=RoomCheck.Decision.END, how=unanimous(world), actor=world.secretary)
    members_present(world)
    client.force_login(world.member)
    response = client.post(
        reverse("commissions:grade_submit", args=[check.slot_id]),
        {"points": "88", "confirmed": "1", "next": reverse("commissions:slot", args=[check.slot_id])},
        follow=True,
    )
    # the member's page is in Kazakh, the world's language
    assert "бөлмені тексеруден бас тартты және комиссия аттестаттауды аяқтады" in response.content.decode()
    assert not MemberGrade.objects.filter(slot=check.slot).exists()


def test_a_student_who_passed_the_room_check_is_graded_once_examined(world):
    check = room_check(world, refused=False)
    Slot.objects.filter(pk=check.slot_id).update(status=Slot.Status.DONE)  # the secretary's "Finish"
    members_present(world)
    grade = grading.grade_submit(actor=world.member, slot=check.slot, points="90")
    assert grade.letter == "A-"


def test_the_members_panel_says_why_instead_of_offering_the_grade_form(client, world):
    check = room_check(world, refused=True)
    services.room_check_decide(check=check, decision=RoomCheck.Decision.END, how=unanimous(world), actor=world.secretary)
    members_present(world)
    client.force_login(world.member)
    page = client.get(reverse("commissions:slot_results", args=[check.slot_id])).content.decode()
    assert f'id="not-examined-{check.slot_id}"' in page
    assert "бөлмені тексеруден бас тартты және комиссия аттестаттауды аяқтады" in page
    assert reverse("commissions:grade_submit", args=[check.slot_id]) not in page
