"""The API tokens page (api/): only the institution's administrator issues, lists and revokes tokens. The API itself
(namespace api-v1) takes tokens, not sessions: its institution boundary is tested in api/tests/test_api.py."""

from attestation.tests.matrix_base import Entry

INST_ADMIN = frozenset({"inst_admin"})


def build(objects: dict) -> None:
    from api import services
    from api.models import Scope

    token, _secret = services.token_create(
        actor=objects["users"]["inst_admin"],
        institution=objects["world"].institution,
        name="Platonus",
        scopes=[Scope.READ_RESULTS.value],
    )
    objects["api_token"] = token


def _institution(o):
    return {"pk": o["world"].institution.pk}


ENTRIES = {
    "api:tokens": Entry("get", _institution, INST_ADMIN),
    "api:token_revoke": Entry(
        "post", lambda o: {"pk": o["world"].institution.pk, "token_pk": o["api_token"].pk}, INST_ADMIN
    ),
}
