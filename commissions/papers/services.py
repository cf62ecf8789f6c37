"""Drawing up the commission's documents: each one a new Document with a Paper that carries its QR token."""

import uuid
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from attestation.core.audit import audit_record
from attestation.core.jobs import job_claim, job_done, job_fail, job_queue
from attestation.documents.language import document_language
from attestation.documents.render import document_render
from commissions.models import Commission, DocumentJob, Paper, Sitting, Slot
from commissions.papers import context as ctx
from commissions.papers.portfolio import portfolio_build
from commissions.papers.progress import progress
from commissions.papers.report import report_render

TEMPLATES: dict[str, str] = {
    Paper.Kind.PROTOCOL: "commissions/pdf/protocol.html",
    Paper.Kind.VEDOMOST: "documents/commissions_vedomost.html",
    Paper.Kind.DEGREE_PROTOCOL: "commissions/pdf/degree_protocol.html",
}


def paper_render(
    *,
    actor,
    kind: str,
    sitting: Sitting,
    slot: Slot | None = None,
    amends: Paper | None = None,
    amendment_reason: str = "",
    rows: ctx.ProtocolRows | None = None,
) -> Paper:
    """Renders one protocol or grade sheet in the programme's language and records it.

    With `amends`, the new document is an amendment: it says so, cites the old one, and the old one stays as it is.
    `rows`: what the protocols of the sitting show, read once for all of them (the sitting's documents job).
    """
    paper_id = uuid.uuid4()
    about: Slot | Sitting
    if kind == Paper.Kind.PROTOCOL:
        if slot is None:
            raise ValueError("A student's protocol is drawn up for a slot.")
        language, about = document_language(slot.student.group.study_language), slot
    else:
        language, about = ctx.sitting_language(sitting), sitting
    with translation.override(language):  # the context's own words (honours reasons...) in the document's language
        if slot is not None and kind == Paper.Kind.PROTOCOL:
            context = ctx.protocol_context(slot=slot, paper_id=paper_id, rows=rows)
        else:
            builder = ctx.vedomost_context if kind == Paper.Kind.VEDOMOST else ctx.degree_protocol_context
            context = builder(sitting=sitting, paper_id=paper_id)
    with translation.override(language), transaction.atomic():
        number = protocol_number_next(commission_id=sitting.commission_id, kind=kind, amends=amends)
        context = {**context, "amends": amends, "amendment_reason": amendment_reason, "number": number}
        document = document_render(
            kind=f"commissions_{kind}",
            template=TEMPLATES[kind],
            context=context,
            language=language,
            about=about,
            actor=actor,
            filename=f"{kind}-{about.pk}-{paper_id.hex[:8]}.pdf",
        )
        if amends is not None:
            document.amends = amends.document
            document.save(update_fields=["amends"])
        return Paper.objects.create(
            id=paper_id,
            kind=kind,
            commission_id=sitting.commission_id,
            sitting=sitting,
            slot=slot,
            document=document,
            number=number,
            amends=amends,
            created_at=timezone.now(),
        )


def protocol_number_next(*, commission_id: int, kind: str, amends: Paper | None = None) -> int | None:
    """The number a new protocol gets: the next of its commission's sequence, or the amended protocol's own number.

    Called inside the rendering transaction: the commission row stays locked until the Paper is saved, so two
    protocols drawn up at once get consecutive numbers (and the unique constraint backs it). Grade sheets and
    reports are not numbered.
    """
    if kind not in Paper.NUMBERED:
        return None
    if amends is not None:
        return amends.number
    Commission.objects.select_for_update().filter(pk=commission_id).first()
    last = Paper.objects.filter(commission_id=commission_id, amends__isnull=True).aggregate(last=Max("number"))
    return (last["last"] or 0) + 1


@transaction.atomic
def job_create(
    *,
    actor,
    commission: Commission,
    kind: str = DocumentJob.Kind.SITTING_DOCUMENTS,
    sitting: Sitting | None = None,
    text: str = "",
) -> DocumentJob:
    """Queues a rendering job; it runs in the worker and the page polls its progress.

    The row is the truth (attestation.core.jobs): if the broker is down the request still succeeds, and the job's
    resend deadline sends it again once the sweep runs (job_run claims a job once, so a second message does nothing).
    """
    job = DocumentJob.objects.create(
        kind=kind, commission=commission, sitting=sitting, text=text, requested_by=actor, created_at=timezone.now()
    )
    audit_record(actor=actor, verb="documents.queue", obj=job, after={"kind": kind})
    job_queue(job)
    return job


def _plan(sitting: Sitting) -> list[tuple[str, Slot | None]]:
    slots = list(sitting.slots.filter(result__isnull=False).select_related("student__group").order_by("starts_at"))
    plan: list[tuple[str, Slot | None]] = [(Paper.Kind.PROTOCOL, s) for s in slots]
    plan.append((Paper.Kind.VEDOMOST, None))
    if sitting.commission.form == Commission.Form.DEFENSE:
        plan.append((Paper.Kind.DEGREE_PROTOCOL, None))
    return plan


def _sitting_documents(job: DocumentJob) -> None:
    if job.sitting is None:
        raise ValueError("The sitting's documents are drawn up for a sitting.")
    sitting = job.sitting
    plan = _plan(sitting)
    slot_ids = [slot.pk for _kind, slot in plan if slot is not None]
    rows = ctx.protocol_rows(slot_ids=slot_ids) if slot_ids else None  # one read for every protocol of the sitting
    progress(job.pk, total=len(plan))
    for done, (kind, slot) in enumerate(plan, start=1):
        paper_render(actor=job.requested_by, kind=kind, sitting=sitting, slot=slot, rows=rows)
        progress(job.pk, done=done)


def job_run(*, job_pk: int) -> None:
    """Runs a queued job once (a second or late run finds it claimed and does nothing)."""
    if not job_claim(DocumentJob, job_pk):
        return
    job = DocumentJob.objects.select_related("sitting__commission", "commission__institution", "requested_by").get(pk=job_pk)
    handlers: dict[str, Callable[[DocumentJob], None]] = {
        DocumentJob.Kind.SITTING_DOCUMENTS: _sitting_documents,
        DocumentJob.Kind.REPORT: report_render,
        DocumentJob.Kind.PORTFOLIO: portfolio_build,
    }
    try:
        handlers[job.kind](job)
    except Exception as exc:
        job_fail(DocumentJob, job_pk, error=str(exc)[:2000])
        raise
    job_done(DocumentJob, job_pk)


def papers_amend_after_change(*, actor, slot: Slot, reason: str) -> list[Paper]:
    """A result changed after its documents were drawn up (an appeal): every document that shows the grade — the
    slot's protocol, the sitting's grade sheet and its protocol on awarding the degree — gets an amendment that cites
    the original (R49); they need signing again, the originals stay as they were."""
    amended = []
    for kind, target in ((Paper.Kind.PROTOCOL, slot), (Paper.Kind.VEDOMOST, None), (Paper.Kind.DEGREE_PROTOCOL, None)):
        papers = Paper.objects.filter(kind=kind, sitting=slot.sitting)
        latest = (papers.filter(slot=target) if target else papers).order_by("-created_at").first()
        if latest is not None:
            amended.append(
                paper_render(
                    actor=actor, kind=kind, sitting=slot.sitting, slot=target, amends=latest, amendment_reason=reason
                )
            )
    return amended
