"""The commission's electronic portfolio (R39): one ZIP with every signed document, the report and an index."""

import csv
import hashlib
import io
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from attestation.core.audit import audit_record
from attestation.core.downloads import csv_text
from attestation.documents.models import Document
from commissions.models import DocumentJob, Paper, Sitting, Slot
from commissions.papers.progress import progress
from commissions.papers.signing import current_bytes


def _latest_papers(commission) -> list[Paper]:
    seen, papers = set(), []
    for paper in (
        Paper.objects.filter(commission=commission)
        .select_related("document", "slot__student", "sitting")
        .prefetch_related("signatures__signer")
        .order_by("-created_at")
    ):
        key = (paper.kind, paper.sitting_id, paper.slot_id)
        if key not in seen:
            seen.add(key)
            papers.append(paper)
    return papers


def _acts(commission) -> list[Document]:
    """Other documents about the commission's sittings and students (acts of technical failure and the like)."""
    slot_type, sitting_type = ContentType.objects.get_for_model(Slot), ContentType.objects.get_for_model(Sitting)
    slots = Slot.objects.filter(sitting__commission=commission).values_list("pk", flat=True)
    sittings = Sitting.objects.filter(commission=commission).values_list("pk", flat=True)
    return list(
        Document.objects.filter(
            Q(content_type=slot_type, object_id__in=list(slots)) | Q(content_type=sitting_type, object_id__in=list(sittings))
        )
        .filter(paper__isnull=True)
        .exclude(kind__startswith="commissions_")
    )


def _name(paper: Paper) -> str:
    who = f"-{paper.slot.student.pk}" if paper.slot_id else ""
    day = f"-{paper.sitting.date:%Y%m%d}" if paper.sitting_id else ""
    return f"{paper.kind}{day}{who}-{paper.pk.hex[:8]}.pdf"


def portfolio_build(job: DocumentJob) -> None:
    """Writes the ZIP with an index (file, kind, SHA-256, signers) and stores it as a Document."""
    papers, acts = _latest_papers(job.commission), _acts(job.commission)
    progress(job.pk, total=len(papers) + len(acts) + 1)
    buffer, index = io.BytesIO(), [["file", "kind", "sha256", "signed_by"]]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, paper in enumerate(papers, start=1):
            data = current_bytes(paper)
            archive.writestr(_name(paper), data)
            signers = "; ".join(f"{s.signer.display_name} ({s.role})" for s in paper.signatures.all())
            index.append([_name(paper), paper.kind, hashlib.sha256(data).hexdigest(), signers])
            progress(job.pk, done=done)
        for done, act in enumerate(acts, start=len(papers) + 1):
            name = f"acts/{act.kind}-{act.pk}.pdf"
            with act.file.open("rb") as handle:
                archive.writestr(name, handle.read())
            index.append([name, act.kind, act.sha256, ""])
            progress(job.pk, done=done)
        text = io.StringIO()
        csv.writer(text).writerows([[csv_text(cell) for cell in row] for row in index])  # names stay text
        archive.writestr("index.csv", text.getvalue())
    _store(job, buffer.getvalue())


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
