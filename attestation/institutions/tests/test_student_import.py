import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from attestation.institutions.models import InstitutionAdmin, Student
from attestation.tests.factories import UserFactory, valid_iin

pytestmark = pytest.mark.django_db
HEADER = ["ЖСН", "Тегі", "Аты", "Әкесінің аты", "Фамилия", "Имя", "Отчество", "Топ", "Оқу тілі", "Email"]


def row(iin, group="ИС-19-1", lang="қазақ", email="a@example.kz"):
    return [iin, "Сейітова", "Інкәр", "Ғаниқызы", "Сеитова", "Инкар", "Ганиевна", group, lang, email]


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("students.xlsx", buffer.getvalue())


@pytest.fixture
def admin_client(client, world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    return client


def url(world):
    return reverse("institutions:import_students", args=[world.institution.pk])


def test_good_xlsx_with_kazakh_headers_creates_students_and_logins(admin_client, world):
    iins = [valid_iin(), valid_iin()]
    response = admin_client.post(url(world), {"file": xlsx([HEADER, row(iins[0]), row(iins[1], email="")])})
    assert response.status_code == 302
    created = Student.objects.filter(iin__in=iins)
    assert created.count() == 2
    assert {s.full_name_kk for s in created} == {"Сейітова Інкәр Ғаниқызы"}
    assert all(s.user and not s.user.has_usable_password() for s in created)


def test_one_bad_row_imports_nothing_and_lists_every_bad_row(admin_client, world):
    before = Student.objects.count()
    rows = [
        HEADER,
        row(valid_iin()),
        row("123456789012"),
        row(valid_iin(), group="НЕТ-1"),
        row(valid_iin(), lang="klingon", email="not-an-email"),
    ]
    response = admin_client.post(url(world), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert Student.objects.count() == before
    errors = response.context["result"].errors
    assert [number for number, _ in errors] == [3, 4, 5]
    assert "check digit" in errors[0][1] or "бақылау" in errors[0][1] or "контрол" in errors[0][1]


def test_duplicate_iin_in_one_file_is_refused(admin_client, world):
    iin = valid_iin()
    response = admin_client.post(url(world), {"file": xlsx([HEADER, row(iin), row(iin)])})
    assert response.status_code == 400
    assert not Student.objects.filter(iin=iin).exists()


def test_csv_in_windows_1251_with_semicolons_is_read(admin_client, world):
    iin = valid_iin()
    # A Windows-1251 export cannot hold Ә, Ғ, Қ...: such files carry names without them.
    header = ["ИИН", "Тегі", "Аты", "Отчество (каз)", "Фамилия", "Имя", "Отчество", "Группа", "Язык обучения"]
    values = [iin, "Иванова", "Анна", "", "Иванова", "Анна", "Петровна", "ИС-19-1", "русский"]
    text = "\n".join(";".join(r) for r in [header, values])
    upload = SimpleUploadedFile("students.csv", text.encode("cp1251"))
    response = admin_client.post(url(world), {"file": upload})
    assert response.status_code == 302
    assert Student.objects.get(iin=iin).study_language == "ru"


def test_reimport_updates_a_known_student_by_iin(admin_client, world):
    iin = world.student.iin
    response = admin_client.post(url(world), {"file": xlsx([HEADER, row(iin, email="new@example.kz")])})
    assert response.status_code == 302
    world.student.refresh_from_db()
    assert world.student.email == "new@example.kz"
    assert world.student.last_name_kk == "Сейітова"


def test_a_file_that_is_not_a_spreadsheet_is_refused(admin_client, world):
    fake = SimpleUploadedFile("students.xlsx", b"MZ\x90\x00 this is an executable")
    response = admin_client.post(url(world), {"file": fake})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_header_without_required_columns_is_refused(admin_client, world):
    response = admin_client.post(url(world), {"file": xlsx([["ЖСН", "Тегі"], [valid_iin(), "Сейітова"]])})
    assert response.status_code == 400
    assert response.context["result"].errors[0][0] == 1


def test_a_student_cannot_open_the_import(client, world):
    client.force_login(world.student.user)
    assert client.get(url(world)).status_code == 404


def test_the_downloaded_template_imports_once_filled_and_twice_changes_nothing(client, world):
    admin = UserFactory(username="template-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    header = client.get(reverse("institutions:import_template", args=[world.institution.pk])).content.decode("utf-8-sig")
    row = f"{valid_iin()},,Серікова,Дана,,Серикова,Дана,,{world.group.name},kk,\r\n"
    upload = (header + row).encode()
    url = reverse("institutions:import_students", args=[world.institution.pk])
    for _ in range(2):
        client.post(url, {"file": SimpleUploadedFile("s.csv", upload, content_type="text/csv")})
    assert Student.objects.filter(last_name_kk="Серікова").count() == 1


def test_outsider_cannot_download_the_template(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("institutions:import_template", args=[world.institution.pk])).status_code == 404
