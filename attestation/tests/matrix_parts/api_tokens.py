"""The API tokens page (api/) and single sign-on: only the institution's administrator issues, lists and revokes
tokens. The API itself (namespace api-v1) takes tokens, not sessions: its institution boundary is tested in
api/tests/test_api.py."""

from api import services
from api.models import Scope
from attestation.accounts.single_sign_on import single_sign_on_save
from attestation.tests.matrix_base import EVERYONE, Entry

INST_ADMIN = frozenset({"inst_admin"})


def build(objects: dict) -> None:
    token, _secret = services.token_create(
        actor=objects["users"]["inst_admin"],
        institution=objects["world"].institution,
        name="Platonus",
        scopes=[Scope.READ_RESULTS.value],
    )
    objects["api_token"] = token
    build_sign_on(objects)


def _institution(o):
    return {"pk": o["world"].institution.pk}


ENTRIES = {
    "api:tokens": Entry("get", _institution, INST_ADMIN),
    "api:token_revoke": Entry(
        "post", lambda o: {"pk": o["world"].institution.pk, "token_pk": o["api_token"].pk}, INST_ADMIN
    ),
}


def build_sign_on(objects: dict) -> None:
    single_sign_on_save(
        actor=objects["users"]["inst_admin"],
        institution=objects["world"].institution,
        values={
            "enabled": True,
            "button_label": "Университет",
            "authorization_endpoint": "https://sso.example.kz/auth",
            "token_endpoint": "https://sso.example.kz/token",
            "userinfo_endpoint": "https://sso.example.kz/me",
            "jwks_uri": "https://sso.example.kz/jwks",
            "client_id": "portal",
            "client_secret": "secret",
        },
    )


# Single sign-on: the settings page is the administrator's; starting a sign-in is open to anyone (it only redirects
# to the institution's provider).
ENTRIES.update(
    {
        "single_sign_on": Entry("get", _institution, INST_ADMIN),
        "oidc_start": Entry("get", lambda o: {"short_name": o["world"].institution.short_name}, EVERYONE),
    }
)
