"""The administrator's API tokens page: issue (secret shown once), list without secrets, revoke."""

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.tests.conftest import ApiClient
from attestation.institutions.models import InstitutionAdmin

pytestmark = pytest.mark.django_db


def test_the_administrator_issues_a_token_and_sees_its_secret_only_once(client, world, inst_admin):
    client.force_login(inst_admin)
    url = reverse("api:tokens", args=[world.institution.pk])
    response = client.post(url, {"name": "Platonus", "scopes": ["read:results", "write:students"]})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.scopes == ["read:results", "write:students"] and token.created_by == inst_admin
    page = client.get(url).content.decode()
    assert secret not in page and f"atp_{token.prefix}" in page


def test_a_token_without_scopes_is_refused_with_the_field_named(client, world, inst_admin):
    client.force_login(inst_admin)
    response = client.post(reverse("api:tokens", args=[world.institution.pk]), {"name": "1C"})
    assert response.status_code == 400 and response.context["form"].errors["scopes"]
    assert not ApiToken.objects.exists()
    page = response.content.decode()  # the error is tied to its field for screen readers
    assert 'aria-describedby="id_scopes_error"' in page and 'id="id_scopes_error"' in page


def test_revoking_a_token_from_the_page_refuses_it_at_once(client, world, inst_admin, secret):
    client.force_login(inst_admin)
    token = ApiToken.objects.get()
    client.post(reverse("api:token_revoke", args=[world.institution.pk, token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == inst_admin and token.revoked_at
    assert ApiClient(secret).get("/api/v1/results").status_code == 401


def test_the_page_answers_404_to_a_chair_and_another_institutions_admin(client, world, inst_admin, other_institution_api):
    client.force_login(world.chair)
    assert client.get(reverse("api:tokens", args=[world.institution.pk])).status_code == 404
    client.force_login(InstitutionAdmin.objects.exclude(institution=world.institution).get().user)
    assert client.get(reverse("api:tokens", args=[world.institution.pk])).status_code == 404
