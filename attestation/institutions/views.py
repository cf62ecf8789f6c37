from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attestation.institutions import selectors, services
from attestation.institutions.forms import PolicyForm, StudentImportForm
from attestation.institutions.student_import import read_rows, students_import


@login_required
def policy_edit(request, pk: int):
    institution = selectors.institution_get_for_admin(user=request.user, pk=pk)
    policy = selectors.policy_current(institution=institution)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.policy_update(actor=request.user, policy=policy, changes=changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The policy is saved."))
            return redirect("institutions:policy", pk=institution.pk)
    return render(request, "institutions/policy_form.html", {"institution": institution, "policy": policy, "form": form})


@login_required
def student_import(request, pk: int):
    institution = selectors.institution_get_for_import(user=request.user, pk=pk)
    form = StudentImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"], form.kind)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            result = students_import(actor=request.user, institution=institution, rows=rows)
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "Imported: %(created)s new student, %(updated)s updated.",
                        "Imported: %(created)s new students, %(updated)s updated.",
                        result.created,
                    )
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("institutions:import_students", pk=institution.pk)
    status = 400 if request.method == "POST" and (form.errors or (result and not result.ok)) else 200
    return render(
        request,
        "institutions/student_import.html",
        {"institution": institution, "form": form, "result": result},
        status=status,
    )
