"""The institution administrator's single sign-on settings: saved through the service, secret kept, audited."""

import pytest
from django.urls import reverse

from attestation.accounts.models import SingleSignOn
from attestation.core.models import AuditEvent
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VALUES = {
    "enabled": "on",
    "button_label": "Университет",
    "authorization_endpoint": "https://sso.example.kz/auth",
    "token_endpoint": "https://sso.example.kz/token",
    "userinfo_endpoint": "https://sso.example.kz/me",
    "jwks_uri": "https://sso.example.kz/jwks",
    "client_id": "portal",
    "client_secret": "s3cret",
    "scopes": "openid email",
    "match_by": "email",
    "iin_claim": "iin",
}


@pytest.fixture
def admin(world):
    user = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=user)
    return user


def test_the_administrator_saves_the_settings_and_the_secret_stays_out_of_the_audit(client, world, admin):
    client.force_login(admin)
    url = reverse("single_sign_on", args=[world.institution.pk])
    assert client.post(url, VALUES).status_code == 302
    sso = SingleSignOn.objects.get(institution=world.institution)
    assert sso.enabled and sso.client_secret == "s3cret"
    assert "s3cret" not in str(AuditEvent.objects.filter(verb="single_sign_on.save").values("after").get())
    client.post(url, {**VALUES, "client_secret": "", "button_label": "ЖОО аккаунты"})
    sso.refresh_from_db()
    assert sso.client_secret == "s3cret" and sso.button_label == "ЖОО аккаунты"  # an empty secret keeps the old one
    assert b"s3cret" not in client.get(url).content


def test_the_login_page_offers_only_enabled_providers(client, world, admin):
    client.force_login(admin)
    client.post(reverse("single_sign_on", args=[world.institution.pk]), {**VALUES, "enabled": ""})
    client.logout()
    assert "Университет" not in client.get(reverse("login")).content.decode()
    SingleSignOn.objects.update(enabled=True)
    page = client.get(reverse("login")).content.decode()
    assert reverse("oidc_start", args=[world.institution.short_name]) in page


def test_starting_a_sign_in_sends_the_person_to_the_provider_with_state_and_pkce(client, world, admin):
    client.force_login(admin)
    client.post(reverse("single_sign_on", args=[world.institution.pk]), VALUES)
    client.logout()
    response = client.get(reverse("oidc_start", args=[world.institution.short_name]))
    assert response.status_code == 302 and response["Location"].startswith("https://sso.example.kz/auth?")
    for part in ("client_id=portal", "state=", "nonce=", "code_challenge=", "response_type=code"):
        assert part in response["Location"]


def test_a_chair_cannot_change_the_settings(client, world):
    client.force_login(world.chair)
    assert client.post(reverse("single_sign_on", args=[world.institution.pk]), VALUES).status_code == 404
    assert not SingleSignOn.objects.exists()
