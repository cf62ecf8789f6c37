from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.forms import POLICY_SECTIONS, PolicyForm
from attestation.institutions.models import InstitutionAdmin, Policy
from attestation.institutions.services import policy_update
from attestation.institutions.validators import validate_iin
from attestation.tests.factories import UserFactory, World

pytestmark = pytest.mark.django_db


def test_defaults_are_the_documents_values(world):
    policy = world.institution.policies.get()
    assert (policy.defense_total_minutes, policy.sitting_max_hours, policy.appeal_window_working_days) == (15, 5, 2)
    assert policy.academic_hour_minutes == 50
    assert policy.written_exam_minutes == 100
    assert str(policy.cutoff_date) == "2020-06-30"


def test_college_policy_has_the_45_minute_academic_hour(db):
    assert World.build(kind="tvet").institution.policies.get().academic_hour_minutes == 45


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("appeal_window_working_days", 1),
        ("written_exam_academic_hours", 1),
        ("sitting_max_hours", 6),
        ("plagiarism_max_checks", 3),
        ("acquaintance_working_days", 19),
        ("appeal_answer_working_days", 2),
    ],
)
def test_a_policy_cannot_loosen_the_documents(world, field, value):
    policy = world.institution.policies.get()
    with pytest.raises(ValidationError) as exc:
        policy_update(actor=world.head, policy=policy, changes={field: value})
    assert field in exc.value.message_dict


def test_the_database_refuses_a_loosened_policy_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(institution=world.institution).update(appeal_window_working_days=1)


def test_tightening_is_saved_and_audited(world):
    policy = world.institution.policies.get()
    policy_update(actor=world.head, policy=policy, changes={"appeal_window_working_days": 3})
    event = AuditEvent.objects.filter(verb="policy.update").get()
    assert (event.before["appeal_window_working_days"], event.after["appeal_window_working_days"]) == ("2", "3")


def test_policy_page_says_why_a_value_is_refused(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    url = reverse("institutions:policy", args=[world.institution.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(appeal_window_working_days=1, cutoff_date="2020-06-30")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "әдістемелік ұсынымдары, 64-тармақ" in str(response.context["form"].errors["appeal_window_working_days"])
    assert world.institution.policies.get().appeal_window_working_days == 2


def test_policy_page_is_only_for_the_institutions_administrator(client, world):
    client.force_login(world.chair)
    assert client.get(reverse("institutions:policy", args=[world.institution.pk])).status_code == 404


@pytest.mark.parametrize("iin", ["12345678901", "1234567890123", "12345678901a", "990101300124"])
def test_invalid_iins_are_refused(iin):
    with pytest.raises(ValidationError):
        validate_iin(iin)


@pytest.mark.parametrize("iin", ["860904350504", "990101300122"])
def test_valid_iins_pass(iin):
    validate_iin(iin)


def test_policy_form_sections_cover_every_field():
    in_sections = [name for _title, names in POLICY_SECTIONS for name in names]
    assert sorted(in_sections) == sorted(PolicyForm.base_fields)


def test_defaults_carry_the_two_thirds_quorum_and_the_honours_of_order_595(world):
    policy = world.institution.policies.get()
    assert (policy.quorum_numerator, policy.quorum_denominator) == (2, 3)
    assert (policy.honours_min_gpa, policy.honours_min_discipline_gpa, policy.honours_min_attestation_gpa) == (
        Decimal("3.50"),
        Decimal("2.33"),
        Decimal("3.67"),
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("honours_min_gpa", Decimal("3.49")),
        ("honours_min_discipline_gpa", Decimal("2.00")),
        ("honours_min_attestation_gpa", Decimal("3.33")),
        ("quorum_numerator", 0),
    ],
)
def test_a_policy_cannot_loosen_the_quorum_or_the_honours(world, field, value):
    with pytest.raises(ValidationError) as exc:
        policy_update(actor=world.head, policy=world.institution.policies.get(), changes={field: value})
    assert field in exc.value.message_dict


def test_policy_page_refuses_a_quorum_numerator_above_the_denominator(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    url = reverse("institutions:policy", args=[world.institution.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(quorum_numerator=4, quorum_denominator=3, cutoff_date="2020-06-30")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "quorum_numerator" in response.context["form"].errors
    policy = world.institution.policies.get()
    assert (policy.quorum_numerator, policy.quorum_denominator) == (2, 3)
    data.update(quorum_numerator=3, quorum_denominator=4)
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert (policy.quorum_numerator, policy.quorum_denominator) == (3, 4)


def test_the_database_refuses_a_quorum_above_one(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(institution=world.institution).update(quorum_numerator=4, quorum_denominator=3)
