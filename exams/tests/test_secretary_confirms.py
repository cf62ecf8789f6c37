"""The secretary's day: what cannot be taken back asks first — absent, stop, finish on the console and the desk,
the decision to stop or end, a member's one-time grade and vote — and announcing with students ungraded names them.

The question is asked in the browser (data-confirm) and, for a POST without `confirmed=1` (JavaScript off), by the
server on a page of its own: nothing is done on the first click alone (attestation/core/confirm.py)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from attestation.tests.factories import examined
from commissions.attendance import attendance_record
from commissions.grading import votes
from commissions.models import MemberGrade, Result, Slot, VoteRound
from exams.models import Attempt
from exams.tests.conftest import admitted, slot_of
from proctoring import services as proctoring_services
from proctoring.models import Interruption, RoomCheck
from proctoring.tests.conftest import ready_for_identification, unanimous_post

pytestmark = pytest.mark.django_db


def _row(html: str, slot) -> str:
    start = html.index(f'data-slot="{slot.pk}"')
    return html[start : html.index("</tr>", start)]


def test_absent_on_the_console_and_the_desk_asks_first_naming_the_student(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    row = _row(client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode(), slot)
    assert f'data-move="absent" data-confirm="Absent: {world.student.full_name}? This cannot be undone."' in row
    desk = client.get(reverse("exams:desk", args=[slot.pk])).content.decode()
    assert f'value="absent" data-confirm="Absent: {world.student.full_name}?' in desk


def test_finish_and_stop_ask_first(client, world):
    slot = slot_of(world, world.student)
    Attempt.objects.create(slot=slot, kind="defense", state=Attempt.State.ANSWERING)
    client.force_login(world.secretary)
    row = _row(client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode(), slot)
    assert 'data-move="finished" data-confirm=' in row and 'data-move="stopped" data-confirm=' in row


def _present(world):
    examined(world.sitting)
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )


def test_the_one_time_grade_and_the_open_vote_ask_first(client, world):
    _present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    client.force_login(world.member)
    page = client.get(reverse("commissions:slot_results", args=[slot.pk])).content.decode()
    assert f'data-confirm="Submit your grade for {world.student.full_name}? A grade is given once' in page
    assert 'value="for" data-confirm="Vote “for”? Your vote cannot be changed."' in page


def test_the_secret_ballot_asks_before_it_is_encrypted_and_sent(client, world):
    script = (Path(settings.BASE_DIR) / "static" / "js" / "ballot.js").read_text()
    assert "window.confirm(button.dataset.confirm)" in script


def test_announcing_with_students_ungraded_names_them(client, world):
    _present(world)
    client.force_login(world.chair)
    html = client.get(reverse("commissions:sitting_results", args=[world.sitting.pk])).content.decode()
    start = html.index('action="' + reverse("commissions:results_announce", args=[world.sitting.pk]))
    form = html[start : html.index("</form>", start)]
    assert world.student.full_name in form and world.other_student.full_name in form


# --- without JavaScript: the server asks on a page of its own ------------------------------------------------------


def _asks(response, *texts: str) -> str:
    """The confirmation page: the question, the fields sent again, and the yes that adds confirmed=1."""
    html = response.content.decode()
    assert response.status_code == 200 and "confirm-page" in html, response.status_code
    assert '<input type="hidden" name="confirmed" value="1">' in html
    for text in texts:
        assert text in html, text
    return html


@pytest.mark.parametrize("to", [Attempt.State.ABSENT, Attempt.State.FINISHED, Attempt.State.STOPPED])
def test_absent_finish_and_stop_without_javascript_ask_on_a_page_and_happen_only_on_yes(client, world, to):
    slot = slot_of(world, world.student)
    attempt = Attempt.objects.create(slot=slot, kind="defense", state=Attempt.State.ANSWERING)
    if to == Attempt.State.ABSENT:
        attempt.delete()
    client.force_login(world.secretary)
    url = reverse("exams:move", args=[slot.pk])
    html = _asks(client.post(url, {"to": to, "next": "desk"}), f"{world.student.full_name}? This cannot be undone.")
    assert f'name="to" value="{to}"' in html and 'name="next" value="desk"' in html
    assert f'href="{reverse("exams:desk", args=[slot.pk])}"' in html  # Cancel goes back to the desk
    assert not Attempt.objects.filter(slot=slot, state=to).exists()
    response = client.post(url, {"to": to, "next": "desk", "confirmed": "1"})
    assert response.status_code == 302 and Attempt.objects.get(slot=slot).state == to


def test_a_move_that_can_be_taken_back_is_not_asked_about(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    response = client.post(reverse("exams:move", args=[slot.pk]), {"to": Attempt.State.IDENTIFIED})
    assert response.status_code == 302  # refused or done by the service, never a question


def test_the_decision_to_stop_after_a_drop_asks_first_without_javascript(client, world, tickets):
    admitted(world)
    slot = slot_of(world, world.student)
    interruption = proctoring_services.interruption_request(slot=slot, message="Wi-Fi", actor=world.student.user)
    client.force_login(world.secretary)
    url = reverse("proctoring:interruption_decide", args=[interruption.pk])
    data = {"decision": "stop", **unanimous_post(world)}
    _asks(client.post(url, data), "Stop the attestation of this student?", world.student.full_name)
    interruption.refresh_from_db()
    assert interruption.decision == Interruption.Decision.PENDING
    client.post(url, {**data, "confirmed": "1"})
    interruption.refresh_from_db()
    assert interruption.decision == Interruption.Decision.STOP


def test_ending_after_a_refused_room_check_asks_first_without_javascript(client, world):
    slot = slot_of(world, world.student)
    ready_for_identification(world)
    proctoring_services.identification_record(
        slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
    )
    check = proctoring_services.room_check_record(
        slot=slot, alone=False, devices_ok=False, room_shown=False, refused=True, note="бас тартты", actor=world.secretary
    )
    client.force_login(world.chair)
    url = reverse("proctoring:room_check_decide", args=[check.pk])
    data = {"decision": "end", **unanimous_post(world)}
    _asks(client.post(url, data), "End the attestation of this student?", world.student.full_name)
    assert RoomCheck.objects.get(pk=check.pk).decision == RoomCheck.Decision.PENDING
    client.post(url, {**data, "confirmed": "1"})
    assert RoomCheck.objects.get(pk=check.pk).decision == RoomCheck.Decision.END


def test_the_one_time_grade_without_javascript_is_recorded_only_on_yes(client, world):
    _present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    client.force_login(world.member)
    url = reverse("commissions:grade_submit", args=[slot.pk])
    html = _asks(client.post(url, {"points": "87"}), f"Submit your grade for {world.student.full_name}?", "87")
    assert 'name="points" value="87"' in html and not MemberGrade.objects.filter(slot=slot).exists()
    client.post(url, {"points": "87", "confirmed": "1"})
    assert MemberGrade.objects.get(slot=slot).points == 87


def test_the_open_ballot_without_javascript_is_cast_only_on_yes(client, world):
    _present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    client.force_login(world.member)
    url = reverse("commissions:vote_cast", args=[vote_round.pk])
    _asks(client.post(url, {"choice": "against"}), "Vote “against”? Your vote cannot be changed.")
    assert votes.voted_members(VoteRound.objects.get(pk=vote_round.pk)) == set()
    client.post(url, {"choice": "against", "confirmed": "1"})
    assert len(votes.voted_members(VoteRound.objects.get(pk=vote_round.pk))) == 1


def test_announcing_without_javascript_asks_and_names_the_students_left_out(client, world):
    _present(world)
    client.force_login(world.chair)
    url = reverse("commissions:results_announce", args=[world.sitting.pk])
    _asks(
        client.post(url),
        "2 students are not graded by every member present yet",
        f"Not graded yet: {world.student.full_name}, {world.other_student.full_name}.",
    )
    assert not Result.objects.filter(slot__sitting=world.sitting, announced_at__isnull=False).exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302


def test_the_confirmation_page_reads_in_kazakh(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    html = _asks(client.post(reverse("exams:move", args=[slot.pk]), {"to": Attempt.State.ABSENT}))
    assert "Растаңыз" in html and "Confirm" not in html


def test_closing_the_vote_without_javascript_asks_first(client, world):
    _present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    for membership in world.commission.memberships.filter(user__in=[world.chair, world.member]):
        votes.vote_cast(actor=membership.user, vote_round=vote_round, choice="for")
    client.force_login(world.secretary)
    url = reverse("commissions:vote_close", args=[vote_round.pk])
    _asks(client.post(url), "Close the vote and count it?", world.student.full_name)
    assert not VoteRound.objects.get(pk=vote_round.pk).is_closed
    client.post(url, {"confirmed": "1"})
    assert VoteRound.objects.get(pk=vote_round.pk).is_closed
