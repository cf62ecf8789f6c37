import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.test import override_settings
from django.urls import reverse

from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password="pw-attest-1"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_by_username_or_email(client):
    UserFactory(username="aigerim", email="Aigerim@Example.kz")
    assert login(client, "aigerim").status_code == 302
    client.logout()
    assert login(client, "aigerim@example.kz").status_code == 302


def test_wrong_password_shows_the_form_again(client):
    UserFactory(username="aigerim")
    response = login(client, "aigerim", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failures_lock_the_account(client, settings):
    UserFactory(username="aigerim")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "aigerim", "wrong")
    response = login(client, "aigerim")
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2():
    user = UserFactory(username="aigerim", password="a-strong-Pass-2026")
    assert isinstance(identify_hasher(user.password), Argon2PasswordHasher)
