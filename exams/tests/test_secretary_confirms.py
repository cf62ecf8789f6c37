"""The secretary's day: what cannot be taken back asks first — absent, stop, finish on the console and the desk,
the decision to stop or end, a member's one-time grade and vote — and announcing with students ungraded names them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from attestation.tests.factories import examined
from commissions.attendance import attendance_record
from commissions.grading import votes
from commissions.models import Slot
from exams.models import Attempt
from exams.tests.conftest import slot_of

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
