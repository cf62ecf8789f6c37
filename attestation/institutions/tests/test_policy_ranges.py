"""Every number of the policy has a lawful range (issue 20): the form says it in the page's language and the database
refuses a value outside it, whatever path writes it."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation

from attestation.institutions.models import InstitutionAdmin, Policy
from attestation.institutions.policy_limits import POLICY_RANGES
from attestation.institutions.services import policy_update
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NUMBER_FIELDS = [
    f.name
    for f in Policy._meta.concrete_fields
    if isinstance(f, models.PositiveSmallIntegerField | models.DecimalField | models.IntegerField) and not f.primary_key
]


def test_every_number_of_the_policy_has_a_range():
    assert sorted(NUMBER_FIELDS) == sorted(POLICY_RANGES)


def test_the_documents_defaults_are_inside_every_range(world):
    policy = world.institution.policies.get()
    outside = [name for name, allowed in POLICY_RANGES.items() if not allowed.allows(getattr(policy, name))]
    assert outside == []


def test_a_two_minute_academic_hour_is_refused(world):
    policy = world.institution.policies.get()
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        policy_update(actor=world.head, policy=policy, changes={"academic_hour_minutes": 2})
    assert exc.value.message_dict["academic_hour_minutes"] == ["Must be between 40 and 60."]
    policy.refresh_from_db()
    assert policy.written_exam_minutes == 100


def _outside(name: str):
    allowed = POLICY_RANGES[name]
    places = getattr(Policy._meta.get_field(name), "decimal_places", None)
    step = Decimal(10) ** -places if places else 1
    return [v for v in (allowed.low - step, allowed.high + step) if v >= 0]


@pytest.mark.parametrize(("field", "value"), [(name, value) for name in POLICY_RANGES for value in _outside(name)], ids=str)
def test_the_database_refuses_every_number_outside_its_range(world, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(institution=world.institution).update(**{field: value})


def test_the_database_keeps_the_speech_within_the_defense(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(institution=world.institution).update(speech_max_minutes=18, defense_total_minutes=15)


@pytest.fixture
def admin_client(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Must be between 40 and 60."),
        ("ru", "Значение должно быть в пределах 40 – 60."),
        ("kk", "Мәні 40 – 60 аралығында болуы керек."),
    ],
)
def test_the_policy_page_says_the_range_in_the_pages_language(admin_client, world, language, message):
    url = reverse("institutions:policy", args=[world.institution.pk])
    data = {k: v for k, v in admin_client.get(url).context["form"].initial.items() if v is not None}
    data.update(academic_hour_minutes=2, cutoff_date="2020-06-30")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = admin_client.post(url, data)
    assert response.context["form"].errors["academic_hour_minutes"] == [message]
    assert world.institution.policies.get().academic_hour_minutes == 50


def test_the_policy_page_shows_each_range_beside_its_field(admin_client, world):
    response = admin_client.get(reverse("institutions:policy", args=[world.institution.pk]))
    field = response.context["form"].fields["academic_hour_minutes"]
    assert (field.widget.attrs["min"], field.widget.attrs["max"]) == (40, 60)
    assert "40" in str(field.help_text)


def test_docs_list_every_range():
    text = (Path(settings.BASE_DIR) / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = [name for name, r in POLICY_RANGES.items() if f"`{name}`" not in text or f"{r.low} – {r.high}" not in text]
    assert missing == []
