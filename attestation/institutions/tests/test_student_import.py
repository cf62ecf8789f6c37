import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from attestation.institutions import student_import
from attestation.institutions.models import InstitutionAdmin, Student, StudentImport
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


def check_and_import(client, world, upload):
    """The page's two steps: the check (nothing written) and the import; returns the import's row."""
    response = client.post(url(world), {"file": upload})
    assert response.status_code == 302, response.content
    job = StudentImport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert job.state == StudentImport.State.CHECKED and not job.errors, job.errors
    client.post(reverse("institutions:student_import_start", args=[job.pk]))
    job.refresh_from_db()
    return job


def checked(client, world, upload):
    response = client.post(url(world), {"file": upload})
    assert response.status_code == 302, response.content
    return client.get(response.url)


def test_good_xlsx_with_kazakh_headers_creates_students_and_logins(admin_client, world):
    iins = [valid_iin(), valid_iin()]
    job = check_and_import(admin_client, world, xlsx([HEADER, row(iins[0]), row(iins[1], email="")]))
    assert (job.state, job.created, job.updated) == ("done", 2, 0)
    created = Student.objects.filter(iin__in=iins)
    assert created.count() == 2
    assert {s.full_name_kk for s in created} == {"Сейітова Інкәр Ғаниқызы"}
    assert all(s.user and not s.user.has_usable_password() for s in created)


def test_the_check_writes_nothing_and_says_what_the_import_would_do(admin_client, world):
    before = Student.objects.count()
    page = checked(admin_client, world, xlsx([HEADER, row(valid_iin()), row(world.student.iin)]))
    job = page.context["job"]
    assert Student.objects.count() == before
    assert (job.rows, job.created, job.updated, job.unchanged) == (2, 1, 1, 0)
    assert reverse("institutions:student_import_start", args=[job.pk]) in page.content.decode()


def test_one_bad_row_imports_nothing_and_names_every_row_column_and_reason(admin_client, world):
    before = Student.objects.count()
    rows = [
        HEADER,
        row(valid_iin()),
        row("123456789012"),
        row(valid_iin(), group="НЕТ-1"),
        row(valid_iin(), lang="klingon", email="not-an-email"),
    ]
    page = checked(admin_client, world, xlsx(rows))
    assert page.status_code == 400
    assert Student.objects.count() == before
    errors = page.context["job"].errors
    assert [(number, column) for number, column, _ in errors] == [
        (3, "ЖСН"),
        (4, "Топ"),
        (5, "Оқу тілі"),
        (5, "Email"),
    ]
    assert "НЕТ-1" in errors[1][2]
    assert "not-an-email" in page.content.decode()


