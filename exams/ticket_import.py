"""Ready-made tickets from a department's XLSX or CSV file, read as plain text and matched to the approved list.

The file a department keeps: one row per ticket, the ticket number in column A, then one question per column —
either the question's number in the approved list (12 or №12) or its text as the list words it. A first row that
is not a ticket (a header such as «Билет №») is skipped. Cells are read as text: a formula is never evaluated, it
stays the characters «=...» and is refused as an unknown question.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from attestation.core.csv_table import csv_rows
from exams.models import Question

MAX_TICKETS = 500
MAX_COLUMNS = 30
MAX_ERRORS = 20
TICKET_NO = re.compile(r"^(?:(?:ticket|билет)\s*)?(?:№|no\.?|n)?\s*(\d{1,4})\s*\.?$", re.IGNORECASE)
QUESTION_NO = re.compile(r"^(?:№\s*)?(\d{1,4})\.?$")
LEADING_NUMBER = re.compile(r"^\d{1,4}\s*[.)]\s+")


@dataclass
class ImportRow:
    line: int  # the row number in the file, as the spreadsheet shows it
    cells: list[str]


@dataclass
class ImportedTicket:
    line: int
    number: int
    questions: list[Question]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(raw_rows) -> list[ImportRow]:
    rows = []
    for line, raw in enumerate(raw_rows, start=1):
        cells = [_text(v) for v in list(raw)[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(ImportRow(line, cells))
        if len(rows) > MAX_TICKETS + 1:
            raise ValidationError(_("Too many rows: at most %(n)s tickets.") % {"n": MAX_TICKETS})
    if rows and not TICKET_NO.match(rows[0].cells[0]):
        rows = rows[1:]  # the header
    if not rows:
        raise ValidationError(_("The file holds no tickets."))
    return rows


def read_xlsx(upload) -> list[ImportRow]:
    try:
        # data_only=False: a formula cell gives its formula text, never a value somebody's Excel computed.
        sheet = load_workbook(upload, read_only=True, data_only=False).worksheets[0]
        return _rows(sheet.iter_rows(values_only=True))
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(_("The XLSX file cannot be read.")) from exc


def read_csv(upload) -> list[ImportRow]:
    return _rows(csv_rows(upload.read()))


def read_tickets(upload, kind: str) -> list[ImportRow]:
    return read_xlsx(upload) if kind == "xlsx" else read_csv(upload)


def _normal(text: str) -> str:
    text = LEADING_NUMBER.sub("", text.strip())
    return " ".join(text.casefold().replace("ё", "е").split()).strip(" .?!;:«»\"'")


def _column(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"A{chr(ord('A') + index - 26)}"


class _Matcher:
    """Finds a question of the approved list by its number or by its text."""

    def __init__(self, questions: list[Question]):
        self.by_number = {q.number: q for q in questions}
        self.by_text: dict[str, list[Question]] = {}
        for q in questions:
            self.by_text.setdefault(_normal(q.text), []).append(q)

    def find(self, cell: str) -> tuple[Question | None, str]:
        number = QUESTION_NO.match(cell)
        if number:
            found = self.by_number.get(int(number.group(1)))
            return found, "" if found else _("the approved list has no question No. %(n)s") % {"n": number.group(1)}
        matches = self.by_text.get(_normal(cell), [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, _("the text matches several questions; give the question's number")
        if cell.startswith("="):
            return None, _(
                "«%(cell)s» is a formula; formulas are read as text, never calculated. Type the question's number or text"
            ) % {"cell": cell[:60]}
        return None, _("«%(cell)s» is not a question of the approved list") % {"cell": cell[:60]}


def _ticket_number(row: ImportRow, seen: dict[int, int]) -> tuple[int | None, str]:
    match = TICKET_NO.match(row.cells[0])
    if not match or int(match.group(1)) < 1:
        return None, _("column A must hold the ticket number, not «%(cell)s»") % {"cell": row.cells[0][:30]}
    number = int(match.group(1))
    if number in seen:
        return None, _("ticket No. %(n)s is already on row %(row)s") % {"n": number, "row": seen[number]}
    seen[number] = row.line
    return number, ""


def _questions(row: ImportRow, matcher: _Matcher) -> tuple[list[Question], list[str]]:
    found, problems = [], []
    for index, cell in enumerate(row.cells[1:], start=1):
        if not cell:
            continue
        question, problem = matcher.find(cell)
        if problem:
            problems.append(_("column %(col)s: %(problem)s") % {"col": _column(index), "problem": problem})
        elif question in found:
            problems.append(
                _("column %(col)s: question No. %(n)s is already on this ticket")
                % {"col": _column(index), "n": question.number}
            )
        else:
            found.append(question)
    if not found and not problems:
        problems.append(_("the ticket has no questions"))
    return found, problems


def resolve(rows: list[ImportRow], questions: list[Question]) -> list[ImportedTicket]:
    """Every row checked; any problem refuses the whole file with the rows named (at most MAX_ERRORS of them)."""
    matcher, seen, errors, tickets = _Matcher(questions), {}, [], []
    for row in rows:
        number, problem = _ticket_number(row, seen)
        found, problems = _questions(row, matcher)
        problems = ([problem] if problem else []) + problems
        if not problems and tickets and len(found) != len(tickets[0].questions):
            problems.append(
                _("%(n)s question(s), but the ticket on row %(row)s has %(k)s; every ticket has as many")
                % {"n": len(found), "row": tickets[0].line, "k": len(tickets[0].questions)}
            )
        if problems:
            errors.append(_("Row %(row)s: %(problems)s.") % {"row": row.line, "problems": "; ".join(problems)})
        else:
            tickets.append(ImportedTicket(row.line, number, found))
    if errors:
        more = len(errors) - MAX_ERRORS
        tail = [_("… and %(n)s more row(s).") % {"n": more}] if more > 0 else []
        raise ValidationError(errors[:MAX_ERRORS] + tail + [_("Nothing was imported.")], code="bad_rows")
    return tickets


# --- the sample file offered on the programme's page ---------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@")


def sample_rows(questions: list[Question], per_ticket: int) -> list[list]:
    """A header and three tickets from the programme's own list: the first by numbers, the others by text (a
    text a spreadsheet would take for a formula is given by its number instead)."""
    per_ticket = max(1, min(per_ticket, len(questions) or 1))
    rows: list[list] = [[_("Ticket No.")] + [_("Question %(n)s") % {"n": i} for i in range(1, per_ticket + 1)]]
    for number in range(1, 4):
        picked = [questions[(number - 1 + i * 3) % len(questions)] for i in range(per_ticket)] if questions else []
        if len({q.pk for q in picked}) < len(picked):
            picked = questions[:per_ticket]
        if number == 1:
            rows.append([number] + [q.number for q in picked])
        else:
            rows.append([number] + [q.number if q.text.startswith(FORMULA_START) else q.text for q in picked])
    return rows


def sample_xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tickets")[:31]
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.column_dimensions["A"].width = 12
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sample_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8-sig")
