import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from attestation.institutions.models import AttestationPeriod, Institution, InstitutionAdmin, Staff
from attestation.tests.factories import UserFactory
from portal.getting_started import getting_started

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 5, 4)


def test_an_empty_institution_lacks_every_step_and_links_each_one(client):
    institution = Institution.objects.create(name_kk="Жаңа колледж", name_ru="Новый колледж", short_name="new", kind="tvet")
    admin = UserFactory()
    InstitutionAdmin.objects.create(institution=institution, user=admin)
    client.force_login(admin)
    page = client.get(reverse("home")).content.decode()
    [checklist] = getting_started(institutions=[institution], today=TODAY)
    assert [s.key for s in checklist.steps if not s.done] == [
        "policy", "structure", "students", "staff", "commissions", "timetable"
    ]  # fmt: skip
    assert 'data-test="getting-started"' in page
    for step in checklist.steps:
        assert step.url in page


def test_a_running_institution_has_every_step_ticked_and_the_home_page_hides_the_list(client, world):
    Staff.objects.get_or_create(user=world.chair, institution=world.institution, defaults={"position": "профессор"})
    AttestationPeriod.objects.get_or_create(
        institution=world.institution,
        academic_year=2019,
        defaults={
            "name_kk": "Көктем",
            "name_ru": "Весна",
            "starts_on": dt.date(2020, 5, 1),
            "ends_on": dt.date(2020, 6, 30),
        },
    )
    [checklist] = getting_started(institutions=[world.institution], today=TODAY)
    assert {s.key: s.done for s in checklist.steps} == dict.fromkeys(
        ["policy", "structure", "students", "staff", "commissions", "timetable"], True
    )
    admin = UserFactory()
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    with time_machine.travel(dt.datetime(2020, 5, 4, 9, tzinfo=dt.UTC), tick=False):
        assert 'data-test="getting-started"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_one_query_for_any_number_of_institutions(django_assert_num_queries, count):
    institutions = [
        Institution.objects.create(name_kk=f"И{i}", name_ru=f"И{i}", short_name=f"i{i}", kind="hei") for i in range(count)
    ]
    with django_assert_num_queries(1):
        lists = getting_started(institutions=institutions, today=TODAY)
    assert len(lists) == count