def test_a_file_with_errors_cannot_be_imported(admin_client, world):
    page = checked(admin_client, world, xlsx([HEADER, row("123456789012")]))
    job = page.context["job"]
    admin_client.post(reverse("institutions:student_import_start", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == StudentImport.State.CHECKED
    assert not Student.objects.filter(iin="123456789012").exists()


def test_a_checked_file_is_imported_once(admin_client, world):
    iin = valid_iin()
    job = check_and_import(admin_client, world, xlsx([HEADER, row(iin)]))
    admin_client.post(reverse("institutions:student_import_start", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.created) == ("done", 1)
    assert Student.objects.filter(iin=iin).count() == 1


def test_duplicate_iin_in_one_file_is_refused(admin_client, world):
    iin = valid_iin()
    errors = checked(admin_client, world, xlsx([HEADER, row(iin), row(iin)])).context["job"].errors
    assert [(n, c) for n, c, _ in errors] == [(3, "ЖСН")]
    assert not Student.objects.filter(iin=iin).exists()


def test_csv_in_windows_1251_with_semicolons_is_read(admin_client, world):
    iin = valid_iin()
    # A Windows-1251 export cannot hold Ә, Ғ, Қ...: such files carry names without them.
    header = ["ИИН", "Тегі", "Аты", "Отчество (каз)", "Фамилия", "Имя", "Отчество", "Группа", "Язык обучения"]
    values = [iin, "Иванова", "Анна", "", "Иванова", "Анна", "Петровна", "ИС-19-1", "русский"]
    text = "\n".join(";".join(r) for r in [header, values])
    check_and_import(admin_client, world, SimpleUploadedFile("students.csv", text.encode("cp1251")))
    assert Student.objects.get(iin=iin).study_language == "ru"


def test_reimport_updates_a_known_student_by_iin(admin_client, world):
    iin = world.student.iin
    job = check_and_import(admin_client, world, xlsx([HEADER, row(iin, email="new@example.kz")]))
    assert job.updated == 1
    world.student.refresh_from_db()
    assert world.student.email == "new@example.kz"
    assert world.student.last_name_kk == "Сейітова"


def test_a_corrected_iin_updates_the_student_known_by_student_number(admin_client, world):
    world.student.record_number = "S-0001"
    world.student.save()
    new_iin = valid_iin()
    header = [*HEADER, "Студенттік нөмір"]
    job = check_and_import(admin_client, world, xlsx([header, [*row(new_iin), "S-0001"]]))
    assert (job.created, job.updated) == (0, 1)
    world.student.refresh_from_db()
    assert world.student.iin == new_iin


def test_a_student_number_of_another_student_is_named(admin_client, world, other_student):
    world.student.record_number = "S-0002"
    world.student.save()
    header = [*HEADER, "Студенттік нөмір"]
    errors = checked(admin_client, world, xlsx([header, [*row(other_student.student.iin), "S-0002"]])).context["job"].errors
    assert [(n, c) for n, c, _ in errors] == [(2, "Студенттік нөмір")]
    assert world.student.iin in errors[0][2]


def test_a_file_that_is_not_a_spreadsheet_is_refused(admin_client, world):
    fake = SimpleUploadedFile("students.xlsx", b"MZ\x90\x00 this is an executable")
    response = admin_client.post(url(world), {"file": fake})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_header_without_required_columns_is_named_column_by_column(admin_client, world):
    errors = checked(admin_client, world, xlsx([["ЖСН", "Тегі"], [valid_iin(), "Сейітова"]])).context["job"].errors
    assert {n for n, _c, _p in errors} == {1}
    assert "Топ" in {c for _n, c, _p in errors}


def test_a_student_cannot_open_the_import(client, world):
    client.force_login(world.student.user)
    assert client.get(url(world)).status_code == 404


def test_another_institutions_admin_cannot_see_a_checked_file(admin_client, client, world):
    page = checked(admin_client, world, xlsx([HEADER, row(valid_iin())]))
    client.force_login(world.outsider)
    assert client.get(reverse("institutions:student_import_detail", args=[page.context["job"].pk])).status_code == 404


@pytest.mark.parametrize("name", ["import_template", "import_template_xlsx"])
def test_the_downloaded_template_imports_once_filled_and_twice_changes_nothing(client, world, name):
    admin = UserFactory(username="template-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    client.force_login(admin)
    content = client.get(reverse(f"institutions:{name}", args=[world.institution.pk])).content
    values = [valid_iin(), "", "Серікова", "Дана", "", "Серикова", "Дана", "", world.group.name, "kk", ""]
    if name == "import_template":
        upload = SimpleUploadedFile("s.csv", (content.decode("utf-8-sig") + ",".join(values) + "\r\n").encode())
    else:
        book = load_workbook(io.BytesIO(content))
        assert book.active["A2"].number_format == "@"  # an IIN keeps its leading zero
        book.active.append(values)
        out = io.BytesIO()
        book.save(out)
        upload = SimpleUploadedFile("s.xlsx", out.getvalue())
    first = check_and_import(client, world, upload)
    upload.seek(0)
    second = check_and_import(client, world, upload)
    assert (first.created, second.created, second.updated, second.unchanged) == (1, 0, 0, 1)
    assert Student.objects.filter(last_name_kk="Серікова").count() == 1


def test_outsider_cannot_download_the_template(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("institutions:import_template", args=[world.institution.pk])).status_code == 404


def test_a_large_file_is_imported_by_the_worker_with_progress(admin_client, world, settings, monkeypatch):
    monkeypatch.setattr(student_import, "SYNC_MAX_ROWS", 2)
    sent = []
    monkeypatch.setattr(student_import, "job_queue", lambda job: sent.append(job.pk))
    rows = [HEADER, *[row(valid_iin(), email="") for _ in range(3)]]
    page = checked(admin_client, world, xlsx(rows))
    job = page.context["job"]
    admin_client.post(reverse("institutions:student_import_start", args=[job.pk]))
    assert sent == [job.pk]
    fragment = admin_client.get(reverse("institutions:student_import_progress", args=[job.pk]))
    assert "hx-get" in fragment.content.decode()  # the page polls while the worker has it
    student_import.student_import_run(job_pk=job.pk)
    student_import.student_import_run(job_pk=job.pk)  # a second delivery finds it claimed
    job.refresh_from_db()
    assert (job.state, job.created, job.percent) == ("done", 3, 100)
    assert "hx-get" not in admin_client.get(reverse("institutions:student_import_progress", args=[job.pk])).content.decode()


def test_a_one_column_csv_gets_its_missing_columns_named_not_a_server_error(admin_client, world):
    # The delimiter is read as every import reads it (attestation/core/csv_table.py): a header of one cell has none.
    errors = (
        checked(admin_client, world, SimpleUploadedFile("s.csv", "ЖСН\r\n010101500001\r\n".encode())).context["job"].errors
    )
    assert errors and {n for n, _column, _problem in errors} == {1}
