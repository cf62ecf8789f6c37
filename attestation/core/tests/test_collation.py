import pytest
from django.utils import translation

from attestation.core.collation import name_order, sort_key
from attestation.institutions.models import Student
from attestation.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
KAZAKH_ORDER = [
    "Асқар",
    "Әлібек",
    "Бек",
    "Ғали",
    "Кенже",
    "Қайрат",
    "Нұр",
    "Ңғ",
    "Орал",
    "Өмір",
    "Ұлан",
    "Үсен",
    "Һашим",
    "Ыбырай",
    "Ілияс",
    "Ясин",
]


def test_python_sort_key_follows_the_kazakh_alphabet():
    assert sorted(reversed(KAZAKH_ORDER), key=sort_key) == KAZAKH_ORDER


def test_database_sorts_kazakh_names_by_the_kazakh_alphabet(world):
    for name in reversed(KAZAKH_ORDER):
        StudentFactory(group=world.group, last_name_kk=name, last_name_ru=name)
    rows = Student.objects.filter(last_name_kk__in=KAZAKH_ORDER).order_by(*name_order("last_name_kk", language="kk"))
    assert [s.last_name_kk for s in rows] == KAZAKH_ORDER


def test_russian_names_sort_yo_as_ye_on_this_database(world):
    names = ["Ёлкин", "Жуков", "Ершов", "Ежов", "Абаев", "Яковлев"]
    for name in names:
        StudentFactory(group=world.group, last_name_ru=name)
    rows = Student.objects.filter(last_name_ru__in=names).order_by(*name_order("last_name_ru", language="ru"))
    assert [s.last_name_ru for s in rows] == ["Абаев", "Ежов", "Ёлкин", "Ершов", "Жуков", "Яковлев"]


def test_kazakh_names_sort_yo_as_its_own_letter_after_ye_on_this_database(world):
    names = ["Ёлкин", "Жұмабаев", "Ершов", "Ежов"]
    for name in names:
        StudentFactory(group=world.group, last_name_kk=name)
    rows = Student.objects.filter(last_name_kk__in=names).order_by(*name_order("last_name_kk", language="kk"))
    assert [s.last_name_kk for s in rows] == ["Ежов", "Ершов", "Ёлкин", "Жұмабаев"]


# Orders PostgreSQL's ICU collations give (read from kk-KZ-x-icu, ru-RU-x-icu and und-x-icu): the SQLite key must
# give the same, so the embedded database lists people as the server's does.
ICU_ORDERS = {
    "ru": [
        "Ан Б",
        "Ан-Б",
        "ана",
        "Ана",
        "Ана1",
        "Анб",
        "Әлиев",
        "Ежов",
        "ёлка",
        "Ёлка",
        "Ёлкин",
        "Ершов",
        "Иван",
        "Ілияс",
        "Ка",
        "Қа",
        "Уа",
        "Үа",
        "Ұа",
        "Anna",
        "Zed",
    ],
    "kk": [
        "Ан Б",
        "Ан-Б",
        "ана",
        "Ана",
        "Ана1",
        "Анб",
        "Әлиев",
        "Ежов",
        "Ершов",
        "ёлка",
        "Ёлка",
        "Ёлкин",
        "Иван",
        "Ка",
        "Қа",
        "Уа",
        "Ұа",
        "Үа",
        "Ілияс",
        "Anna",
        "Zed",
    ],
    "en": ["Anna", "Zed", "Ан Б", "ана", "Ана", "Әлиев", "Ежов", "Ёлкин", "Ершов", "Ілияс"],
}


@pytest.mark.parametrize("language", ICU_ORDERS)
def test_the_sqlite_key_orders_like_icu(language):
    expected = ICU_ORDERS[language]
    assert sorted(reversed(expected), key=lambda name: sort_key(name, language)) == expected


def test_department_page_lists_students_in_kazakh_order(client, world):
    for name in ("Ясин", "Әлібек", "Асқар"):
        StudentFactory(group=world.group, last_name_kk=name, first_name_kk="Б")
    client.force_login(world.head)
    with translation.override("kk"):
        students = client.get(f"/departments/{world.department.pk}/", HTTP_ACCEPT_LANGUAGE="kk").context["students"]
    names = [s.last_name_kk for s in students if s.last_name_kk in ("Ясин", "Әлібек", "Асқар")]
    assert names == ["Асқар", "Әлібек", "Ясин"]


def test_kazakh_date_format_on_a_page(client, world):
    client.force_login(world.student.user)
    content = client.get("/my/schedule/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "2020 жылғы 12 мамыр" in content
