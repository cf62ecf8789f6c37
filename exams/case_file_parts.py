"""The exam's part of a slot's case file (commissions.case_file): the answer sheets of the attempt (R29)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commissions.case_file import CaseItem, CaseSection, case_file_section
from exams.models import AnswerSheet


@case_file_section
def case_answer_sheets(slot) -> CaseSection:
    sheets = AnswerSheet.objects.filter(attempt__slot=slot).order_by("number")
    items = [
        CaseItem(
            label=_("Answer sheet No. %(number)s") % {"number": sheet.number},
            when=sheet.uploaded_at,
            url=reverse("exams:answer_sheet", args=[sheet.pk]),
        )
        for sheet in sheets
    ]
    return CaseSection(10, _("Answer sheets"), items)
