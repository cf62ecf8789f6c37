from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.accounts.services import invitation_send
from attestation.core.actions import form_apply, run_and_return
from attestation.core.downloads import protected_file_response
from attestation.core.permissions import permitted_or_404
from attestation.core.student_pages import PAGE_SECONDS, cache_for, student_page
from attestation.documents.render import document_render
from commissions import connection_checks, permissions, selectors, services
from commissions.forms import CommissionForm, CommissionSettingsForm, ConnectionCheckForm
from commissions.grading.selectors import sitting_get_for_user
from commissions.models import Commission, Membership, Slot


@login_required
@student_page
def my_schedule(request):
    slots = selectors.slots_for_student(user=request.user)
    context: dict = {"slots": slots}
    if slots:
        context["is_student"] = True  # a schedule is a student's: the menu need not ask the database again
    # Served again until a slot, sitting or commission on it changes (attestation/core/student_pages.py).
    return cache_for(render(request, "commissions/my_schedule.html", context), PAGE_SECONDS)


@login_required
def slot_detail(request, pk: int):
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    trail_scope = permissions.student_trail_scope(request.user, slot.student)
    return render(request, "commissions/slot_detail.html", {"slot": slot, "trail_scope": trail_scope})


@login_required
def commission_detail(request, pk: int):
    commission = selectors.commission_get_for_user(user=request.user, pk=pk)
    can_edit = permissions.can_edit_commission_settings(request.user, commission)
    role = permissions.commission_role(request.user, commission)
    return render(
        request,
        "commissions/commission_detail.html",
        {
            "commission": commission,
            "members": selectors.commission_members(commission=commission),
            "sittings": selectors.commission_sittings(commission=commission),
            "programmes": list(commission.programmes.all()),
            "settings_form": CommissionSettingsForm(instance=commission) if can_edit else None,
            "can_plan": permissions.can_manage_schedule(request.user, commission),
            "can_see_trail": permissions.can_see_commission_trail(request.user, commission),
            "can_check_connection": role in (Membership.Role.SECRETARY, Membership.Role.CHAIR),
            # the sittings' grading sheets and the report are the commission's own pages (404 for the others)
            "on_commission": role is not None,
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def commission_settings(request, pk: int):
    """The chair or the department head sets the commission's vote mode, quorum and honours thresholds."""
    commission = selectors.commission_get_for_user(user=request.user, pk=pk)
    if not permissions.can_edit_commission_settings(request.user, commission):
        raise PermissionDenied
    form = CommissionSettingsForm(request.POST, instance=Commission.objects.get(pk=commission.pk))
    if form.is_valid():
        try:
            services.commission_settings_update(actor=request.user, commission=commission, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The commission's settings are saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("commissions:commission", pk=commission.pk)


@login_required
def commission_composition_pdf(request, pk: int):
    commission = selectors.commission_get_for_user(user=request.user, pk=pk)
    language = request.GET.get("lang") or translation.get_language()
    language = language if language in ("kk", "ru", "en") else "kk"
    document = document_render(
        kind="commission_composition",
        template="documents/commission_composition.html",
        context={
            "commission": commission,
            "members": selectors.commission_members(commission=commission),
            "programmes": list(commission.programmes.all()),
            "institution": commission.institution,
        },
        language=language,
        about=commission,
        actor=request.user,
        filename=f"commission-{commission.pk}-composition-{language}.pdf",
    )
    return protected_file_response(document.file, f"commission-{commission.pk}-{language}.pdf", inline_pdf=True)


# --- forming commissions in the portal ---------------------------------------------------------------------------------


@login_required
def commission_list(request, pk: int):
    institution = selectors.institution_for_forming(user=request.user, pk=pk)
    commissions = selectors.commissions_formed_by(user=request.user, institution=institution)
    return render(request, "commissions/commission_list.html", {"institution": institution, "commissions": commissions})


def _saved(form, call) -> Commission | None:
    """`form_apply` that keeps the commission the service returns (None: the form now carries the refusal)."""
    saved: list[Commission] = []
    return saved[0] if form_apply(form, lambda data: saved.append(call(dict(data)))) else None


def _people(data: dict) -> dict:
    return {name: data.pop(name) for name in ("programmes", "chair", "members", "secretary")}


def _commission_form_page(request, *, institution, form, commission=None):
    context = {"institution": institution, "form": form, "commission": commission}
    return render(request, "commissions/commission_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def commission_new(request, pk: int):
    institution = selectors.institution_for_forming(user=request.user, pk=pk)
    choices = selectors.commission_form_choices(user=request.user, institution=institution)
    form = CommissionForm(request.POST or None, choices=choices)
    commission = request.method == "POST" and _saved(
        form, lambda data: services.commission_appoint(actor=request.user, institution=institution, **_people(data), **data)
    )
    if commission:
        messages.success(request, _("The commission is formed: %(name)s.") % {"name": commission.name})
        return redirect("commissions:commission_list", pk=institution.pk)
    return _commission_form_page(request, institution=institution, form=form)


@login_required
def commission_edit(request, pk: int):
    commission = selectors.commission_get_for_editing(user=request.user, pk=pk)
    institution = commission.institution
    choices = selectors.commission_form_choices(user=request.user, institution=institution, commission=commission)
    initial = CommissionForm.initial_for(commission, selectors.commission_members(commission=commission))
    form = CommissionForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and _saved(
        form, lambda data: services.commission_revise(actor=request.user, commission=commission, **_people(data), **data)
    ):
        messages.success(request, _("The commission is saved: %(name)s.") % {"name": commission.name})
        return redirect("commissions:commission_list", pk=institution.pk)
    return _commission_form_page(request, institution=institution, form=form, commission=commission)


@login_required
@require_POST
def invite_member(request, commission_pk: int, user_pk: int):
    """Sends (or re-sends) the invitation of a commission member; only to people on that commission."""
    commission = Commission.objects.filter(pk=commission_pk).first()
    if commission is None or not permissions.can_invite_member(request.user, commission):
        raise Http404
    membership = Membership.objects.select_related("user").filter(commission=commission, user_id=user_pk).first()
    if membership is None:
        raise Http404
    return run_and_return(
        request,
        lambda: invitation_send(
            actor=request.user,
            user=membership.user,
            base_url=request.build_absolute_uri("/")[:-1],
            next_url=reverse("commissions:commission", args=[commission.pk]),
        ),
        done=_("The invitation is sent to %(email)s.") % {"email": membership.user.email},
        fallback="home",
    )


@login_required
def connection_checks_page(request, pk: int):
    """R12: the secretary's list for the day before — each student, the calls made, a form for the next call."""
    sitting = sitting_get_for_user(user=request.user, pk=pk)
    if not permissions.can_check_connection(request.user, sitting):
        raise PermissionDenied
    return render(
        request,
        "commissions/connection_checks.html",
        {"sitting": sitting, "rows": connection_checks.sitting_checks(sitting=sitting), "form": ConnectionCheckForm()},
    )


@require_POST
@login_required
def connection_check_record(request, pk: int):
    """One call to a student: its result, a note and any new contact details (R12)."""
    slot = permitted_or_404(
        request.user,
        Slot.objects.select_related("sitting__commission"),
        permissions.can_check_connection,
        via=lambda s: s.sitting,
        pk=pk,
    )
    return run_and_return(
        request,
        lambda data: connection_checks.connection_check_record(actor=request.user, slot=slot, **data),
        done=_("The check is recorded."),
        fallback="commissions:connection_checks",
        form=ConnectionCheckForm(request.POST),
        pk=slot.sitting_id,
    )
