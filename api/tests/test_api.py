"""The API for the institution's systems: tokens, scopes, idempotent batches, the reads, errors as JSON."""

import hashlib

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from api import services
from api.models import ApiToken, Scope
from api.tests.conftest import ApiClient, issue
from attestation.core.models import AuditEvent
from attestation.institutions.models import Discipline, Group, Programme, Student
from attestation.tests.factories import valid_iin
from commissions.models import Membership, Paper, Signature
from commissions.papers import services as papers
from exams.applications.models import TranscriptRow

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def student_item(iin: str, **changes) -> dict:
    item = {
        "iin": iin,
        "last_name_kk": "Сәрсенбаев",
        "first_name_kk": "Нұрлан",
        "last_name_ru": "Сарсенбаев",
        "first_name_ru": "Нурлан",
        "group": "ИС-19-1",
        "study_language": "kk",
    }
    return {**item, **changes}


def valid_iins(n: int) -> list[str]:
    return [valid_iin() for _ in range(n)]


# ---- tokens ------------------------------------------------------------------------------------------------------


def test_only_the_hash_of_a_token_is_kept_and_the_secret_works_once_shown(world, inst_admin, secret):
    token = ApiToken.objects.get()
    assert secret.startswith(f"atp_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert ApiClient(secret).get(f"{V1}/schedule").status_code == 200


def test_a_call_without_a_token_is_refused_with_a_json_message(world):
    response = ApiClient().get(f"{V1}/schedule")
    assert response.status_code == 401
    assert response.json()["message"]


def test_a_wrong_or_revoked_token_is_refused(world, inst_admin, secret):
    assert ApiClient(secret + "x").get(f"{V1}/schedule").status_code == 401
    services.token_revoke(actor=inst_admin, token=ApiToken.objects.get())
    response = ApiClient(secret).get(f"{V1}/schedule")
    assert response.status_code == 401 and response.json()["message"]


def test_only_the_institution_administrator_issues_tokens(world):

    with pytest.raises(ValidationError):
        services.token_create(actor=world.chair, institution=world.institution, name="x", scopes=["read:results"])
    assert not ApiToken.objects.exists()


SCOPED = [
    ("get", "/programmes", Scope.WRITE_STRUCTURE),
    ("put", "/programmes", Scope.WRITE_STRUCTURE),
    ("get", "/groups", Scope.WRITE_STRUCTURE),
    ("put", "/groups", Scope.WRITE_STRUCTURE),
    ("get", "/students", Scope.WRITE_STUDENTS),
    ("put", "/students", Scope.WRITE_STUDENTS),
    ("put", "/transcripts", Scope.WRITE_TRANSCRIPTS),
    ("get", "/schedule", Scope.READ_SCHEDULE),
    ("get", "/results", Scope.READ_RESULTS),
    ("get", "/documents", Scope.READ_DOCUMENTS),
    ("get", "/reports", Scope.READ_REPORTS),
]
BODIES = {
    "/programmes": {"items": [{"code": "X1", "department": "Кафедра", "name_kk": "а", "name_ru": "а", "level": "bachelor"}]},
    "/groups": {"items": [{"name": "ИС-19-1", "programme": "6B06101", "study_language": "kk"}]},
    "/students": {"items": [student_item("000000000000")]},
    "/transcripts": {
        "items": [{"iin": "000000000000", "discipline": "X", "period": "2020-1", "kind": "final", "points": 1}]
    },
}


@pytest.mark.parametrize(("method", "path", "scope"), SCOPED)
def test_each_operation_needs_its_scope(world, inst_admin, method, path, scope):
    others = [s for s in Scope if s != scope]
    without = ApiClient(issue(inst_admin, world.institution, *others))
    response = without.get(V1 + path) if method == "get" else without.put_json(V1 + path, BODIES[path])
    assert response.status_code == 403
    assert scope.value in response.json()["message"]
    with_scope = ApiClient(issue(inst_admin, world.institution, scope))
    response = with_scope.get(V1 + path) if method == "get" else with_scope.put_json(V1 + path, BODIES[path])
    assert response.status_code != 403


def test_every_call_is_audited_with_the_token_and_the_status(world, api):
    api.get(f"{V1}/results")
    api.get(f"{V1}/results?year=abc")
    events = list(AuditEvent.objects.filter(verb="api.call").order_by("at", "pk"))
    assert [(e.after["path"], e.after["status"]) for e in events] == [(f"{V1}/results", 200), (f"{V1}/results", 422)]
    assert events[0].after["token"] == ApiToken.objects.get().prefix


def test_calls_beyond_the_rate_limit_get_429(world, api, settings):
    cache.clear()
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    statuses = [api.get(f"{V1}/schedule").status_code for _ in range(4)]
    cache.clear()
    assert statuses == [200, 200, 200, 429]


# ---- in: idempotent, all-or-nothing batches ----------------------------------------------------------------------


def test_the_same_students_twice_change_nothing(world, api):
    iins = valid_iins(3)
    payload = {"items": [student_item(iin, email=f"s{i}@example.kz") for i, iin in enumerate(iins)]}
    first = api.put_json(f"{V1}/students", payload)
    assert first.status_code == 200 and first.json()["created"] == 3
    snapshot = list(Student.objects.filter(iin__in=iins).order_by("iin").values())
    second = api.put_json(f"{V1}/students", payload)
    assert second.status_code == 200 and second.json()["created"] == 0
    assert list(Student.objects.filter(iin__in=iins).order_by("iin").values()) == snapshot


def test_a_student_batch_with_a_wrong_item_writes_nothing_and_names_it(world, api):
    good, bad = valid_iins(1)[0], student_item(valid_iins(1)[0], group="NO-SUCH")
    response = api.put_json(f"{V1}/students", {"items": [student_item(good), bad]})
    assert response.status_code == 422
    body = response.json()
    assert body["message"] and [e["item"] for e in body["errors"]] == [1]
    assert "NO-SUCH" in body["errors"][0]["message"]
    assert not Student.objects.filter(iin=good).exists()


def test_a_malformed_payload_is_a_422_with_the_field_named(world, api):
    response = api.put_json(f"{V1}/students", {"items": [student_item("12")]})
    assert response.status_code == 422
    assert any("iin" in e["field"] for e in response.json()["errors"])


def test_programmes_and_groups_are_upserted_by_their_codes(world, api):
    programme = {"code": "6B06102", "department": "Кафедра", "name_kk": "Есептеу", "name_ru": "Вычисл", "level": "bachelor"}
    assert api.put_json(f"{V1}/programmes", {"items": [programme]}).json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert api.put_json(f"{V1}/programmes", {"items": [programme]}).json() == {"created": 0, "updated": 0, "unchanged": 1}
    renamed = {**programme, "name_ru": "Вычислительная техника"}
    assert api.put_json(f"{V1}/programmes", {"items": [renamed]}).json()["updated"] == 1
    assert Programme.objects.get(code="6B06102").name_ru == "Вычислительная техника"
    group = {"name": "ВТ-20-1", "programme": "6B06102", "study_language": "ru"}
    assert api.put_json(f"{V1}/groups", {"items": [group]}).json()["created"] == 1
    assert api.put_json(f"{V1}/groups", {"items": [group]}).json()["unchanged"] == 1
    assert Group.objects.get(name="ВТ-20-1").programme.code == "6B06102"
    listed = api.get(f"{V1}/groups?programme=6B06102").json()
    assert listed == [group]


def test_a_programme_batch_with_an_unknown_department_writes_nothing(world, api):
    items = [
        {"code": "A1", "department": "Кафедра", "name_kk": "а", "name_ru": "а", "level": "master"},
        {"code": "A2", "department": "Жоқ кафедра", "name_kk": "б", "name_ru": "б", "level": "master"},
    ]
    response = api.put_json(f"{V1}/programmes", {"items": items})
    assert response.status_code == 422
    assert response.json()["errors"][0]["item"] == 1 and response.json()["errors"][0]["field"] == "department"
    assert not Programme.objects.filter(code__in=["A1", "A2"]).exists()


def test_transcripts_are_upserted_and_a_wrong_row_stops_the_batch(world, api):
    Discipline.objects.create(
        institution=world.institution, code="INF101", name_kk="Информатика", name_ru="Инф", category="basic"
    )
    item = {"iin": world.student.iin, "discipline": "INF101", "period": "2019-1", "kind": "final", "points": "88.5"}
    assert api.put_json(f"{V1}/transcripts", {"items": [item]}).json() == {
        "written": 1,
        "added": 1,
        "updated": 0,
        "unchanged": 0,
    }
    assert api.put_json(f"{V1}/transcripts", {"items": [{**item, "points": "90"}]}).json()["updated"] == 1
    assert api.put_json(f"{V1}/transcripts", {"items": [{**item, "points": "90"}]}).json()["unchanged"] == 1
    row = TranscriptRow.objects.get()
    assert str(row.points) == "90.00"
    bad = {**item, "discipline": "NOPE"}
    response = api.put_json(f"{V1}/transcripts", {"items": [{**item, "points": "10"}, bad]})
    assert response.status_code == 422 and response.json()["errors"][0]["item"] == 1
    row.refresh_from_db()
    assert str(row.points) == "90.00"


# ---- out ---------------------------------------------------------------------------------------------------------


def test_schedule_is_filtered_and_paginated(world, api):
    everything = api.get(f"{V1}/schedule").json()
    assert everything["count"] == 2 and {s["student_iin"] for s in everything["items"]} == {
        world.student.iin,
        world.other_student.iin,
    }
    page = api.get(f"{V1}/schedule?page_size=1&page=2").json()
    assert (page["count"], page["pages"], len(page["items"])) == (2, 2, 1)
    assert api.get(f"{V1}/schedule?group=NONE").json()["count"] == 0
    assert api.get(f"{V1}/schedule?year=2019&programme=6B06101").json()["count"] == 2
    assert api.get(f"{V1}/schedule?year=2020").json()["count"] == 0


def test_results_show_only_announced_grades(world, api, slot, other_slot):
    assert api.get(f"{V1}/results").json()["count"] == 0


def test_results_show_the_grade_in_force(world, api, announced):
    rows = {r["student_iin"]: r for r in api.get(f"{V1}/results").json()["items"]}
    assert rows[world.student.iin]["letter"] == "A-" and rows[world.student.iin]["points"] == "94.00"
    result = world.student.slots.get().result
    result.letter, result.points = "A", "96.00"
    result.save()
    rows = {r["student_iin"]: r for r in api.get(f"{V1}/results").json()["items"]}
    assert rows[world.student.iin]["letter"] == "A"


def _sign(paper: Paper, user, role) -> Signature:
    signature = Signature(
        paper=paper, signer=user, role=role, signed_at=timezone.now(), certificate_subject="CN=test", sha256="ab" * 32
    )
    signature.file.save(f"{role}.pdf", ContentFile(b"%PDF-1.7 signed by " + role.encode()), save=False)
    signature.save()
    return signature


def test_documents_list_only_fully_signed_ones_and_serve_the_signed_file(world, api, slot, announced, media):
    paper = papers.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
    _sign(paper, world.secretary, Membership.Role.SECRETARY)
    assert api.get(f"{V1}/documents").json()["count"] == 0  # the chair has not signed yet
    _sign(paper, world.chair, Membership.Role.CHAIR)
    listed = api.get(f"{V1}/documents").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["id"] == str(paper.pk) and [s["role"] for s in item["signers"]] == ["secretary", "chair"]
    response = api.get(item["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 signed by chair"


def test_a_token_never_reaches_another_institutions_data(world, api, other_institution_api, slot, announced, media):
    paper = papers.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
    _sign(paper, world.secretary, Membership.Role.SECRETARY)
    _sign(paper, world.chair, Membership.Role.CHAIR)
    for path in ("/schedule", "/results", "/documents", "/students"):
        assert other_institution_api.get(V1 + path).json()["count"] == 0, path
    assert other_institution_api.get(f"{V1}/reports").json()["count"] == 0
    assert other_institution_api.get(f"{V1}/programmes").json() == []
    assert other_institution_api.get(f"{V1}/documents/{paper.pk}/file").status_code == 404
    moved = other_institution_api.put_json(f"{V1}/students", {"items": [student_item(world.student.iin)]})
    assert moved.status_code == 422  # the group is not the other institution's
    assert api.get(f"{V1}/documents/{paper.pk}/file").status_code == 200


def test_report_figures_count_each_announced_result(world, api, announced):
    report = api.get(f"{V1}/reports?year=2019").json()["items"][0]
    assert report["commission_id"] == world.commission.pk and report["total"] == 2
    letters = {row["letter"]: row["count"] for row in report["programmes"][0]["letters"]}
    assert sum(letters.values()) == 2 and letters["A-"] == 1


def test_the_openapi_description_and_its_documentation_are_served(world, client):
    schema = client.get(f"{V1}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/students", "/api/v1/results", "/api/v1/documents/{pk}/file"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]
    page = client.get(f"{V1}/docs")
    assert page.status_code == 200 and b"swagger" in page.content.lower()
