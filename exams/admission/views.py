from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from attestation.core.actions import form_apply
from attestation.core.downloads import protected_file_response
from attestation.institutions.models import Student
from exams.admission import acquaintance as acquaintance_services
from exams.admission import permissions, selectors, services
from exams.admission.forms import (
    CertificateForm,
    ClearanceForm,
    FileForm,
    FormattingForm,
    PlagiarismCheckForm,
    ProcedureForm,
    ReviewForm,
    ThesisForm,
)
from exams.admission.models import Acquaintance, AdmissionList, ClearanceLine, ProcedureNotice, Review


def _bound(request, action: str):
    """POST data and files for the form whose submit button was pressed, None for the others."""
    if request.method == "POST" and request.POST.get("action") == action:
        return request.POST, request.FILES
    return None, None


@login_required
def my_thesis(request):
    """The student's page: the thesis, what is missing and by when (R16)."""
    student = Student.objects.select_related("institution", "group__programme").filter(user=request.user).first()
    if student is None:
        raise Http404
    thesis = getattr(student, "thesis", None)
    form = ThesisForm(*_bound(request, "thesis")[:1], instance=thesis, institution=student.institution)
    upload = FileForm(*_bound(request, "version"))
    if request.method == "POST":
        if request.POST.get("action") == "thesis" and form_apply(
            form, lambda d: services.thesis_register(actor=request.user, student=student, **d)
        ):
            messages.success(request, _("The thesis is registered."))
            return redirect("admission:my_thesis")
        if (
            thesis
            and request.POST.get("action") == "version"
            and form_apply(
                upload, lambda d: services.thesis_version_upload(actor=request.user, thesis=thesis, upload=d["file"])
            )
        ):
            messages.success(request, _("The new version is uploaded."))
            return redirect("admission:my_thesis")
    context = {
        "student": student,
        "thesis": thesis,
        "form": form,
        "upload": upload,
        "acquaintances": student.acquaintances.select_related("notice").order_by("-notice__sent_at"),
        "status": selectors.student_admission_for(student=student),
        "due": services.admission_due_dates(student),
    }
    return render(request, "admission/my_thesis.html", context, status=400 if form.errors or upload.errors else 200)


def _thesis_forms(request, thesis):
    user, institution_id = request.user, thesis.student.institution_id
    forms = {"version": (permissions.can_upload_version, FileForm(*_bound(request, "version")))}
    forms["formatting"] = (permissions.can_check_formatting, FormattingForm(_bound(request, "formatting")[0]))
    forms["check"] = (permissions.can_record_check, PlagiarismCheckForm(*_bound(request, "check")))
    forms["certificate"] = (permissions.can_submit_supervisor_review, CertificateForm(*_bound(request, "certificate")))
    forms["supervisor"] = (
        permissions.can_submit_supervisor_review,
        ReviewForm(*_bound(request, "supervisor"), external=False, institution_id=institution_id),
    )
    forms["external"] = (
        permissions.can_submit_external_review,
        ReviewForm(*_bound(request, "external"), external=True, institution_id=institution_id),
    )
    return {name: form for name, (allowed, form) in forms.items() if allowed(user, thesis)}


def _thesis_action(request, thesis, name: str, form) -> bool:
    actor = request.user
    calls = {
        "version": lambda d: services.thesis_version_upload(actor=actor, thesis=thesis, upload=d["file"]),
        "formatting": lambda d: services.thesis_formatting_check(actor=actor, thesis=thesis, **d),
        "check": lambda d: services.plagiarism_check_record(actor=actor, thesis=thesis, **d),
        "certificate": lambda d: services.certificate_upload(actor=actor, thesis=thesis, upload=d["file"]),
        "supervisor": lambda d: services.review_submit(
            actor=actor,
            thesis=thesis,
            kind=Review.Kind.SUPERVISOR,
            conclusion=d["conclusion"],
            text=d["text"],
            upload=d["file"],
        ),
        "external": lambda d: services.review_submit(
            actor=actor,
            thesis=thesis,
            kind=Review.Kind.EXTERNAL,
            conclusion=d["conclusion"],
            letter=d["letter"],
            text=d["text"],
            upload=d["file"],
        ),
    }
    return form_apply(form, calls[name])


@login_required
def thesis_detail(request, pk: int):
    """The thesis file: versions, checks, reviews, certificate, with the forms the person's role allows."""
    thesis = selectors.thesis_get_for_user(user=request.user, pk=pk)
    forms = _thesis_forms(request, thesis)
    action = request.POST.get("action")
    if request.method == "POST":
        if action not in forms:
            raise PermissionDenied
        if _thesis_action(request, thesis, action, forms[action]):
            messages.success(request, _("Saved."))
            return redirect("admission:thesis", pk=thesis.pk)
    context = {
        "thesis": thesis,
        "forms": forms,
        "status": selectors.student_admission_for(student=thesis.student),
        "checks": list(thesis.plagiarism_checks.all()),
        "versions": list(thesis.versions.all()),
        "reviews": {r.kind: r for r in thesis.reviews.all()},
        "manager": permissions.can_record_check(request.user, thesis),
    }
    return render(request, "admission/thesis.html", context, status=400 if any(f.errors for f in forms.values()) else 200)


