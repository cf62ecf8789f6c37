"""Every import reads an uploaded CSV file through `attestation/core/csv_table.py`: one encoding rule, one delimiter
rule with one tie order, one message for a file that is not text."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from attestation.core.csv_table import csv_delimiter, csv_rows, csv_table


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def test_a_semicolon_file_from_excel_in_windows_1251_is_read_with_its_decimal_commas():
    data = "ИИН;Код дисциплины;Балл\r\n010101500001;DB2201;81,5\r\n".encode("cp1251")
    assert csv_rows(data) == [["ИИН", "Код дисциплины", "Балл"], ["010101500001", "DB2201", "81,5"]]


def test_a_utf8_file_with_a_byte_order_mark_reads_its_first_header_cell_clean():
    data = "\ufeffИИН,Дисциплина\r\n010101500001,DB2201\r\n".encode()
    assert csv_rows(data)[0] == ["ИИН", "Дисциплина"]


def test_a_utf8_file_without_a_byte_order_mark_is_read_as_utf8_not_windows_1251():
    assert csv_rows("Аты;Тегі\r\nӘлібек;Қайратов\r\n".encode()) == [["Аты", "Тегі"], ["Әлібек", "Қайратов"]]


def test_a_tab_separated_file_is_split_at_tabs_and_keeps_its_commas_and_semicolons():
    data = b"IIN\tName\tNote\r\n010101500001\tBek, A.\ta;b\r\n"
    assert csv_rows(data) == [["IIN", "Name", "Note"], ["010101500001", "Bek, A.", "a;b"]]


def test_a_quoted_header_cell_holding_the_other_delimiter_does_not_decide_the_delimiter():
    data = b'"Surname, name, patronymic";IIN\r\n"Bek, Ali, Nurovich";010101500001\r\n'
    assert csv_table(data).delimiter == ";"
    assert csv_rows(data)[1] == ["Bek, Ali, Nurovich", "010101500001"]
    assert csv_delimiter('"Points; out of 100",IIN\n') == ","
    assert csv_delimiter('Ticket;"Question 1 (theory, practice, task, case)";Question 2\n') == ";"
    assert csv_delimiter('IIN;"Say ""yes, no, maybe, so""";Points\n') == ";"  # doubled quotes inside
    assert csv_delimiter('IIN;"Note\nwith, a, line, break";Points\n') == ";"


def test_a_quoted_field_with_a_line_break_stays_one_cell():
    assert csv_rows(b'Ticket;Question\r\n1;"two\r\nlines"\r\n') == [["Ticket", "Question"], ["1", "two\r\nlines"]]


def test_a_tie_goes_to_semicolon_then_comma_then_tab():
    assert csv_delimiter("IIN\n010101500001\n") == ";"  # one column: no delimiter at all
    assert csv_delimiter("a;b,c\n") == ";"
    assert csv_delimiter("a,b\tc\n") == ","
    assert csv_rows(b"Points\r\n81,5\r\n") == [["Points"], ["81,5"]]  # the decimal comma is not a delimiter


def test_the_delimiter_is_the_one_splitting_the_header_into_the_most_cells():
    assert csv_delimiter("a,b,c;d\n1;2;3;4\n") == ","  # the header decides, not the rows below it


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf"], ids=["empty", "only-a-byte-order-mark"])
def test_an_empty_file_has_no_rows(data):
    assert csv_rows(data) == []


@pytest.mark.parametrize(
    "data",
    [_xlsx_bytes(), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "IIN;Name\r\n".encode("utf-16")],
    ids=["xlsx", "png", "utf-16"],
)
def test_a_binary_file_is_refused_with_a_clear_message(data):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        csv_rows(data)
    assert refused.value.messages == [
        "The file is not a CSV table: it holds binary data (a spreadsheet or a picture saved under a .csv name, or "
        "UTF-16 text). Save the table as “CSV UTF-8” or as XLSX and upload it again."
    ]


@pytest.mark.parametrize(
    ("language", "words"), [("kk", "екілік деректер"), ("ru", "двоичные данные"), ("en", "binary data")]
)
def test_the_binary_file_message_is_in_the_users_language(language, words):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        csv_rows(_xlsx_bytes())
    assert words in refused.value.messages[0]


def test_text_in_neither_encoding_is_refused_as_such():
    with translation.override("en"), pytest.raises(ValidationError, match="neither UTF-8 nor Windows-1251"):
        csv_rows(b"IIN;Name\r\n1;\x98\r\n")  # 0x98 is the one byte Windows-1251 leaves undefined
