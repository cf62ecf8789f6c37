"""Questions from an XLSX sheet: column A the section (discipline), column B the question; a header row is skipped."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 2000


def read_questions(upload) -> list[tuple[str, str]]:
    try:
        sheet = load_workbook(upload, read_only=True, data_only=False).active  # formulas stay text
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(_("The XLSX file cannot be read.")) from exc
    rows = []
    for i, row in enumerate(sheet.iter_rows(min_row=1, max_col=2, values_only=True), start=1):
        section, text = (str(c).strip() if c is not None else "" for c in (list(row) + [None, None])[:2])
        if i == 1 and text.lower() in ("question", "сұрақ", "вопрос"):
            continue
        if not text:
            continue
        if not section:
            raise ValidationError(_("Row %(row)s: the section is empty.") % {"row": i})
        rows.append((section, text))
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("Too many rows: at most %(n)s.") % {"n": MAX_ROWS})
    if not rows:
        raise ValidationError(_("The file holds no questions."))
    return rows
