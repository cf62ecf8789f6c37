"""Tokens for the API tests; the commission's graded-and-announced sitting comes from commissions' fixtures."""

import pytest
from django.test import Client

from api import services
from api.models import Scope
from attestation.institutions import services as institution_services
from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory
from commissions.tests.conftest import announced, english_messages, media, other_slot, slot  # noqa: F401 - fixtures


@pytest.fixture
def inst_admin(world):
    user = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=user)
    return user


def issue(admin, institution, *scopes: Scope) -> str:
    _token, secret = services.token_create(
        actor=admin, institution=institution, name="Platonus", scopes=[s.value for s in scopes or Scope]
    )
    return secret


@pytest.fixture
def secret(world, inst_admin):
    """A token with every scope."""
    return issue(inst_admin, world.institution)


class ApiClient(Client):
    def __init__(self, secret: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        super().__init__(headers=headers, **kwargs)

    def put_json(self, path: str, data):
        return self.put(path, data=data, content_type="application/json")


@pytest.fixture
def api(secret):
    return ApiClient(secret)


@pytest.fixture
def other_institution_api(db):
    """A token of another institution, with every scope."""
    admin = UserFactory(username="other-admin")
    other = institution_services.institution_create(
        actor=admin, kind="hei", short_name="OTHER", name_kk="Басқа", name_ru="Другой", academic_year=2019
    )
    InstitutionAdmin.objects.create(institution=other, user=admin)
    return ApiClient(issue(admin, other))
