from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_and_return, safe_next
from attestation.core.downloads import protected_file_response
from attestation.institutions.models import Department
from commissions.models import Commission
from exams.yearend import permissions, services
from exams.yearend.forms import AccommodationForm, DiplomaRequestForm, TransferForm
from exams.yearend.models import Accommodation, DiplomaRequest, Transfer


def _commission_for(user, pk: int, check) -> Commission:
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if commission is None or not check(user, commission):
        raise Http404
    return commission


@login_required
@require_POST
def transfer_send(request, commission_pk: int):
    commission = _commission_for(request.user, commission_pk, permissions.can_run_yearend)
    return run_and_return(
        request,
        lambda d: services.transfer_request(actor=request.user, commission=commission, **d),
        form=TransferForm(request.POST),
        done=_("The transfer is recorded; the documents are being packed — reload the page in a moment."),
        fallback="home",
    )


@login_required
def transfer_download(request, pk: int):
    transfer = get_object_or_404(
        Transfer.objects.select_related("commission__institution"), pk=pk, state=Transfer.State.DONE
    )
    if not permissions.can_download_yearend(request.user, transfer.commission):
        raise Http404
    return protected_file_response(transfer.file, f"{transfer.recipient}-{transfer.sent_at:%Y%m%d}.zip")


@login_required
@require_POST
def diploma_request(request, commission_pk: int):
    commission = _commission_for(request.user, commission_pk, permissions.can_run_yearend)
    return run_and_return(
        request,
        lambda d: services.diploma_request_create(actor=request.user, commission=commission, **d),
        form=DiplomaRequestForm(request.POST),
        done=_("The diploma request is generated."),
        fallback="home",
    )


@login_required
def diploma_request_file(request, pk: int, what: str):
    diploma = get_object_or_404(DiplomaRequest.objects.select_related("commission__institution"), pk=pk)
    if what not in ("docx", "zip") or not permissions.can_download_yearend(request.user, diploma.commission):
        raise Http404
    field = diploma.docx if what == "docx" else diploma.bundle
    return protected_file_response(field, f"diploma-request-{diploma.order_number}.{what}")


@login_required
@require_POST
def accommodation_set(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    if not permissions.can_record_accommodation(request.user, department):
        raise Http404
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
    accommodation = get_object_or_404(Accommodation.objects.select_related("student__group__programme__department"), pk=pk)
    if not permissions.can_record_accommodation(request.user, accommodation.student.group.programme.department):
        raise Http404
    services.accommodation_remove(actor=request.user, accommodation=accommodation)
    messages.success(request, _("The accommodation is removed."))
    return redirect(safe_next(request, fallback="home"))
