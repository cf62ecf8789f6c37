from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_and_return, safe_next
from attestation.core.downloads import protected_file_response
from attestation.core.permissions import permitted_or_404
from attestation.institutions.models import Department
from commissions.models import Commission
from exams.yearend import permissions, services
from exams.yearend.forms import AccommodationForm, DiplomaRequestForm, TransferForm
from exams.yearend.models import Accommodation, DiplomaRequest, Transfer


def _commission(request, pk: int, check) -> Commission:
    return permitted_or_404(request.user, Commission.objects.select_related("institution"), check, pk=pk)


@login_required
@require_POST
def transfer_send(request, commission_pk: int):
    commission = _commission(request, commission_pk, permissions.can_run_yearend)
    return run_and_return(
        request,
        lambda d: services.transfer_request(actor=request.user, commission=commission, **d),
        form=TransferForm(request.POST),
        done=_("The transfer is recorded; the documents are being packed — reload the page in a moment."),
        fallback="home",
    )


@login_required
def transfer_download(request, pk: int):
    transfer = permitted_or_404(
        request.user,
        Transfer.objects.select_related("commission__institution"),
        permissions.can_download_yearend,
        via=lambda t: t.commission,
        pk=pk,
        state=Transfer.State.DONE,
    )
    return protected_file_response(transfer.file, f"{transfer.recipient}-{transfer.sent_at:%Y%m%d}.zip")


@login_required
@require_POST
def diploma_request(request, commission_pk: int):
    commission = _commission(request, commission_pk, permissions.can_run_yearend)
    return run_and_return(
        request,
        lambda d: services.diploma_request_create(actor=request.user, commission=commission, **d),
        form=DiplomaRequestForm(request.POST),
        done=_("The diploma request is generated."),
        fallback="home",
    )


@login_required
def diploma_request_file(request, pk: int, what: str):
    if what not in ("docx", "zip"):
        raise Http404
    diploma = permitted_or_404(
        request.user,
        DiplomaRequest.objects.select_related("commission__institution"),
        permissions.can_download_yearend,
        via=lambda d: d.commission,
        pk=pk,
    )
    field = diploma.docx if what == "docx" else diploma.bundle
    return protected_file_response(field, f"diploma-request-{diploma.order_number}.{what}")


@login_required
@require_POST
def accommodation_set(request, pk: int):
    department = permitted_or_404(request.user, Department.objects.all(), permissions.can_record_accommodation, pk=pk)
    form = AccommodationForm(request.POST, department=department)
    return run_and_return(
        request,
        lambda d: services.accommodation_set(actor=request.user, **d),
        form=form,
        done=_("The accommodation is recorded; the timers honour it."),
        fallback="home",
    )


@login_required
@require_POST
def accommodation_remove(request, pk: int):
    accommodation = permitted_or_404(
        request.user,
        Accommodation.objects.select_related("student__group__programme__department"),
        permissions.can_record_accommodation,
        via=lambda a: a.student.group.programme.department,
        pk=pk,
    )
    services.accommodation_remove(actor=request.user, accommodation=accommodation)
    messages.success(request, _("The accommodation is removed."))
    return redirect(safe_next(request, fallback="home"))
