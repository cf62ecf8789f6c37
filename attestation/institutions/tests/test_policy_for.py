"""policy_for: a commission's own academic year; for an institution, the academic year in force on the day."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import InstitutionAdmin
from attestation.institutions.policies import academic_year_of, policy_find, policy_for
from attestation.institutions.services import policy_update
from attestation.tests.factories import UserFactory


@pytest.fixture
def next_year(world):
    policy = world.institution.policies.get(academic_year=2019)
    policy.pk, policy.academic_year = None, 2020
    policy.save()
    return policy


@pytest.mark.parametrize(
    ("day", "year"), [(dt.date(2020, 5, 12), 2019), (dt.date(2020, 8, 31), 2019), (dt.date(2020, 9, 1), 2020)]
)
def test_the_academic_year_starts_on_the_first_of_september(day, year):
    assert academic_year_of(day) == year


def test_an_institution_gets_the_policy_in_force_on_the_day_not_the_latest(world, next_year):
    assert policy_for(world.institution, on=dt.date(2020, 5, 12)).academic_year == 2019
    assert policy_for(world.institution.pk, on=dt.date(2020, 9, 1)) == next_year


def test_a_commission_gets_its_own_years_policy(world, next_year):
    assert policy_for(world.commission).academic_year == 2019


def test_a_year_without_a_policy_is_refused_with_the_year_to_create(world):
    assert policy_find(world.institution, on=dt.date(2021, 1, 10)) is None
    with pytest.raises(ValidationError, match="2020"):
        policy_for(world.institution, on=dt.date(2021, 1, 10))


# --- a new academic year's policy, made in the portal (issue 20) ------------------------------------------------------


@pytest.fixture
def policy_admin(client, world):
    admin = UserFactory(username="policy-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_administrator_creates_next_years_policy_as_a_copy_of_the_year_in_force(policy_admin, world):
    current = world.institution.policies.get(academic_year=2019)
    policy_update(actor=world.head, policy=current, changes={"appeal_window_working_days": 3})
    url = reverse("institutions:policy_new_year", args=[world.institution.pk, 2019])
    response = policy_admin.post(url, {"academic_year": 2020})
    assert response.url == reverse("institutions:policy_year", args=[world.institution.pk, 2020])
    new = world.institution.policies.get(academic_year=2020)
    assert (new.appeal_window_working_days, new.cutoff_date) == (3, dt.date(2021, 6, 30))
    assert policy_for(world.institution, on=dt.date(2020, 10, 1)) == new
    assert policy_for(world.institution, on=dt.date(2020, 5, 12)) == current
    event = AuditEvent.objects.get(verb="policy.create", object_id=str(new.pk))
    assert event.after["copied_from"] == 2019


def test_the_new_years_policy_is_then_edited_on_its_own_page(policy_admin, world):
    policy_admin.post(reverse("institutions:policy_new_year", args=[world.institution.pk, 2019]), {"academic_year": 2020})
    url = reverse("institutions:policy_year", args=[world.institution.pk, 2020])
    page = policy_admin.get(url)
    assert page.context["policy"].academic_year == 2020
    assert page.context["years"] == [2020, 2019]
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(appeal_window_working_days=4, cutoff_date="2021-06-30")
    assert policy_admin.post(url, data).status_code == 302
    assert world.institution.policies.get(academic_year=2020).appeal_window_working_days == 4
    assert world.institution.policies.get(academic_year=2019).appeal_window_working_days == 2


def test_a_year_that_has_its_policy_is_not_copied_over(policy_admin, world):
    url = reverse("institutions:policy_new_year", args=[world.institution.pk, 2019])
    response = policy_admin.post(url, {"academic_year": 2019}, follow=True)
    assert "already exists" in response.content.decode()
    assert world.institution.policies.count() == 1


def test_only_the_administrator_creates_a_years_policy(client, world):
    client.force_login(world.head)
    url = reverse("institutions:policy_new_year", args=[world.institution.pk, 2019])
    assert client.post(url, {"academic_year": 2020}).status_code == 404
    assert world.institution.policies.count() == 1
