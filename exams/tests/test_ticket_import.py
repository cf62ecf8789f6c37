"""Ready-made tickets from a department's XLSX or CSV: matched to the approved list, all or nothing, rows named."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from attestation.core.models import AuditEvent
from exams import programmes
from exams.models import Ticket, TicketSet
from exams.ticket_import import read_csv, read_xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def approved(world):
    programme = programmes.programme_create(commission=world.commission, title="Кешенді емтихан", actor=world.head)
    for i, text in enumerate(
        [
            "Реляциялық модель дегеніміз не?",
            "TCP және UDP айырмашылығы",
            "Нормализация",
            "Индекстер",
            "Маршрутизация",
            "Транзакциялар",
        ]
    ):
        programmes.question_add(programme=programme, section="AB"[i % 2], text=text, actor=world.head)
    return programmes.programme_approve(programme=programme, actor=world.head)


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("билеттер.xlsx", out.getvalue(), content_type=XLSX)


def do_import(world, programme, rows):
    return programmes.tickets_import(programme=programme, rows=read_xlsx(xlsx(rows)), actor=world.head)


def test_numbers_and_texts_make_a_new_draft_version_in_file_order(world, approved):
    ticket_set = do_import(
        world,
        approved,
        [
            ["Билет №", "1-сұрақ", "2-сұрақ"],
            [1, 1, "TCP және UDP айырмашылығы"],
            [2, "№3", " индекстер "],  # the list's number sign, other case and spaces
            [3, "5. Маршрутизация", 6],  # a text with its leading number
        ],
    )
    assert ticket_set.state == TicketSet.State.DRAFT and ticket_set.version == 1
    got = {t.number: [i.question.number for i in t.items.order_by("position")] for t in ticket_set.tickets.all()}
    assert got == {1: [1, 2], 2: [3, 4], 3: [5, 6]}
    assert AuditEvent.objects.get(verb="tickets.import").after["count"] == 3


def test_a_bad_row_refuses_the_whole_file_and_names_the_row(world, approved):
    with pytest.raises(ValidationError) as exc:
        do_import(world, approved, [["Билет №", "1", "2"], [1, 1, 2], [2, 3, "Кванттық физика"], [3, 5, 6]])
    assert exc.value.messages[0].startswith("Row 3: column C:")
    assert "not a question of the approved list" in exc.value.messages[0]
    assert not TicketSet.objects.exists() and not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([[1, 1, 2], [1, 3, 4]], "Row 2: ticket No. 1 is already on row 1"),
        ([[1, 1, 1]], "Row 1: column C: question No. 1 is already on this ticket"),
        ([[1, 1, 2], [2, 3]], "Row 2: 1 question(s), but the ticket on row 1 has 2"),
        ([[1, 1, 99]], "Row 1: column C: the approved list has no question No. 99"),
        ([["Билет №", "1"], ["бір", 1]], "Row 2: column A must hold the ticket number"),
        ([[1]], "Row 1: the ticket has no questions"),
    ],
)
def test_each_kind_of_bad_row_is_explained(world, approved, rows, expected):
    with pytest.raises(ValidationError) as exc:
        do_import(world, approved, rows)
    assert exc.value.messages[0].startswith(expected)


def test_a_formula_is_read_as_its_text_and_never_calculated(world, approved):
    # =1+2 would be question No. 3 if it were calculated; as text it names no question.
    with pytest.raises(ValidationError) as exc:
        do_import(world, approved, [[1, 1, "=1+2"]])
    assert "«=1+2» is a formula" in exc.value.messages[0]
    assert not TicketSet.objects.exists()


def test_a_windows_1251_csv_with_semicolons_imports(world, approved):
    data = "Билет №;Вопрос 1;Вопрос 2\r\n1;1;2\r\n2;Нормализация;4\r\n".encode("cp1251")
    rows = read_csv(SimpleUploadedFile("tickets.csv", data))
    ticket_set = programmes.tickets_import(programme=approved, rows=rows, actor=world.head)
    assert ticket_set.tickets.count() == 2


def test_tickets_come_only_from_an_approved_programme(world):
    draft = programmes.programme_create(commission=world.commission, title="Жоба", actor=world.head)
    programmes.question_add(programme=draft, section="A", text="Q", actor=world.head)
    with pytest.raises(ValidationError, match="approved programme"):
        do_import(world, draft, [[1, 1]])


def test_an_approved_import_is_frozen_and_a_second_import_is_the_next_version(world, approved):
    first = do_import(world, approved, [[1, 1, 2]])
    programmes.ticket_set_approve(ticket_set=first, actor=world.head)
    with pytest.raises(ValidationError, match="frozen"):
        programmes.ticket_question_replace(
            ticket=first.tickets.get(), position=1, question=approved.questions.get(number=3), actor=world.head
        )
    assert do_import(world, approved, [[1, 3, 4]]).version == 2


def test_the_head_imports_in_the_browser_and_sees_the_draft(client, world, approved):
    client.force_login(world.head)
    url = reverse("exams:programme_action", args=[approved.pk, "import_tickets"])
    response = client.post(url, {"file": xlsx([[1, 1, 2], [2, 3, 4]])}, follow=True)
    body = response.content.decode()
    assert "imported as a new draft version" in body
    assert TicketSet.objects.get(programme=approved).tickets.count() == 2


def test_the_page_names_the_bad_row_and_saves_nothing(client, world, approved):
    client.force_login(world.head)
    url = reverse("exams:programme_action", args=[approved.pk, "import_tickets"])
    body = client.post(url, {"file": xlsx([[1, 1, 2], [2, 3, "жоқ сұрақ"]])}, follow=True).content.decode()
    assert "Row 2: column C:" in body and "Nothing was imported." in body
    assert not TicketSet.objects.exists()


def test_a_renamed_file_is_refused_by_its_content(client, world, approved):
    client.force_login(world.head)
    url = reverse("exams:programme_action", args=[approved.pk, "import_tickets"])
    fake = SimpleUploadedFile("tickets.xlsx", b"<html><script>alert(1)</script></html>")
    body = client.post(url, {"file": fake}, follow=True).content.decode()
    assert "tickets.xlsx" in body
    assert not TicketSet.objects.exists()


def test_a_member_cannot_import_tickets(client, world, approved):
    client.force_login(world.member)
    url = reverse("exams:programme_action", args=[approved.pk, "import_tickets"])
    assert client.post(url, {"file": xlsx([[1, 1, 2]])}).status_code == 404
    assert not TicketSet.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_downloaded_sample_imports_as_it_is(client, world, approved, fmt):
    client.force_login(world.head)
    response = client.get(reverse("exams:ticket_sample", args=[approved.pk, fmt]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert "html" not in response["Content-Type"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    upload = SimpleUploadedFile(f"sample.{fmt}", data)
    rows = read_xlsx(upload) if fmt == "xlsx" else read_csv(upload)
    ticket_set = programmes.tickets_import(programme=approved, rows=rows, actor=world.head)
    assert ticket_set.tickets.count() == 3


def test_the_sample_never_writes_a_question_as_a_formula(client, world, approved):
    draft = programmes.programme_create(commission=world.commission, title="v2", actor=world.head)
    for text in ['=HYPERLINK("http://evil")', "B", "C"]:
        programmes.question_add(programme=draft, section="A", text=text, actor=world.head)
    client.force_login(world.head)
    response = client.get(reverse("exams:ticket_sample", args=[draft.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_quoted_header_cell_with_commas_does_not_split_a_semicolon_file_at_its_commas(world, approved):
    data = 'Билет №;"Вопрос 1 (теория, практика, задача, кейс)";Вопрос 2\r\n1;1;2\r\n2;"3";4\r\n'.encode()
    rows = read_csv(SimpleUploadedFile("tickets.csv", data))
    assert [row.cells for row in rows] == [["1", "1", "2"], ["2", "3", "4"]]
