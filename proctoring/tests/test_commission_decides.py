"""R19/R20 in order, and "the commission decides" (R20, R24) recorded as the commission's decision: who was present
and how they decided, not one person's click."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import Policy
from commissions.models import Membership
from exams import services as exam_services
from exams.models import Attempt
from exams.tests.conftest import admitted, slot_of
from proctoring import services
from proctoring.models import CommissionDecision, Identification, Interruption, MemberIdentification
from proctoring.services import HowDecided
from proctoring.tests.conftest import ready_for_identification, unanimous, unanimous_post

pytestmark = pytest.mark.django_db
S = Attempt.State


def _identify(world, **extra):
    return services.identification_record(
        slot=slot_of(world, world.student),
        face_matches=True,
        stated_name_and_group=True,
        showed_original=True,
        actor=world.secretary,
        **extra,
    )


def _members_identified(world):
    for membership in world.commission.memberships.exclude(role=Membership.Role.SECRETARY):
        services.member_identify(sitting=world.sitting, membership=membership, actor=world.head)


def test_a_student_without_an_id_copy_is_not_identified(world):
    _members_identified(world)
    with pytest.raises(ValidationError, match="has not uploaded an ID copy"):
        _identify(world)
    assert not Identification.objects.exists()


def test_the_policys_identification_system_stands_in_for_the_id_copy(world):
    _members_identified(world)
    Policy.objects.filter(institution=world.institution).update(identification_by_id_system=True)
    identification = _identify(world)
    assert identification.by_id_system and identification.id_copy is None


def test_without_a_copy_the_commissions_decision_is_recorded_with_who_was_present(world):
    _members_identified(world)
    identification = _identify(world, without_copy=unanimous(world))
    decision = identification.exception
    assert decision.subject == CommissionDecision.Subject.IDENTIFICATION and decision.recorded_by == world.secretary
    assert {m.user for m in decision.present.all()} == {world.chair, world.member}
    assert (decision.method, decision.votes_for, decision.votes_against) == ("unanimous", 2, 0)


def test_students_are_identified_only_after_the_head_has_identified_the_members(world):
    ready_for_identification(world)
    MemberIdentification.objects.filter(membership__user=world.member).delete()
    with pytest.raises(ValidationError) as refused:
        _identify(world)
    assert "department head" in refused.value.messages[0] and world.member.display_name in refused.value.messages[0]


def test_admission_comes_after_the_room_check(world):
    ready_for_identification(world)
    attempt = Attempt.objects.get(slot=_identify(world).slot)
    with pytest.raises(ValidationError, match="Check the room first"):
        exam_services.console_transition(attempt=attempt, to_state=S.ADMITTED, actor=world.secretary)
    services.room_check_record(
        slot=attempt.slot, alone=True, devices_ok=True, room_shown=True, refused=False, note="", actor=world.secretary
    )
    assert exam_services.console_transition(attempt=attempt, to_state=S.ADMITTED, actor=world.secretary).state == S.ADMITTED


def _interrupted(world):
    admitted(world)
    return services.interruption_request(slot=slot_of(world, world.student), message="Wi-Fi", actor=world.student.user)


def test_an_interruption_decision_records_who_was_present_and_the_vote(world, tickets):
    interruption = _interrupted(world)
    chair, member = (
        world.commission.memberships.get(user=world.chair).pk,
        world.commission.memberships.get(user=world.member).pk,
    )
    how = HowDecided(present_ids=[chair, member], method="vote", votes_for=2, votes_against=0)
    services.interruption_decide(interruption=interruption, decision="continue", how=how, actor=world.secretary)
    interruption.refresh_from_db()
    decision = interruption.commission_decision
    assert (decision.outcome, decision.method, decision.votes_for, decision.votes_against) == ("continue", "vote", 2, 0)
    assert set(decision.present.values_list("pk", flat=True)) == {chair, member}
    assert AuditEvent.objects.filter(verb="commission.decide").exists()


@pytest.mark.parametrize(
    "how, message",
    [
        (lambda w: HowDecided(present_ids=[], method="unanimous"), "quorum"),
        (lambda w: HowDecided(present_ids=unanimous(w).present_ids, method=""), "unanimously or by a vote"),
        (
            lambda w: HowDecided(present_ids=unanimous(w).present_ids, method="vote", votes_for=1, votes_against=1),
            "more votes for",
        ),
        (
            lambda w: HowDecided(present_ids=unanimous(w).present_ids, method="vote", votes_for=3, votes_against=0),
            "3 votes counted",
        ),
    ],
)
def test_one_persons_click_is_not_the_commissions_decision(world, tickets, how, message):
    interruption = _interrupted(world)
    with pytest.raises(ValidationError, match=message):
        services.interruption_decide(interruption=interruption, decision="stop", how=how(world), actor=world.chair)
    interruption.refresh_from_db()
    assert interruption.decision == Interruption.Decision.PENDING and not CommissionDecision.objects.exists()


def test_the_console_decision_form_records_the_commissions_decision(client, world, tickets):
    interruption = _interrupted(world)
    client.force_login(world.secretary)
    queue = client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    assert 'name="present"' in queue and 'hx-preserve="true"' in queue
    client.post(reverse("proctoring:interruption_decide", args=[interruption.pk]), {"decision": "stop", "confirmed": "1"})
    interruption.refresh_from_db()
    assert interruption.decision == Interruption.Decision.PENDING  # no one was marked present: not decided
    client.post(
        reverse("proctoring:interruption_decide", args=[interruption.pk]),
        {"decision": "stop", "confirmed": "1", **unanimous_post(world)},
    )
    interruption.refresh_from_db()
    assert interruption.decision == Interruption.Decision.STOP and interruption.commission_decision.votes_for == 2
