"""The commission's exam settings page: who may edit, the policy's bounds, and a sitting already under way."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import Policy
from commissions.models import Commission
from exams import services
from exams.exam_settings import _policy_errors, exam_settings_update
from exams.models import Attempt, ExamSettings
from exams.tests.conftest import admitted, slot_of
from exams.yearend import services as yearend

pytestmark = pytest.mark.django_db
S = Attempt.State
VALID = {
    "exam_format": "written",
    "questions_per_ticket": "2",
    "tickets_with_replacement": "on",
    "upload_grace_minutes": "10",
    "answer_sheet_max_mb": "8",
}


def url(world) -> str:
    return reverse("exams:exam_settings", args=[world.commission.pk])


@pytest.mark.parametrize("persona", ["secretary", "chair", "head"])
def test_secretary_chair_and_head_save_the_settings_in_the_browser(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(world)).status_code == 200
    response = client.post(url(world), VALID, follow=True)
    assert "The exam settings are saved." in response.content.decode()
    saved = ExamSettings.objects.get(commission=world.commission)
    assert (
        saved.exam_format,
        saved.questions_per_ticket,
        saved.tickets_with_replacement,
        saved.upload_grace_minutes,
        saved.answer_sheet_max_mb,
    ) == ("written", 2, True, 10, 8)
    event = AuditEvent.objects.get(verb="exam_settings.update")
    assert event.before["exam_format"] == "oral" and event.after["exam_format"] == "written"


@pytest.mark.parametrize("persona", ["member", "outsider", "student"])
def test_members_outsiders_and_students_cannot_open_or_post_the_settings(client, world, persona):
    user = world.student.user if persona == "student" else getattr(world, persona)
    client.force_login(user)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), VALID).status_code == 404
    assert not ExamSettings.objects.filter(commission=world.commission, exam_format="written").exists()


def test_the_commission_page_links_the_settings_for_the_secretary_only_not_a_member(client, world):
    page = reverse("commissions:commission", args=[world.commission.pk])
    client.force_login(world.secretary)
    assert url(world) in client.get(page).content.decode()
    client.force_login(world.member)
    assert url(world) not in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("upload_grace_minutes", "31"),
        ("questions_per_ticket", "0"),
        ("answer_sheet_max_mb", "0"),
        ("answer_sheet_max_mb", "500"),
    ],
)
def test_values_out_of_bounds_are_refused_on_the_page(client, world, field, value):
    client.force_login(world.secretary)
    response = client.post(url(world), {**VALID, field: value})
    assert response.status_code == 400
    assert ExamSettings.objects.get(commission=world.commission).exam_format == "oral"


def test_the_grace_must_end_before_the_policys_grading_time(world):
    # The policy's range (at least 1 hour) and the grace's own bound (30 minutes) keep this apart in stored data;
    # the check still stands for an unsaved policy.
    policy = Policy(written_grading_hours=0)
    errors = _policy_errors({"upload_grace_minutes": 5, "questions_per_ticket": 1}, policy, world.commission)
    assert "upload_grace_minutes" in errors


def test_a_ticket_cannot_hold_more_questions_than_the_approved_list(world, tickets):
    listed = tickets.programme.questions.count()
    with pytest.raises(ValidationError) as exc:
        exam_settings_update(commission=world.commission, actor=world.secretary, questions_per_ticket=listed + 1)
    assert f"has {listed} question" in exc.value.message_dict["questions_per_ticket"][0]
    exam_settings_update(commission=world.commission, actor=world.secretary, questions_per_ticket=listed)


def test_format_and_draw_rule_are_fixed_once_a_ticket_is_drawn(client, world, tickets):
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    for change in ({"exam_format": "written"}, {"tickets_with_replacement": True}):
        with pytest.raises(ValidationError, match="already been drawn"):
            exam_settings_update(commission=world.commission, actor=world.secretary, **change)
    exam_settings_update(commission=world.commission, actor=world.secretary, upload_grace_minutes=7)
    assert ExamSettings.objects.get(commission=world.commission).upload_grace_minutes == 7
    client.force_login(world.chair)
    page = client.get(url(world)).content.decode()
    assert 'name="exam_format" value="written"' in page and "disabled" in page
    client.post(url(world), {**VALID, "exam_format": "written"})  # a forged post of the locked field is ignored
    saved = ExamSettings.objects.get(commission=world.commission)
    assert saved.exam_format == "oral" and saved.questions_per_ticket == 2


def test_attempts_not_yet_drawn_follow_a_new_format(world):
    waiting = services.attempt_for_slot(slot=slot_of(world, world.student))
    assert waiting.kind == Attempt.Kind.ORAL
    exam_settings_update(commission=world.commission, actor=world.secretary, exam_format="written")
    waiting.refresh_from_db()
    assert waiting.kind == Attempt.Kind.WRITTEN


def test_a_defense_commission_has_no_settings_page(client, world):
    Commission.objects.filter(pk=world.commission.pk).update(form=Commission.Form.DEFENSE)
    client.force_login(world.secretary)
    assert client.get(url(world)).status_code == 404
    world.commission.refresh_from_db()
    with pytest.raises(ValidationError):
        exam_settings_update(commission=world.commission, actor=world.secretary, exam_format="written")


def test_back_to_oral_keeps_a_written_accommodation_written(world):
    exam_settings_update(commission=world.commission, actor=world.secretary, exam_format="written")
    accommodated = services.attempt_for_slot(slot=slot_of(world, world.student))
    other = services.attempt_for_slot(slot=slot_of(world, world.other_student))
    yearend.accommodation_set(actor=world.head, student=world.student, written_instead_of_oral=True)
    exam_settings_update(commission=world.commission, actor=world.secretary, exam_format="oral")
    accommodated.refresh_from_db()
    other.refresh_from_db()
    assert (accommodated.kind, other.kind) == (Attempt.Kind.WRITTEN, Attempt.Kind.ORAL)
