"""Sign-in with an institution's own accounts, against a real OpenID Connect provider (panva/oidc-provider on
Node.js, started by the test) and a real browser: the person lands on their portal home; a person the portal does
not know, or who belongs to another institution, is refused and no account is created."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from attestation.accounts.single_sign_on import single_sign_on_save
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PROVIDER_DIR = Path(__file__).resolve().parents[1] / "node"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def people(db):
    world = World.build()
    student = world.student.user
    student.email = "aigerim@uni.example.kz"
    student.save()
    admin = UserFactory(username="sso-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    return world, admin


@pytest.fixture
def provider(live_server, people, settings):
    """The provider with three accounts: our student, a stranger, and a person of another institution."""
    assert shutil.which("node"), "Node.js is required for the OpenID Connect provider (installed by scripts/setup)"
    assert (PROVIDER_DIR / "node_modules" / "oidc-provider").exists(), "run scripts/setup: npm ci for the provider"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    world, admin = people
    outsider = UserFactory(username="other-uni", email="outsider@other.example.kz")
    accounts = {
        "aigerim": {"email": "aigerim@uni.example.kz", "email_verified": True},
        "stranger": {"email": "nobody@uni.example.kz", "email_verified": True},
        "outsider": {"email": outsider.email, "email_verified": True},
    }
    port = _free_port()
    redirect_uri = f"{live_server.url}/accounts/sso/callback/"
    process = subprocess.Popen(
        ["node", "server.mjs", str(port), redirect_uri, json.dumps(accounts)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1) as response:  # noqa: S310
                discovery = json.load(response)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError(f"the OpenID Connect provider did not start: {process.stdout.read().decode()[:2000]}")
    single_sign_on_save(
        actor=admin,
        institution=world.institution,
        values={
            "enabled": True,
            "button_label": "Университет аккаунты",
            "authorization_endpoint": discovery["authorization_endpoint"],
            "token_endpoint": discovery["token_endpoint"],
            "userinfo_endpoint": discovery["userinfo_endpoint"],
            "jwks_uri": discovery["jwks_uri"],
            "client_id": "attestation-portal",
            "client_secret": "test-client-secret",
            "scopes": "openid email",
            "match_by": "email",
        },
    )
    yield world
    process.kill()
    process.wait()


def _sign_in(page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Университет аккаунты — TEST").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]", has_text="Continue")
    if consent.count():
        consent.click()
    page.wait_for_load_state()


def test_a_student_signs_in_with_the_institutions_account(provider, live_server, browser):
    page = browser.new_page()
    _sign_in(page, live_server, "aigerim")
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("form[action*=logout]").count() == 1  # signed in
    assert provider.student.user.last_name in page.content()


@pytest.mark.parametrize("login", ["stranger", "outsider"])
def test_a_person_without_an_account_of_this_institution_is_refused(provider, live_server, browser, login):
    users_before = get_user_model().objects.count()
    page = browser.new_page()
    _sign_in(page, live_server, login)
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger, .alert-error").count() >= 1
    assert get_user_model().objects.count() == users_before
