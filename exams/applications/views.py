"""Pages: the student files and follows applications; deciders see a queue and decide; transcripts import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attestation.core.downloads import protected_file_response
from attestation.institutions.models import Student
from exams.applications import permissions, selectors, services, transcripts
from exams.applications.forms import ApplicationForm, DecisionForm, TranscriptImportForm
from exams.applications.models import Application

SYNC_IMPORT_MAX_BYTES = 256 * 1024  # larger files are imported in the worker with a progress bar


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def my_applications(request):
    return render(request, "applications/my_applications.html", {
        "applications": selectors.applications_for_student(user=request.user),
        "kinds": Application.Kind.choices,
    })


@login_required
def application_new(request, kind: str):
    student = Student.objects.filter(user=request.user).first()
    if student is None or kind not in Application.Kind.values:
        raise Http404
    form = ApplicationForm(request.POST or None, request.FILES or None, kind=kind, student=student)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        try:
            application = services.application_file(actor=request.user, kind=kind,
                                                     document=form.cleaned_data.get("document"), **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your application is filed."))
            return redirect("applications:detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/application_form.html",
                  {"form": form, "kind_label": Application.Kind(kind).label}, status=status)


@login_required
def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    may_decide = application.is_open and permissions.can_decide(request.user, application)
    form = DecisionForm(request.POST or None, application=application) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                _decide(request, application, form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return redirect("applications:detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/application_detail.html",
                  {"application": application, "form": form}, status=status)


def _decide(request, application: Application, data: dict) -> None:
    services.application_decide(
        actor=request.user, application=application, approve=data["decision"] == "approve",
        reason=data.get("reason") or "", sitting=data.get("sitting"), sitting_date=data.get("sitting_date"),
        new_date=data.get("new_date"), target_period=data.get("target_period") or "")
    messages.success(request, _("The decision is recorded and the student is told."))


@login_required
def application_document(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not application.document:
        raise Http404
    return protected_file_response(application.document, application.document_name or "document.pdf",
                                   inline_pdf=True)


@login_required
def queue(request):
    show = request.GET.get("state", Application.State.FILED)
    state = show if show in Application.State.values else None
    return render(request, "applications/queue.html", {
        "applications": selectors.decision_queue(user=request.user, state=state), "state": state,
        "states": Application.State.choices,
    })


@login_required
def incompletes(request):
    return render(request, "applications/incompletes.html",
                  {"dues": selectors.incompletes_for_user(user=request.user)})


@login_required
def transcript_import(request, pk: int):
    institution = selectors.institution_for_import(user=request.user, pk=pk)
    form = TranscriptImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > SYNC_IMPORT_MAX_BYTES:
            job = transcripts.job_create(actor=request.user, institution=institution, upload=upload, kind=form.kind)
            return redirect("applications:import_job_page", pk=job.pk)
        try:
            rows = transcripts.read_table(upload, form.kind)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            result = transcripts.transcripts_import(actor=request.user, institution=institution, rows=rows)
            if result.ok:
                messages.success(request, ngettext("Imported %(n)s score.", "Imported %(n)s scores.",
                                                   result.written) % {"n": result.written})
                return redirect("applications:import", pk=institution.pk)
    status = 400 if request.method == "POST" and (form.errors or (result and not result.ok)) else 200
    return render(request, "applications/transcript_import.html",
                  {"institution": institution, "form": form, "result": result}, status=status)


@login_required
def import_job_page(request, pk: int):
    job = selectors.import_job_for_user(user=request.user, pk=pk)
    return render(request, "applications/import_job.html", {"job": job, "institution": job.institution})


@login_required
def import_job(request, pk: int):
    job = selectors.import_job_for_user(user=request.user, pk=pk)
    return render(request, "applications/_import_job.html", {"job": job})
