from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import permissions, selectors, services
from appeals.forms import AppealCommissionForm, AppealForm, HearingForm, VoteForm
from appeals.results_cache import seconds_to_live
from attestation.core.actions import form_apply
from attestation.core.downloads import protected_file_response
from attestation.core.student_pages import cache_for, student_page


@login_required
@student_page
def my_results(request):
    rows, now = selectors.results_with_appeal_windows(user=request.user), timezone.now()
    context: dict = {"rows": rows, "now": now}
    if rows:
        context["is_student"] = True  # announced results are a student's: the menu need not ask the database again
    # The whole page is served again until something on it changes or its first open appeal window closes.
    seconds = seconds_to_live([closes for result, closes in rows if not hasattr(result, "appeal")], now)
    return cache_for(render(request, "appeals/my_results.html", context), seconds)


@login_required
def appeal_file(request, result_pk: int):
    result = selectors.result_get_for_appeal(user=request.user, pk=result_pk)
    closes = services.appeal_window_closes(result)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form_apply(
        form,
        lambda data: services.appeal_file(
            actor=request.user, result=result, reasons=data["reasons"], attachments=data["attachments"]
        ),
    ):
        messages.success(request, _("Your appeal is filed. The appeal commission will hold its sitting in time."))
        return redirect("appeals:my_results")
    return render(
        request, "appeals/file.html", {"result": result, "closes": closes, "form": form}, status=400 if form.errors else 200
    )


@login_required
def appeal_detail(request, pk: int):
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    member = permissions.is_appeal_member(request.user, appeal.appeal_commission_id)
    hearing_form = HearingForm(request.POST if "hearing" in request.POST else None)
    vote_form = VoteForm(request.POST if "vote" in request.POST else None)
    if request.method == "POST" and member:
        if "hearing" in request.POST and form_apply(
            hearing_form,
            lambda d: services.appeal_schedule_hearing(
                actor=request.user, appeal=appeal, hearing_at=d["hearing_at"], url=d["url"]
            ),
        ):
            messages.success(request, _("The hearing is scheduled; the student and the members are told."))
            return redirect("appeals:detail", pk=appeal.pk)
        if "vote" in request.POST and form_apply(
            vote_form,
            lambda d: services.appeal_vote(
                actor=request.user, appeal=appeal, outcome=d["outcome"], points=d["points"], note=d["note"]
            ),
        ):
            messages.success(request, _("Your vote is recorded."))
            return redirect("appeals:detail", pk=appeal.pk)
    context = {
        "appeal": appeal,
        "member": member,
        "hearing_form": hearing_form,
        "vote_form": vote_form,
        "voting_open": services.voting_open(appeal) or vote_form.errors,
    }
    if permissions.can_see_case_file(request.user, appeal):
        context["case"] = selectors.case_file(appeal=appeal)
        context["opens_records"] = permissions.can_open_case_records(request.user, appeal)
    status = 400 if hearing_form.errors or vote_form.errors else 200
    return render(request, "appeals/detail.html", context, status=status)


@login_required
def appeal_commission_detail(request, pk: int):
    appeal_commission = selectors.appeal_commission_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "appeals/commission.html",
        {
            "appeal_commission": appeal_commission,
            "members": list(appeal_commission.members.select_related("user")),
            "appeals": selectors.appeals_of_commission(appeal_commission=appeal_commission),
        },
    )


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(appeal.attachments, pk=attachment_pk)
    return protected_file_response(attachment.file, attachment.name)


@login_required
def document_download(request, pk: int, document_pk: int):
    """A document about the appealed slot, for the appeal commission reading the case file."""
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    if not permissions.can_see_case_file(request.user, appeal):
        raise Http404
    document = selectors.case_document(appeal=appeal, pk=document_pk)
    if document is None:
        raise Http404
    return protected_file_response(document.file, inline_pdf=True)


@login_required
def appeal_commissions(request, pk: int):
    """The institution's appeal commissions and the form appointing a new one; R8 refusals name each person."""
    institution = selectors.institution_for_appeal_commissions(user=request.user, pk=pk)
    form = AppealCommissionForm(request.POST or None, **selectors.appeal_form_choices(institution=institution))
    if request.method == "POST" and form_apply(
        form,
        lambda d: services.appeal_commission_create(
            actor=request.user,
            institution=institution,
            academic_year=d["academic_year"],
            name_kk=d["name_kk"],
            name_ru=d["name_ru"],
            order_number=d["order_number"],
            order_date=d["order_date"],
            commissions=list(d["commissions"]),
            members=form.members_with_roles(),
        ),
    ):
        messages.success(request, _("The appeal commission is appointed."))
        return redirect("appeals:commissions", pk=institution.pk)
    context = {
        "institution": institution,
        "form": form,
        "appeal_commissions": selectors.appeal_commissions_of(institution=institution),
    }
    return render(request, "appeals/commissions.html", context, status=400 if form.errors else 200)