@login_required
def thesis_file(request, pk: int, what: str, item: int):
    """A file of the thesis, served only to those who may see the thesis."""
    thesis = selectors.thesis_get_for_user(user=request.user, pk=pk)
    sources = {
        "version": lambda: get_object_or_404(thesis.versions, pk=item).file,
        "report": lambda: get_object_or_404(thesis.plagiarism_checks, pk=item).report,
        "review": lambda: get_object_or_404(thesis.reviews, pk=item).file,
        "certificate": lambda: thesis.plagiarism_certificate.file,
    }
    if what not in sources:
        raise Http404
    field_file = sources[what]()
    if not field_file:
        raise Http404
    return protected_file_response(field_file, field_file.name.rsplit("/", 1)[-1])


@login_required
def my_reviews(request):
    """The theses a person supervises or reviews (R6)."""
    theses = selectors.theses_for_reviewer(user=request.user)
    return render(request, "admission/my_reviews.html", {"theses": theses})


@login_required
def admission_table(request, pk: int):
    """The head's table per programme: every student, each condition green or red; admits the list (R4)."""
    programme = selectors.programme_get_for_head(user=request.user, pk=pk)
    procedure = ProcedureForm(*_bound(request, "procedure"))
    if request.method == "POST" and request.POST.get("action") == "procedure":
        if form_apply(
            procedure,
            lambda d: acquaintance_services.procedure_send(
                actor=request.user, programme=programme, upload=d["file"], attestation_starts=d["attestation_starts"]
            ),
        ):
            messages.success(request, _("The procedure is sent to every student of the programme."))
            return redirect("admission:table", pk=programme.pk)
    elif request.method == "POST":
        try:
            if request.POST.get("action") == "deadlines":
                count = services.admission_deadlines_refresh(actor=request.user, programme=programme)
                messages.success(request, _("Deadlines set for %(n)s theses.") % {"n": count})
            else:
                ids = [int(x) for x in request.POST.getlist("student") if x.isdigit()]
                services.admission_list_admit(actor=request.user, programme=programme, student_ids=ids)
                messages.success(request, _("The list is admitted; the order is generated."))
            return redirect("admission:table", pk=programme.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    rows = selectors.admission_table(programme=programme)
    lists = AdmissionList.objects.filter(programme=programme).select_related("admitted_by", "order")
    return render(
        request,
        "admission/table.html",
        {
            "programme": programme,
            "rows": rows,
            "lists": lists,
            "headers": rows[0].conditions if rows else [],
            "green": sum(r.green and not r.admitted for r in rows),
            "procedure": procedure,
            "notices": selectors.procedure_notices(programme=programme),
        },
        status=400 if procedure.errors else 200,
    )


@login_required
def order_download(request, pk: int):
    admission_list = get_object_or_404(AdmissionList.objects.select_related("programme__department", "order"), pk=pk)
    if not permissions.manages_department(request.user, admission_list.programme.department) or not admission_list.order:
        raise Http404
    return protected_file_response(admission_list.order.file, f"admission-order-{admission_list.pk}.pdf", inline_pdf=True)


@login_required
def clearance(request, pk: int):
    """The student's exit (clearance) sheet (R18); each office marks its line."""
    student = selectors.student_get_for_clearance(user=request.user, pk=pk)
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form_apply(
        form,
        lambda d: services.clearance_mark(
            actor=request.user, student=student, line=d["line"], cleared=d["cleared"], note=d["note"]
        ),
    ):
        messages.success(request, _("The clearance line is marked."))
        return redirect("admission:clearance", pk=student.pk)
    marked = {c.line: c for c in student.clearance_lines.select_related("marked_by")}
    lines = [
        (key, label, marked.get(key), permissions.can_mark_clearance(request.user, student, key))
        for key, label in ClearanceLine.Line.choices
    ]
    complete = all(row and row.cleared for _key, _label, row, _may in lines)
    return render(
        request,
        "admission/clearance.html",
        {"student": student, "lines": lines, "complete": complete, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def acquaintance_confirm(request, pk: int):
    """The student confirms acquaintance with the procedure (R13)."""
    acquaintance = get_object_or_404(Acquaintance.objects.select_related("student"), pk=pk, student__user=request.user)
    if request.method == "POST":
        acquaintance_services.acquaintance_confirm(actor=request.user, acquaintance=acquaintance)
        messages.success(request, _("Thank you: your acquaintance with the procedure is recorded."))
    return redirect("admission:my_thesis")


@login_required
def procedure_file(request, pk: int):
    """The procedure document, for the programme's students and its department."""
    notice = get_object_or_404(ProcedureNotice.objects.select_related("programme__department"), pk=pk)
    own = notice.acquaintances.filter(student__user=request.user).exists()
    if not own and not permissions.manages_department(request.user, notice.programme.department):
        raise Http404
    return protected_file_response(notice.file, f"procedure-{notice.programme.code}.pdf", inline_pdf=True)
