"""The commission's electronic portfolio (R39): one ZIP with every signed document, the report and an index."""

import datetime as dt
import hashlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from attestation.core.audit import audit_record
from attestation.documents.archive import zip_with_index
from attestation.documents.models import Document
from attestation.institutions.policies import policy_for
from commissions.models import DocumentJob, Paper, Sitting, Slot
from commissions.papers.progress import progress
from commissions.papers.selectors import latest_papers, signature_states
from commissions.papers.signing import current_bytes


def _signed_papers(commission) -> tuple[list[Paper], list[Paper]]:
    """The newest version of each protocol, grade sheet and report when it is signed; the newest versions still
    awaiting a signature are left out and named (an older signed version it replaces is not put in instead)."""
    signed, waiting = [], []
    for paper in signature_states(latest_papers(commission=commission)):
        (signed if paper.is_signed else waiting).append(paper)
    signed.sort(key=lambda p: (PAPER_ORDER.index(p.kind), p.sitting.date if p.sitting_id else dt.date.max, _name(p)))
    return signed, waiting


PAPER_ORDER = [Paper.Kind.VEDOMOST, Paper.Kind.PROTOCOL, Paper.Kind.DEGREE_PROTOCOL, Paper.Kind.REPORT]


def _acts(commission) -> list[Document]:
    """Other documents about the commission's sittings and students: the acts of technical failure (R23, drawn up
    about the act itself) and anything else rendered about a slot or a sitting."""
    slot_type, sitting_type = ContentType.objects.get_for_model(Slot), ContentType.objects.get_for_model(Sitting)
    slots = list(Slot.objects.filter(sitting__commission=commission).values_list("pk", flat=True))
    sittings = list(Sitting.objects.filter(commission=commission).values_list("pk", flat=True))
    about = Q(content_type=slot_type, object_id__in=slots) | Q(content_type=sitting_type, object_id__in=sittings)
    acts = apps.get_model("proctoring", "TechnicalFailureAct")
    about |= Q(pk__in=acts.objects.filter(slot_id__in=slots, document__isnull=False).values("document_id"))
    return list(
        Document.objects.filter(about).filter(paper__isnull=True).exclude(kind__startswith="commissions_").order_by("pk")
    )


def _id_copies(commission) -> list:
    """The newest ID copy of each student of the commission, where the institution's policy puts them in (R39)."""
    if not policy_for(commission).portfolio_id_copies:
        return []
    students = Slot.objects.filter(sitting__commission=commission).values("student_id")
    copies: dict = {}
    for copy in (
        apps.get_model("proctoring", "IdCopy")
        .objects.filter(student_id__in=students)
        .select_related("student")
        .order_by("student_id", "-uploaded_at")
    ):
        copies.setdefault(copy.student_id, copy)
    return list(copies.values())


def _name(paper: Paper) -> str:
    who = f"-{paper.slot.student.pk}" if paper.slot_id else ""
    day = f"-{paper.sitting.date:%Y%m%d}" if paper.sitting_id else ""
    return f"{paper.kind}{day}{who}-{paper.pk.hex[:8]}.pdf"


def portfolio_contents(commission) -> dict:
    """What the portfolio holds (and what it leaves out until signed): its index is built from exactly this."""
    papers, waiting = _signed_papers(commission)
    return {"papers": papers, "waiting": waiting, "acts": _acts(commission), "id_copies": _id_copies(commission)}


def portfolio_build(job: DocumentJob) -> None:
    """Writes the ZIP with an index (file, kind, SHA-256, signers) and stores it as a Document."""
    contents = portfolio_contents(job.commission)
    papers, acts, copies = contents["papers"], contents["acts"], contents["id_copies"]
    progress(job.pk, total=len(papers) + len(acts) + len(copies) + 1)

    def files():
        for paper in papers:
            signers = "; ".join(f"{s.signer.display_name} ({s.role})" for s in paper.signed)
            yield _name(paper), paper.kind, current_bytes(paper), signers
        for act in acts:
            with act.file.open("rb") as handle:
                yield f"acts/{act.kind}-{act.pk}.pdf", act.kind, handle.read(), ""
        for copy in copies:
            with copy.file.open("rb") as handle:
                yield f"id_copies/{copy.student.pk}-{copy.pk}.{copy.kind}", "id_copy", handle.read(), ""

    _store(job, zip_with_index(files(), note="signed_by", each=lambda done: progress(job.pk, done=done)))


def _store(job: DocumentJob, data: bytes) -> None:
    commission = job.commission
    document = Document(
        kind="commissions_portfolio",
        language="kk",
        content_type=ContentType.objects.get_for_model(commission),
        object_id=commission.pk,
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=job.requested_by,
        created_at=timezone.now(),
    )
    document.file.save(f"portfolio-{commission.pk}-{job.pk}.zip", ContentFile(data), save=False)
    document.save()
    DocumentJob.objects.filter(pk=job.pk).update(output=document, done=F("total"))
    audit_record(actor=job.requested_by, verb="portfolio.build", obj=document, after={"sha256": document.sha256})
