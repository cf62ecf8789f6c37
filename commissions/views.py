from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.accounts.services import invitation_send
from attestation.core.actions import run_and_return
from attestation.documents.render import document_render
from commissions import calendar_export, permissions, selectors, services
from commissions.forms import CommissionSettingsForm
from commissions.models import Commission, Membership


@login_required
def my_schedule(request):
    slots = list(selectors.slots_for_student(user=request.user))
    return render(request, "commissions/my_schedule.html", {"slots": slots})


@login_required
def schedule_ics(request):
    slots = selectors.slots_for_student(user=request.user)
    from exams.preparation.selectors import for_person

    webinars = for_person(user=request.user)["webinars"]
    response = HttpResponse(calendar_export.slots_to_ics(slots, webinars), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attestation-schedule.ics"'
    return response


@login_required
def slot_detail(request, pk: int):
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    return render(request, "commissions/slot_detail.html", {"slot": slot})


@login_required
def commission_detail(request, pk: int):
    commission = selectors.commission_get_for_user(user=request.user, pk=pk)
    can_edit = permissions.can_edit_commission_settings(request.user, commission)
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
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"commission-{commission.pk}-{language}.pdf"
    )


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
