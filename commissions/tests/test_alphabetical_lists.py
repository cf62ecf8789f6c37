"""Issue 9: the registrar's document list and the lists of people on commission pages follow the Kazakh alphabet on
Kazakh pages and the Russian one on Russian pages — on PostgreSQL (ICU collations) and SQLite (registered collations)
alike. Run this module with DATABASE_URL=sqlite:///... as well."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from attestation.institutions.models import Registrar
from attestation.tests.factories import StudentFactory, UserFactory
from commissions import selectors
from commissions import services as commission_services
from commissions.grading import services as grading
from commissions.models import Membership, Paper
from commissions.papers import services as papers
from commissions.papers.selectors import registry_papers
from commissions.papers.testca import sign_as

pytestmark = pytest.mark.django_db

# Code-point order would put Ә after Я (Kazakh) and Ё before А (Russian): both wrong.
NAMES = [("Ясинов", "Ёлкин"), ("Әлібеков", "Абаев"), ("Бекова", "Жукова")]
KAZAKH_ORDER = ["Әлібеков", "Бекова", "Ясинов"]
RUSSIAN_ORDER = ["Абаев", "Ёлкин", "Жукова"]  # Е Ё Ж; code points put Ё before А


@pytest.fixture
def three_protocols(world, media):
    students = [world.student, world.other_student]
    students.append(StudentFactory(group=world.group))
    commission_services.slot_create(actor=world.secretary, sitting=world.sitting, student=students[2])
    for student, (kk_name, ru_name) in zip(students, NAMES, strict=True):
        student.last_name_kk, student.last_name_ru = kk_name, ru_name
        student.save()
    for slot in world.sitting.slots.select_related("student"):
        grading.result_set_incomplete(actor=world.chair, slot=slot)
        protocol = papers.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
        for user in (world.secretary, world.chair):  # the registrar's list shows signed protocols only
            sign_as(actor=user, paper=protocol)
    registrar = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar)
    return registrar


def _order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


@pytest.mark.parametrize(("language", "expected"), [("kk", KAZAKH_ORDER), ("ru", RUSSIAN_ORDER)])
def test_registrar_list_follows_the_alphabet_of_the_page(client, world, three_protocols, language, expected):
    client.force_login(three_protocols)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("commissions:registry", args=[world.institution.pk]))
    assert page.status_code == 200
    assert _order(page.content.decode(), expected) == expected


@pytest.mark.parametrize(("language", "expected"), [("kk", KAZAKH_ORDER), ("ru", RUSSIAN_ORDER)])
def test_registry_selector_orders_protocols_by_student_name(world, three_protocols, language, expected):
    with translation.override(language):
        rows = list(registry_papers(institution_id=world.institution.pk))
    field = "last_name_ru" if language == "ru" else "last_name_kk"
    assert [getattr(p.slot.student, field) for p in rows if p.slot] == expected


def test_commission_members_follow_the_alphabet_within_each_role(world):
    for last_name in ("Ясинова", "Әбенов", "Бақытов"):
        user = UserFactory(last_name=last_name)
        commission_services.membership_add(
            actor=world.chair, commission=world.commission, user=user, role=Membership.Role.MEMBER
        )
    with translation.override("kk"):
        members = selectors.commission_members(commission=world.commission)
    names = [
        m.user.last_name
        for m in members
        if m.role == Membership.Role.MEMBER and m.user.last_name in ("Ясинова", "Әбенов", "Бақытов")
    ]
    assert names == ["Әбенов", "Бақытов", "Ясинова"]
    assert members[0].role == Membership.Role.CHAIR and members[-1].role == Membership.Role.SECRETARY
