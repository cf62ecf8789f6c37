"""When a thesis's documents or its PDF come due: flag what is still missing to the department (once)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_handler
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from exams.admission.conditions import missing_documents
from exams.admission.models import Thesis
from exams.admission.services import DOCUMENTS_DUE, PDF_DUE


def _thesis(deadline: Deadline) -> Thesis | None:
    return Thesis.objects.select_related("student__group__programme__department").filter(pk=deadline.object_id).first()


def _flag(thesis: Thesis, missing: list[str], field: str, kind: str) -> None:
    setattr(thesis, field, timezone.now())
    thesis.save(update_fields=[field])
    programme = thesis.student.group.programme
    url = reverse("admission:table", args=[programme.pk])
    for head in programme.department.heads.select_related("user"):
        notify(
            user=head.user,
            kind=kind,
            template="admission/email/late",
            context={"student": thesis.student, "thesis": thesis, "missing": missing},
            url=url,
        )
    audit_record(actor=None, verb=f"{kind}.late", obj=thesis, after={"missing": missing})


@deadline_handler(DOCUMENTS_DUE)
def documents_due(deadline: Deadline) -> bool:
    thesis = _thesis(deadline)
    if thesis is None:
        return False
    missing = [str(m) for m in missing_documents(thesis)]
    if not missing:
        return False
    _flag(thesis, missing, "documents_late_at", DOCUMENTS_DUE)
    return True


@deadline_handler(PDF_DUE)
def pdf_due(deadline: Deadline) -> bool:
    thesis = _thesis(deadline)
    if thesis is None or thesis.versions.filter(kind="pdf").exists():
        return False
    _flag(thesis, [_("the thesis in PDF")], "pdf_late_at", PDF_DUE)
    return True
