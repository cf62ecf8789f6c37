"""Pages: the student files and follows applications; deciders see a queue and decide; transcripts import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attestation.core.downloads import protected_file_response
from attestation.institutions.models import Student
from attestation.institutions.permissions import heads_department
from attestation.institutions.policies import policy_find, policy_for
from exams.applications import arts, incompletes, permissions, selectors, services, summative, transcripts
from exams.applications.forms import (
    ApplicationForm,
    ArtsResultForm,
    DecisionForm,
    DueDateForm,
    SummativeListForm,
    TranscriptImportForm,
)
from exams.applications.models import Application, ArtsResult
from exams.applications.periods import period_parse

SYNC_IMPORT_MAX_BYTES = 256 * 1024  # larger files are imported in the worker with a progress bar


def _bound(request, *, files: bool = False) -> tuple:
    """A form's data: bound on every POST, even an empty one, so that its errors show (unbound on GET)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def my_applications(request):
    return render(
        request,
        "applications/my_applications.html",
        {
            "applications": selectors.applications_for_student(user=request.user),
            # only a student files (application_new answers 404 to anyone else): no buttons for staff
            "kinds": Application.Kind.choices if Student.objects.filter(user=request.user).exists() else [],
        },
    )


@login_required
def application_new(request, kind: str):
    student = Student.objects.filter(user=request.user).first()
    if student is None or kind not in Application.Kind.values:
        raise Http404
    form = ApplicationForm(*_bound(request, files=True), kind=kind, student=student)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        try:
            application = services.application_file(
                actor=request.user, kind=kind, document=form.cleaned_data.get("document"), **data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your application is filed."))
            return redirect("applications:detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/application_form.html",
        {"form": form, "kind_label": Application.Kind(kind).label},
        status=status,
    )


@login_required
def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    may_decide = application.is_open and permissions.can_decide(request.user, application)
    form = DecisionForm(*_bound(request), application=application) if may_decide else None
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
    return render(request, "applications/application_detail.html", {"application": application, "form": form}, status=status)


def _decide(request, application: Application, data: dict) -> None:
    services.application_decide(
        actor=request.user,
        application=application,
        approve=data["decision"] == "approve",
        reason=data.get("reason") or "",
        sitting=data.get("sitting"),
        sitting_date=data.get("sitting_date"),
        new_date=data.get("new_date"),
        target_period=data.get("target_period") or "",
    )
    messages.success(request, _("The decision is recorded and the student is told."))


@login_required
def application_document(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not application.document:
        raise Http404
    return protected_file_response(application.document, application.document_name or "document.pdf", inline_pdf=True)


@login_required
def queue(request):
    show = request.GET.get("state", Application.State.FILED)
    state = show if show in Application.State.values else None
    return render(
        request,
        "applications/queue.html",
        {
            "applications": selectors.decision_queue(user=request.user, state=state),
            "state": state,
            "states": Application.State.choices,
        },
    )


@login_required
def incomplete_list(request):
    return render(
        request,
        "applications/incompletes.html",
        {
            "dues": selectors.incompletes_for_user(user=request.user),
            "without_due": selectors.incompletes_without_due(user=request.user),
        },
    )


@login_required
def incomplete_due(request, pk: int):
    """The chair or the department sets or changes an "I" grade's due date (R43)."""
    result = selectors.incomplete_result_for_due_date(user=request.user, pk=pk)
    current = getattr(result, "incomplete_due", None)  # loaded with the result by the selector
    cutoff = policy_for(result.slot.sitting.commission).cutoff_date
    form = DueDateForm(*_bound(request), cutoff=cutoff, initial={"due_date": current.due_date if current else None})
    if request.method == "POST" and form.is_valid():
        try:
            incompletes.incomplete_due_change(actor=request.user, result=result, due_date=form.cleaned_data["due_date"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The due date is set and the student is told."))
            return redirect("applications:incompletes")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/incomplete_due.html",
        {"result": result, "current": current, "cutoff": cutoff, "form": form},
        status=status,
    )


@login_required
def summative_list(request, pk: int):
    """The institution replaces the exam by the average for a list of disciplines: choose, preview, confirm (R44)."""
    institution = selectors.institution_for_summative(user=request.user, pk=pk)
    form = SummativeListForm(*_bound(request), institution=institution)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = {"disciplines": list(data["disciplines"]), "groups": list(data["groups"]), "period": data["period"]}
        try:
            if "confirm" in request.POST:
                decision = summative.summative_decision_make(
                    actor=request.user, institution=institution, number=data["number"], date=data["date"], **choice
                )
            else:
                preview = summative.summative_preview(institution=institution, **choice)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if preview is None:
                messages.success(
                    request,
                    ngettext(
                        "Decision No. %(number)s: %(n)s grade replaced.",
                        "Decision No. %(number)s: %(n)s grades replaced.",
                        decision.replaced,
                    )
                    % {"number": decision.number, "n": decision.replaced},
                )
                return redirect("applications:summative_list", pk=institution.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "applications/summative_list.html",
        {
            "institution": institution,
            "form": form,
            "preview": preview,
            "decisions": selectors.summative_decisions(institution=institution),
        },
        status=status,
    )


@login_required
def summative_decision_pdf(request, pk: int):
    decision = selectors.summative_decision_for_user(user=request.user, pk=pk)
    if decision.document is None:
        raise Http404
    return protected_file_response(decision.document.file, f"summative-{decision.pk}.pdf", inline_pdf=True)


def _period(request, institution_id: int) -> str:
    """The period asked for, or the second term of the academic year in force (when the institution has its policy)."""
    period = (request.GET.get("period") or "").strip().upper()
    try:
        period_parse(period)
    except ValidationError:
        policy = policy_find(institution_id)
        return f"{policy.academic_year}-2" if policy else ""
    return period


@login_required
def arts_list(request, pk: int):
    """The department's college students and their arts and culture results for a period (R46)."""
    department = selectors.department_for_arts(user=request.user, pk=pk)
    period = _period(request, department.institution_id)
    return render(
        request,
        "applications/arts_list.html",
        {
            "department": department,
            "period": period,
            "students": selectors.arts_students(department=department, period=period),
            "may_set": heads_department(request.user, department.pk),
            "recording_codes": sorted(arts.RECORDING_QUALIFICATIONS),
        },
    )


@login_required
def arts_set(request, pk: int):
    """R46: the department sets a student's result once the average, the characteristic and the files are there."""
    student = selectors.student_for_arts(user=request.user, pk=pk)
    period = (
        _period(request, student.institution_id)
        if request.method == "GET"
        else (request.POST.get("period") or "").strip().upper()
    )
    existing = ArtsResult.objects.filter(student=student, period=period).first()
    from_transcript = _transcript_average(student, period)
    form = ArtsResultForm(
        *_bound(request, files=True),
        needs_recording=arts.needs_recording(student),
        transcript_average=from_transcript,
        initial={"period": period},
    )
    if request.method == "POST" and existing is None and form.is_valid():
        data = form.cleaned_data
        entered = data.get("average")
        try:
            arts.arts_result_set(
                actor=request.user,
                student=student,
                period=data["period"],
                characteristic=data["characteristic"],
                recording=data.get("recording"),
                employer_reviews=data.get("employer_reviews"),
                entered_average=None if entered == from_transcript else entered,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The result is set."))
            return redirect(
                f"{reverse('applications:arts_list', args=[student.group.programme.department_id])}?period={data['period']}"
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/arts_form.html",
        {
            "student": student,
            "period": period,
            "existing": existing,
            "form": form,
            "needs_recording": arts.needs_recording(student),
        },
        status=status,
    )


ARTS_FILES = {"recording": "recording", "reviews": "employer_reviews"}


@login_required
def arts_file(request, pk: int, what: str):
    """The stage-performance recording or the employer reviews, for the department and the institution's office."""
    row = selectors.arts_result_for_user(user=request.user, pk=pk)
    field = getattr(row, ARTS_FILES[what]) if what in ARTS_FILES else None
    if not field:
        raise Http404
    ext = field.name.rsplit(".", 1)[-1].lower()
    return protected_file_response(field, f"{what}-{row.student_id}-{row.period}.{ext}")


def _transcript_average(student: Student, period: str):
    try:
        period_parse(period)
    except ValidationError:
        return None
    return arts.transcript_average(student=student, period=period)


def _imported(result: transcripts.ImportResult) -> str:
    imported = ngettext("Imported %(n)s score.", "Imported %(n)s scores.", result.written) % {"n": result.written}
    counts = _("%(added)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    return f"{imported} {counts}"


@login_required
def transcript_import(request, pk: int):
    institution = selectors.institution_for_import(user=request.user, pk=pk)
    form = TranscriptImportForm(*_bound(request, files=True))
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
                messages.success(request, _imported(result))
                return redirect("applications:import", pk=institution.pk)
    status = 400 if request.method == "POST" and (form.errors or (result and not result.ok)) else 200
    return render(
        request,
        "applications/transcript_import.html",
        {"institution": institution, "form": form, "result": result},
        status=status,
    )


@login_required
def import_job_page(request, pk: int):
    job = selectors.import_job_for_user(user=request.user, pk=pk)
    return render(request, "applications/import_job.html", {"job": job, "institution": job.institution})


@login_required
def import_job(request, pk: int):
    job = selectors.import_job_for_user(user=request.user, pk=pk)
    return render(request, "applications/_import_job.html", {"job": job})
