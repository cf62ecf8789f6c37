"""The request for diplomas and transcripts (002 step 5) as a Word file, with the graduates' ID copies.

The registrar attaches one Word file to the request in the document system, so the image copies (JPEG, PNG) are
embedded in the DOCX, one per graduate after the list; a copy that is a PDF cannot be embedded and is named in the
list. The download is also offered as a ZIP: the DOCX plus every ID copy as its own file (what the registrar
forwards when a copy must be printed in full quality).
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as Docx
from docx.shared import Cm

from attestation.institutions.models import Student
from proctoring.models import IdCopy

IMAGE_KINDS = ("jpg", "png")


@dataclass
class Graduate:
    student: Student
    id_copy: IdCopy

    @property
    def copy_name(self) -> str:
        return f"id-copies/{self.student.iin}-{self.student.last_name_ru or self.student.pk}.{self.id_copy.kind}"


def file_bytes(field) -> bytes:
    """The whole content of a stored file (an ID copy, a rendered document)."""
    with field.open("rb") as handle:
        return handle.read()


def _table(document, graduates: list[Graduate]) -> None:
    headers = ["№", _("Full name (Kazakh)"), _("Full name (Russian)"), _("IIN"), _("Group"), _("ID copy")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for number, graduate in enumerate(graduates, start=1):
        student = graduate.student
        attached = _("attached below") if graduate.id_copy.kind in IMAGE_KINDS else graduate.copy_name
        values = [str(number), student.full_name_kk, student.full_name_ru, student.iin, student.group.name, attached]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def _copies(document, graduates: list[Graduate]) -> None:
    document.add_page_break()
    document.add_heading(_("Copies of the identity documents"), level=2)
    for number, graduate in enumerate(graduates, start=1):
        if graduate.id_copy.kind not in IMAGE_KINDS:
            continue
        document.add_paragraph(f"{number}. {graduate.student.full_name_kk} / {graduate.student.full_name_ru}")
        document.add_picture(io.BytesIO(file_bytes(graduate.id_copy.file)), width=Cm(12))


def request_docx(*, request, commission, graduates: list[Graduate], head_name: str) -> bytes:
    """The Word file in the request's language: the heading, the degree order, the list and the ID copies."""
    with translation.override(request.language):
        document = Docx()
        document.core_properties.title = _("Request for diplomas and transcripts")
        document.core_properties.language = request.language
        document.add_paragraph(commission.institution.name).alignment = 1
        document.add_heading(_("Request for diplomas and transcripts"), level=1)
        programmes = "; ".join(f"{p.code} {p.name}" for p in commission.programmes.order_by("code"))
        document.add_paragraph(_("Educational programme: %(programmes)s") % {"programmes": programmes})
        document.add_paragraph(
            _(
                "Order awarding the degree No. %(number)s of %(date)s. Please issue the diplomas "
                "and transcripts to the following graduates (%(count)s):"
            )
            % {"number": request.order_number, "date": request.order_date.strftime("%d.%m.%Y"), "count": len(graduates)}
        )
        _table(document, graduates)
        document.add_paragraph("")
        document.add_paragraph(_("Head of department: ______________ %(name)s") % {"name": head_name})
        _copies(document, graduates)
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()


def request_bundle(*, docx: bytes, docx_name: str, graduates: list[Graduate]) -> bytes:
    """The ZIP: the DOCX and every graduate's ID copy as a file of its own."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(docx_name, docx)
        for graduate in graduates:
            archive.writestr(graduate.copy_name, file_bytes(graduate.id_copy.file))
    return buffer.getvalue()
