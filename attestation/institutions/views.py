from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_service
from attestation.institutions import selectors, services
from attestation.institutions.forms import (
    STRUCTURE,
    CalendarDayForm,
    PolicyForm,
    PolicyYearForm,
    StructureKind,
    StudentImportForm,
)
from attestation.institutions.student_import import (
    student_import_check,
    student_import_start,
    template_csv,
    template_xlsx,
)
from attestation.workcal.selectors import calendar_year
from attestation.workcal.services import calendar_day_remove, calendar_day_set


@login_required
def policy_edit(request, pk: int, year: int | None = None):
    institution = selectors.institution_get_for_admin(user=request.user, pk=pk)
    policy = selectors.policy_of_year(institution=institution, year=year)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.policy_update(actor=request.user, policy=policy, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The policy is saved."))
            return redirect("institutions:policy_year", pk=institution.pk, year=policy.academic_year)
    context = {
        "institution": institution,
        "policy": policy,
        "form": form,
        "years": selectors.policy_years(institution=institution),
        "year_form": PolicyYearForm(initial={"academic_year": policy.academic_year + 1}),
    }
    return render(request, "institutions/policy_form.html", context)


@login_required
@require_POST
def policy_new_year(request, pk: int, year: int):
    """A new academic year's policy as a copy of `year`'s, then its page to edit it."""
    institution = selectors.institution_get_for_admin(user=request.user, pk=pk)
    source = selectors.policy_of_year(institution=institution, year=year)
    form = PolicyYearForm(request.POST)
    if form.is_valid():
        new_year = form.cleaned_data["academic_year"]
        try:
            policy = services.policy_copy_to_year(actor=request.user, source=source, academic_year=new_year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The policy for %(new)s is created as a copy of %(old)s: check and edit its values.")
                % {"new": policy.academic_year_label, "old": source.academic_year_label},
            )
            return redirect("institutions:policy_year", pk=institution.pk, year=policy.academic_year)
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("institutions:policy_year", pk=institution.pk, year=source.academic_year)


@login_required
def student_import(request, pk: int):
    """Step one: the file is checked (a dry run) and kept; the check's page says what is wrong or what would change."""
    institution = selectors.institution_get_for_import(user=request.user, pk=pk)
    form = StudentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = student_import_check(
                actor=request.user, institution=institution, upload=form.cleaned_data["file"], kind=form.kind
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("institutions:student_import_detail", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {"institution": institution, "form": form}
    return render(request, "institutions/student_import.html", context, status=status)


@login_required
def student_import_detail(request, pk: int):
    """The check's outcome, then the import's progress (the same page, polled while the worker runs)."""
    job = selectors.student_import_for_user(user=request.user, pk=pk)
    context = {"job": job, "institution": job.institution, "form": StudentImportForm()}
    status = 400 if job.state == job.State.CHECKED and job.errors else 200
    return render(request, "institutions/student_import_detail.html", context, status=status)


@login_required
@require_POST
def student_import_start_view(request, pk: int):
    job = selectors.student_import_for_user(user=request.user, pk=pk)
    run_service(request, lambda: student_import_start(actor=request.user, job=job))
    return redirect("institutions:student_import_detail", pk=job.pk)


@login_required
def student_import_progress(request, pk: int):
    job = selectors.student_import_for_user(user=request.user, pk=pk)
    return render(request, "institutions/_student_import_job.html", {"job": job})


# --- the institution's structure ---------------------------------------------------------------------------------------


def _structure_kind(kind: str) -> StructureKind:
    if kind not in STRUCTURE:
        raise Http404
    return STRUCTURE[kind]


@login_required
def structure(request, pk: int):
    institution = selectors.institution_get_for_structure(user=request.user, pk=pk)
    rows = selectors.structure_overview(institution=institution)
    sections = [(kind, spec, rows[kind]) for kind, spec in STRUCTURE.items()]
    return render(request, "institutions/structure.html", {"institution": institution, "sections": sections})


def _structure_form(request, *, institution, spec: StructureKind, row=None):
    form = spec.form(request.POST or None, instance=row, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.structure_save(actor=request.user, instance=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved: %(row)s.") % {"row": form.instance})
            return redirect(f"{reverse('institutions:structure', args=[institution.pk])}#{spec.model._meta.model_name}")
    status = 400 if request.method == "POST" else 200
    context = {"institution": institution, "spec": spec, "form": form, "row": row}
    return render(request, "institutions/structure_form.html", context, status=status)


@login_required
def structure_add(request, pk: int, kind: str):
    spec = _structure_kind(kind)
    institution = selectors.institution_get_for_structure(user=request.user, pk=pk)
    return _structure_form(request, institution=institution, spec=spec)


@login_required
def structure_edit(request, kind: str, pk: int):
    spec = _structure_kind(kind)
    row, institution = selectors.structure_row_for_user(
        user=request.user, model=spec.model, institution_path=spec.institution_path, pk=pk
    )
    return _structure_form(request, institution=institution, spec=spec, row=row)


@login_required
@require_POST
def structure_delete(request, kind: str, pk: int):
    spec = _structure_kind(kind)
    row, institution = selectors.structure_row_for_user(
        user=request.user, model=spec.model, institution_path=spec.institution_path, pk=pk
    )
    name = str(row)
    try:
        services.structure_delete(actor=request.user, instance=row)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Deleted: %(row)s.") % {"row": name})
    return redirect(f"{reverse('institutions:structure', args=[institution.pk])}#{kind}")


@login_required
def student_import_template(request, pk: int, fmt: str = "csv"):
    """The import's template in the page's language: the header row it understands, as CSV or XLSX."""
    selectors.institution_get_for_import(user=request.user, pk=pk)
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(template_xlsx(), content_type=content_type)
    else:
        response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="students-template.{fmt}"'
    return response


# --- the institution's calendar: days off, working days and the decrees' transfers ------------------------------------


def _calendar_year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
def calendar(request, pk: int):
    institution = selectors.institution_get_for_calendar(user=request.user, pk=pk)
    year = _calendar_year(request)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            calendar_day_set(
                actor=request.user,
                institution_id=institution.pk,
                day=data["date"],
                kind=data["kind"],
                note=data["note"],
                paired_day=data["paired_day"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The calendar is saved: the schedule and the deadlines follow it."))
            return redirect(f"{reverse('institutions:calendar', args=[institution.pk])}?year={data['date'].year}")
    lines = calendar_year(institution_id=institution.pk, year=year, language=get_language() or "kk")
    context = {"institution": institution, "year": year, "lines": lines, "form": form}
    return render(request, "institutions/calendar.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def calendar_remove(request, pk: int):
    row = selectors.calendar_row_for_user(user=request.user, pk=pk)
    calendar_day_remove(actor=request.user, row=row)
    messages.success(request, _("%(date)s follows the national calendar again.") % {"date": f"{row.date:%d.%m.%Y}"})
    return redirect(f"{reverse('institutions:calendar', args=[row.institution_id])}?year={row.date.year}")
