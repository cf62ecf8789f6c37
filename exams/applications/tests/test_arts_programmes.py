"""R46 is the colleges' arts and culture path: offered only for a programme the institution marks as arts and culture."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.institutions.models import Department, InstitutionAdmin, Programme
from attestation.tests.factories import StudentFactory, UserFactory
from exams.applications import arts
from exams.applications.models import ArtsResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def software(world):
    """The world's programme as a college programme outside arts and culture."""
    Programme.objects.filter(pk=world.programme.pk).update(level=Programme.Level.COLLEGE, arts_and_culture=False)
    return world.student


@pytest.fixture
def dance(world):
    """A second college programme of the same department, in arts and culture, with one student."""
    programme = Programme.objects.create(
        department=world.department,
        code="0408023",
        level=Programme.Level.COLLEGE,
        name_kk="Би ансамблінің бишісі",
        name_ru="Артист ансамбля танца",
        arts_and_culture=True,
    )
    group = programme.groups.create(name="Б-20-1", study_language="kk")
    return StudentFactory(group=group, institution=world.institution)


def test_the_arts_result_is_refused_for_a_programme_outside_arts_and_culture(world, software):
    with pytest.raises(ValidationError) as exc:
        arts.arts_result_set(actor=world.head, student=software, period="2019-1", characteristic="x", entered_average=80)
    assert world.programme.code in str(exc.value)
    assert not ArtsResult.objects.exists()


def test_the_department_reaches_only_the_arts_and_culture_students(client, world, software, dance):
    client.force_login(world.head)
    page = client.get(reverse("applications:arts_list", args=[world.department.pk]), {"period": "2019-1"})
    shown = [student.pk for student in page.context["students"]]
    assert shown == [dance.pk]
    assert client.get(reverse("applications:arts_set", args=[software.pk])).status_code == 404
    assert client.get(reverse("applications:arts_set", args=[dance.pk])).status_code == 200


def test_the_arts_link_is_offered_only_to_a_department_with_an_arts_programme(client, world, software):
    client.force_login(world.head)
    link = reverse("applications:arts_list", args=[world.department.pk])
    assert link not in client.get(reverse("home")).content.decode()
    assert link not in client.get(reverse("institutions:department", args=[world.department.pk])).content.decode()
    Programme.objects.filter(pk=world.programme.pk).update(arts_and_culture=True)
    assert link in client.get(reverse("home")).content.decode()
    assert link in client.get(reverse("institutions:department", args=[world.department.pk])).content.decode()


def test_the_administrator_marks_a_programme_arts_and_culture_on_the_structure_page(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    url = reverse("institutions:structure_edit", args=["programme", world.programme.pk])
    assert 'name="arts_and_culture"' in client.get(url).content.decode()
    data = {
        "code": "0408013",
        "level": "college",
        "name_kk": "Балет әртісі",
        "name_ru": "Артист балета",
        "department": world.department.pk,
        "arts_and_culture": "on",
    }
    assert client.post(url, data).status_code == 302
    assert Programme.objects.get(pk=world.programme.pk).arts_and_culture is True
    assert Department.objects.filter(programmes__arts_and_culture=True).count() == 1
