"""The administrator keeps the institution's structure in the portal: add, edit, and delete what nothing uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.institutions.models import AttestationPeriod, Department, Faculty, Group, InstitutionAdmin, Programme
from attestation.institutions.services import institution_create
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    client.admin = admin
    return client


def test_admin_adds_a_faculty_then_a_department_in_it(admin_client, world):
    url = reverse("institutions:structure_add", args=[world.institution.pk, "faculty"])
    response = admin_client.post(url, {"name_kk": "Ақпараттық технологиялар", "name_ru": "Информационные технологии"})
    assert response.status_code == 302
    faculty = Faculty.objects.get(institution=world.institution)
    url = reverse("institutions:structure_add", args=[world.institution.pk, "department"])
    admin_client.post(url, {"name_kk": "Бағдарламалау", "name_ru": "Программирование", "faculty": faculty.pk})
    assert Department.objects.get(name_kk="Бағдарламалау").faculty == faculty
    assert AuditEvent.objects.filter(verb="faculty.create", actor=admin_client.admin).exists()
    assert AuditEvent.objects.filter(verb="department.create").exists()


def test_admin_edits_a_programme_and_the_change_is_audited(admin_client, world):
    url = reverse("institutions:structure_edit", args=["programme", world.programme.pk])
    data = {
        "code": "6B06102",
        "level": "bachelor",
        "name_kk": "Есептеу жүйелері",
        "name_ru": "Вычислительные системы",
        "department": world.department.pk,
    }
    assert admin_client.post(url, data).status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.code == "6B06102"
    event = AuditEvent.objects.get(verb="programme.update")
    assert (event.before["code"], event.after["code"]) == ("6B06101", "6B06102")


def test_a_period_that_ends_before_it_starts_is_refused(admin_client, world):
    url = reverse("institutions:structure_add", args=[world.institution.pk, "period"])
    data = {"kind": "final", "academic_year": 2019, "name_kk": "Қорытынды", "name_ru": "Итоговая"}
    response = admin_client.post(url, {**data, "starts_on": "2020-06-30", "ends_on": "2020-05-12"})
    assert response.status_code == 400
    assert not AttestationPeriod.objects.exists()
    admin_client.post(url, {**data, "starts_on": "2020-05-12", "ends_on": "2020-06-30"})
    assert AttestationPeriod.objects.get().ends_on.isoformat() == "2020-06-30"


def test_deleting_a_group_with_students_is_refused_naming_them(admin_client, world):
    url = reverse("institutions:structure_delete", args=["group", world.group.pk])
    response = admin_client.post(url, follow=True)
    text = response.content.decode()
    assert Group.objects.filter(pk=world.group.pk).exists()
    assert "ИС-19-1" in text and "(2)" in text and world.student.full_name_kk in text


def test_deleting_a_department_with_programmes_names_the_programme(admin_client, world):
    response = admin_client.post(reverse("institutions:structure_delete", args=["department", world.department.pk]))
    assert response.status_code == 302
    assert Department.objects.filter(pk=world.department.pk).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "6B06101" in page


def test_deleting_an_unused_group_deletes_it_and_audits(admin_client, world):
    spare = Group.objects.create(programme=world.programme, name="ИС-19-9", study_language="ru")
    admin_client.post(reverse("institutions:structure_delete", args=["group", spare.pk]))
    assert not Group.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(verb="group.delete", object_id=str(spare.pk)).exists()


def test_a_department_of_another_institution_cannot_be_chosen(admin_client, world):
    foreign = institution_create(
        actor=admin_client.admin, kind="hei", short_name="OTHER", name_kk="Басқа", name_ru="Другой", academic_year=2019
    )
    foreign_department = Department.objects.create(institution=foreign, name_kk="Бөтен", name_ru="Чужая")
    url = reverse("institutions:structure_add", args=[world.institution.pk, "programme"])
    data = {"code": "6B0", "level": "bachelor", "name_kk": "А", "name_ru": "А", "department": foreign_department.pk}
    assert admin_client.post(url, data).status_code == 400
    assert not Programme.objects.filter(department=foreign_department).exists()


def test_an_outsider_and_the_head_cannot_reach_the_structure(client, world):
    for user in (world.outsider, world.head):
        client.force_login(user)
        assert client.get(reverse("institutions:structure", args=[world.institution.pk])).status_code == 404
        url = reverse("institutions:structure_delete", args=["group", world.group.pk])
        assert client.post(url).status_code == 404


def test_structure_page_query_count_does_not_grow_with_rows(admin_client, world):
    url = reverse("institutions:structure", args=[world.institution.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    Group.objects.create(programme=world.programme, name="G-2", study_language="kk")
    few = count()
    Group.objects.bulk_create([Group(programme=world.programme, name=f"G-{i}", study_language="ru") for i in range(3, 51)])
    Faculty.objects.bulk_create([Faculty(institution=world.institution, name_kk=f"F{i}", name_ru="F") for i in range(50)])
    assert count() == few
