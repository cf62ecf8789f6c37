"""An uploaded CSV table read in one place, for every import (students, transcripts, tickets, testing scores).

The encoding: UTF-8, with or without the byte-order mark Excel's "CSV UTF-8" writes, else Windows-1251, which
Excel writes for Cyrillic CSV unless told otherwise. A file with control characters no text holds (a spreadsheet,
a picture or UTF-16 text saved under a .csv name) is refused with a message that says so, never read as
Windows-1251 mojibake.

The delimiter: the one of `;` `,` tab the first record (the header) uses most outside its quoted cells
(`"Surname, name, patronymic";IIN` is two cells split by `;`), as the csv module then reads them. A tie — a one-column
header, or as many of each — goes to the first in `DELIMITERS`: `;` before `,` before tab, since Excel in the
Kazakh and Russian locales writes `;` (the comma is their decimal separator: `81,5`).
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DELIMITERS = (";", ",", "\t")  # the tie order
ENCODINGS = ("utf-8-sig", "cp1251")
# Not text: the C0 controls but tab, line feed, vertical tab, form feed, carriage return and escape (NUL above all).
# Bytes below 0x80 mean the same in both encodings, so the raw bytes are checked before decoding (by deleting them
# and comparing lengths: a few ms for 4 MB, a quarter of a regular expression's search).
NOT_TEXT = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
HEADER_SAMPLE = 64 * 1024  # the first record is looked for in this much of the text
QUOTED_REST = re.compile(r'[^"]*(?:""[^"]*)*"')  # a quoted cell's text after its opening quote, to its closing one


@dataclass(frozen=True)
class CsvTable:
    text: str
    delimiter: str

    def rows(self) -> list[list[str]]:
        """Every record as its cells, as the csv module splits them (quotes, doubled quotes, line breaks)."""
        try:
            return list(csv.reader(io.StringIO(self.text), delimiter=self.delimiter))
        except csv.Error as exc:  # a field over the csv module's limit (128 KiB)
            raise _unreadable() from exc


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "The file is not a CSV table: it holds binary data (a spreadsheet or a picture saved under a .csv name, "
            "or UTF-16 text). Save the table as “CSV UTF-8” or as XLSX and upload it again."
        ),
        code="file_content",
    )


def csv_text(data: bytes) -> str:
    """The file's text (UTF-8 with or without its byte-order mark, else Windows-1251); ValidationError for a binary
    file or one that is neither."""
    if len(data.translate(None, NOT_TEXT)) != len(data):
        raise _unreadable()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV file is neither UTF-8 nor Windows-1251 text."), code="encoding")


def _header_outside_quotes(text: str) -> list[str]:
    """The delimiters of the first record that stand outside its quoted cells: a cell is quoted when a quote opens
    it (at the start of the line or right after any of DELIMITERS, as the csv module reads it) and ends at the
    quote that is not doubled; the quoted text may hold delimiters and line breaks."""
    found, at, cell_start = [], 0, True
    while at < len(text) and text[at] not in "\r\n":
        char = text[at]
        if cell_start and char == '"':
            closed = QUOTED_REST.match(text, at + 1)
            if closed is None:  # a quote never closed: the rest of the text is that cell
                break
            at, cell_start = closed.end(), False
            continue
        cell_start = char in DELIMITERS
        if cell_start:
            found.append(char)
        at += 1
    return found


def csv_delimiter(text: str) -> str:
    """The delimiter the first record uses most outside quotes; a tie goes to the first of DELIMITERS."""
    found = _header_outside_quotes(text[:HEADER_SAMPLE])
    return max(DELIMITERS, key=found.count)


def csv_table(data: bytes) -> CsvTable:
    """An uploaded CSV file's text and delimiter (an empty file: no text, and no rows)."""
    text = csv_text(data)
    return CsvTable(text, csv_delimiter(text))


def csv_rows(data: bytes) -> list[list[str]]:
    """An uploaded CSV file's records, header first, cells as they are (not stripped)."""
    return csv_table(data).rows()
