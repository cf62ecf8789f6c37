"""Creative exam (000 §13, §36; 001): presented to the commission like a defense — no ticket, the student submits the
link to the work, the secretary moves admitted → presenting → finished, and the protocol lists the work."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissions.papers.context import protocol_context
from exams import services
from exams.exam_settings import exam_settings_update
from exams.models import Attempt
from exams.tests.conftest import admitted

pytestmark = pytest.mark.django_db
S = Attempt.State


@pytest.fixture
def creative(world):
    return exam_settings_update(commission=world.commission, actor=world.head, exam_format="creative")


def test_a_creative_exam_is_presented_without_a_ticket_and_finished_like_a_defense(world, creative):
    attempt = admitted(world)
    assert attempt.kind == Attempt.Kind.CREATIVE
    assert [s for s, _label in services.states.labelled_moves(attempt.state, attempt.kind)][0] == S.ANSWERING
    with pytest.raises(ValidationError, match="no tickets"):
        services.ticket_draw(attempt=attempt, actor=world.student.user)
    attempt = services.console_transition(attempt=attempt, to_state=S.ANSWERING, actor=world.secretary)
    attempt = services.console_transition(attempt=attempt, to_state=S.FINISHED, actor=world.secretary)
    assert attempt.slot.status == "done"  # the commission grades it now (R33)


def test_the_student_submits_the_link_to_the_work_and_the_protocol_lists_it(client, world, creative):
    attempt = admitted(world)
    client.force_login(world.student.user)
    page = client.get(reverse("exams:student_exam", args=[attempt.slot_id])).content.decode()
    assert "Link to your creative work" in page
    client.post(reverse("exams:student_report_video", args=[attempt.slot_id]), {"url": "https://youtu.be/performance"})
    attempt.refresh_from_db()
    assert attempt.report_video_url == "https://youtu.be/performance"
    materials = services_materials(attempt)
    assert ("Creative work", "https://youtu.be/performance") in materials


def services_materials(attempt):
    """The protocol's "materials before the commission" for the slot, as the protocol reads them."""
    return [(str(label), str(value)) for label, value in protocol_context(slot=attempt.slot, paper_id=None)["materials"]]
