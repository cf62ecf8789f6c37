"""Pages for the commission's documents: draw up, progress, sign, download, verify, the registrar's list."""

import base64
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.collation import name_order
from attestation.core.downloads import protected_file_response
from attestation.core.uploads import validate_upload
from attestation.institutions.models import Institution, Programme
from commissions import permissions
from commissions.grading.selectors import sitting_get_for_user
from commissions.models import Commission, DocumentJob, Paper, SigningRequest
from commissions.papers import selectors, services, signing
from commissions.papers.portfolio import portfolio_contents
from commissions.papers.xlsx import vedomost_xlsx


@login_required
def sitting_documents(request, pk: int):
    """The sitting's protocols and grade sheet, their signatures, and the rendering job's progress."""
    sitting = sitting_get_for_user(user=request.user, pk=pk)
    job = DocumentJob.objects.filter(sitting=sitting).order_by("-created_at").first()
    papers = selectors.signature_states(
        sorted(selectors.latest_papers(sitting=sitting), key=lambda p: (p.kind != Paper.Kind.VEDOMOST, p.slot_id or 0))
    )
    role = permissions.commission_role(request.user, sitting.commission)
    return render(
        request,
        "commissions/papers/sitting_documents.html",
        {
            "signed_by_me": {s.paper_id for p in papers for s in p.signatures.all() if s.signer_id == request.user.pk},
            "ncalayer_url": settings.NCALAYER_URL,
            "sitting": sitting,
            "commission": sitting.commission,
            "job": job,
            "papers": papers,
            "my_role": role,
            "can_draw_up": permissions.can_draw_up_documents(request.user, sitting),
        },
    )


@require_POST
@login_required
def documents_draw_up(request, pk: int):
    sitting = sitting_get_for_user(user=request.user, pk=pk)
    if not permissions.can_draw_up_documents(request.user, sitting):
        raise PermissionDenied
    services.job_create(actor=request.user, commission=sitting.commission, sitting=sitting)
    messages.info(request, _("The documents are being drawn up; this page shows the progress."))
    return redirect("commissions:sitting_documents", pk=sitting.pk)


@login_required
def job_progress(request, pk: int):
    job = get_object_or_404(DocumentJob.objects.select_related("sitting", "commission", "output"), pk=pk)
    if permissions.commission_role(request.user, job.commission) is None:
        raise Http404
    return render(request, "commissions/papers/_job.html", {"job": job, "sitting": job.sitting})


@login_required
def commission_documents(request, pk: int):
    """The chair's report and the commission's portfolio, each built in the worker with a progress bar."""
    commission = selectors.commission_for_documents(user=request.user, pk=pk)
    jobs = {
        kind: DocumentJob.objects.filter(commission=commission, kind=kind)
        .select_related("output")
        .order_by("-created_at")
        .first()
        for kind in (DocumentJob.Kind.REPORT, DocumentJob.Kind.PORTFOLIO)
    }
    report = (
        Paper.objects.filter(commission=commission, kind=Paper.Kind.REPORT)
        .select_related("document")
        .prefetch_related("signatures__signer")
        .order_by("-created_at")
        .first()
    )
    if report is not None:
        selectors.signature_states([report])
    return render(
        request,
        "commissions/papers/commission_documents.html",
        {
            "commission": commission,
            "report": report,
            "waiting": portfolio_contents(commission)["waiting"],
            "signed_by_me": report is not None and any(s.signer_id == request.user.pk for s in report.signed),
            "ncalayer_url": settings.NCALAYER_URL,
            "report_job": jobs[DocumentJob.Kind.REPORT],
            "portfolio_job": jobs[DocumentJob.Kind.PORTFOLIO],
            "is_chair": permissions.is_commission_chair(request.user, commission),
            "can_build": permissions.can_build_portfolio(request.user, commission),
        },
    )


@require_POST
@login_required
def report_queue(request, pk: int):
    commission = selectors.commission_for_documents(user=request.user, pk=pk)
    if not permissions.is_commission_chair(request.user, commission):
        raise PermissionDenied
    services.job_create(
        actor=request.user, commission=commission, kind=DocumentJob.Kind.REPORT, text=request.POST.get("text", "").strip()
    )
    messages.info(request, _("The report is being drawn up."))
    return redirect("commissions:commission_documents", pk=commission.pk)


@require_POST
@login_required
def portfolio_queue(request, pk: int):
    commission = selectors.commission_for_documents(user=request.user, pk=pk)
    if not permissions.can_build_portfolio(request.user, commission):
        raise PermissionDenied
    services.job_create(actor=request.user, commission=commission, kind=DocumentJob.Kind.PORTFOLIO)
    messages.info(request, _("The portfolio is being built."))
    return redirect("commissions:commission_documents", pk=commission.pk)


