"""The vedomost as a spreadsheet for the registrar office."""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from attestation.core.downloads import sheet_keep_text
from commissions.papers.context import sitting_language, vedomost_context


def vedomost_xlsx(*, sitting) -> bytes:

    context = vedomost_context(sitting=sitting, paper_id=None)
    with translation.override(sitting_language(sitting)):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Grade sheet")[:31]
        sheet.append([context["institution"].name])
        sheet.append([context["commission"].name, sitting.date.strftime("%d.%m.%Y")])
        header = [
            "№",
            _("Full name"),
            _("Student number"),
            _("IIN"),
            _("Group"),
            _("Points"),
            _("Letter"),
            _("GPA points"),
            _("Traditional mark"),
        ]
        sheet.append(header)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for number, row in enumerate(context["rows"], start=1):
            student, result = row["student"], row["result"]
            sheet.append(
                [
                    number,
                    student.full_name,
                    student.record_number,
                    student.iin,
                    student.group.name,
                    float(result.points) if result and result.points is not None else None,
                    result.letter if result else "",
                    float(result.gpa) if result and result.gpa is not None else None,
                    str(result.traditional_label) if result else "",
                ]
            )
        sheet.column_dimensions["B"].width = 40
        sheet_keep_text(sheet)
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()