@login_required
def job_output(request, pk: int):
    """The report PDF or the portfolio ZIP of a finished job, for the commission's people, head and registrar."""
    job = get_object_or_404(DocumentJob.objects.select_related("commission", "output"), pk=pk)
    if not permissions.can_view_commission(request.user, job.commission) or job.output is None:
        raise Http404
    zipped = job.kind == DocumentJob.Kind.PORTFOLIO
    return protected_file_response(job.output.file, f"{job.kind}-{job.commission_id}.{'zip' if zipped else 'pdf'}")


@login_required
def paper_download(request, pk):
    paper = selectors.paper_get_for_user(user=request.user, pk=pk)
    last = paper.signatures.order_by("-signed_at", "-pk").first()
    return protected_file_response(last.file if last else paper.document.file, f"{paper.kind}-{paper.pk.hex[:8]}.pdf")


@login_required
def paper_xlsx(request, pk):
    paper = selectors.paper_get_for_user(user=request.user, pk=pk)
    if paper.kind != Paper.Kind.VEDOMOST:
        raise Http404
    response = HttpResponse(
        vedomost_xlsx(sitting=paper.sitting),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="vedomost-{paper.sitting_id}.xlsx"'
    return response


@require_POST
@login_required
def paper_sign(request, pk):
    """Step 1 of signing: the PDF is prepared and the bytes NCALayer must sign are sent to the signer's browser."""
    paper = selectors.paper_get_for_user(user=request.user, pk=pk)
    if not permissions.can_sign_paper(request.user, paper):
        raise PermissionDenied
    try:
        pending = signing.signing_prepare(actor=request.user, paper=paper)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "data": base64.b64encode(signing.signing_payload(pending)).decode(),
            "finish": reverse("commissions:paper_sign_finish", args=[pending.pk]),
        }
    )


@require_POST
@login_required
def paper_sign_finish(request, pk):
    """Step 2: the CMS NCALayer made comes back; it is checked and embedded, or refused with the reason."""
    pending = get_object_or_404(SigningRequest.objects.select_related("paper"), pk=pk, signer=request.user)
    try:
        signing.signing_finish(actor=request.user, request=pending, cms_base64=request.POST.get("cms", ""))
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    messages.success(request, _("Signed."))
    return JsonResponse({"ok": True})


def _with_people(report: dict | None, records) -> dict | None:
    """Each signature of the report with the portal's record of it (full name, role), matched in signing order."""
    if report:
        for found, record in zip(report["signatures"], records, strict=False):
            found["full_name"], found["role"] = record.signer.display_name, record.get_role_display()
    return report


def verify_paper(request, pk):
    """Where the QR code leads: who signed, when, and whether the stored file is intact. Public."""
    paper = get_object_or_404(Paper.objects.select_related("commission__institution", "document"), pk=pk)
    data = signing.current_bytes(paper)
    records = list(paper.signatures.select_related("signer"))
    selectors.signature_states([paper])
    return render(
        request,
        "commissions/papers/verify.html",
        {
            "paper": paper,
            "report": _with_people(signing.pdf_verify(data), records) if records else None,
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )


def verify_upload(request):
    """Upload a PDF: its signatures are checked; a file the portal signed is also matched to its record. Public.

    Hostile files are refused before any parsing: not a PDF, larger than SIGNING_MAX_VERIFY_BYTES, or a PDF with
    scripts, launch actions or embedded files (attestation.core.uploads)."""
    report, known, error = None, None, None
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        try:
            if upload is None:
                raise ValidationError(_("Choose a PDF file."))
            validate_upload(upload, allowed=("pdf",), max_bytes=settings.SIGNING_MAX_VERIFY_BYTES)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            data = upload.read()
            known = selectors.signature_by_sha256(hashlib.sha256(data).hexdigest())
            records = []
            if known is not None:
                records = list(known.paper.signatures.filter(signed_at__lte=known.signed_at).select_related("signer"))
            report = _with_people(signing.pdf_verify(data), records)
    return render(request, "commissions/papers/verify_upload.html", {"report": report, "known": known, "error": error})


@login_required
def registry(request, pk: int):
    """The registrar office's list of the institution's signed protocols and grade sheets (R5, R37)."""
    institution = get_object_or_404(Institution, pk=pk)
    if not permissions.can_view_registry(request.user, institution.pk):
        raise Http404
    filters = {key: request.GET.get(key) or None for key in ("year", "programme", "commission", "kind")}
    papers = list(
        selectors.registry_papers(
            institution_id=institution.pk,
            year=_int(filters["year"]),
            programme_id=_int(filters["programme"]),
            commission_id=_int(filters["commission"]),
            kind=filters["kind"],
        )
    )
    return render(
        request,
        "commissions/papers/registry.html",
        {
            "institution": institution,
            "papers": papers,
            "filters": filters,
            "kinds": Paper.Kind.choices,
            "programmes": Programme.objects.filter(department__institution=institution).order_by("code"),
            "commissions": Commission.objects.filter(institution=institution).order_by(
                *name_order("name_ru" if translation.get_language() == "ru" else "name_kk")
            ),
        },
    )


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
