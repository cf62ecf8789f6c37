"""Proctoring actions from the secretary's desk and the student's page; files served only to who may see them."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.institutions.models import Student
from commissions.models import Membership
from exams import permissions
from exams import selectors as exam_selectors
from exams.views import _run
from proctoring import selectors, services
from proctoring.forms import (
    FailureActForm,
    IdCopyForm,
    IdentificationForm,
    IncidentForm,
    ProctorForm,
    RecordingForm,
    RoomCheckForm,
)
from proctoring.models import Interruption, RoomCheck


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _secretary_slot(request, slot_pk: int):
    slot = exam_selectors.slot_get_for_watcher(user=request.user, pk=slot_pk)
    if not permissions.can_run_sitting(request.user, slot.sitting):
        raise PermissionDenied
    return slot


@login_required
def id_copy(request):
    """The student uploads an ID copy before the attestation (R19)."""
    student = Student.objects.filter(user=request.user).first()
    if student is None:
        raise Http404
    form = IdCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _run(
            request, lambda: services.id_copy_upload(student=student, upload=form.cleaned_data["file"],
                                                     actor=request.user), _("The ID copy is uploaded.")):
        return redirect("proctoring:id_copy")
    return render(request, "proctoring/id_copy.html", {
        "form": form, "copy": student.id_copies.order_by("-uploaded_at").first()})


@login_required
def id_copy_file(request, pk: int):
    copy = selectors.id_copy_get_for_user(user=request.user, pk=pk)
    response = FileResponse(copy.file.open("rb"), content_type=copy.content_type,
                            filename=f"id-copy-{copy.pk}.{copy.kind}")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def identify(request, slot_pk: int):
    slot = _secretary_slot(request, slot_pk)
    form = IdentificationForm(request.POST)
    form.is_valid()
    _run(request, lambda: services.identification_record(slot=slot, actor=request.user, **form.cleaned_data),
         _("Identified."))
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def room_check(request, slot_pk: int):
    slot = _secretary_slot(request, slot_pk)
    form = RoomCheckForm(request.POST)
    form.is_valid()
    _run(request, lambda: services.room_check_record(slot=slot, actor=request.user, **form.cleaned_data))
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def room_check_decide(request, pk: int):
    check = get_object_or_404(RoomCheck.objects.select_related("slot__sitting__commission"), pk=pk)
    exam_selectors.sitting_get_for_watcher(user=request.user, pk=check.slot.sitting_id)
    if not permissions.can_decide(request.user, check.slot.sitting):
        raise PermissionDenied
    _run(request, lambda: services.room_check_decide(check=check, decision=request.POST.get("decision", ""),
                                                     actor=request.user))
    return redirect("exams:console", pk=check.slot.sitting_id)


@login_required
@require_POST
def incident(request, slot_pk: int):
    slot = exam_selectors.slot_get_for_watcher(user=request.user, pk=slot_pk)
    if not (permissions.can_run_sitting(request.user, slot.sitting)
            or permissions.is_proctor_of(request.user, slot.sitting, slot)):
        raise PermissionDenied
    form = IncidentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(request, lambda: services.incident_record(slot=slot, actor=request.user, **form.cleaned_data),
             _("The incident is recorded."))
    else:
        _form_errors(request, form)
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def failure_act(request, slot_pk: int):
    slot = _secretary_slot(request, slot_pk)
    form = FailureActForm(request.POST)
    if form.is_valid():
        _run(request, lambda: services.failure_act_draw_up(slot=slot, actor=request.user, **form.cleaned_data),
             _("The act is drawn up and sent to every commission member."))
    else:
        _form_errors(request, form)
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
def act_pdf(request, pk: int):
    act = selectors.act_get_for_user(user=request.user, pk=pk)
    return FileResponse(act.document.file.open("rb"), content_type="application/pdf",
                        filename=f"technical-failure-act-{act.pk}.pdf")


@login_required
@require_POST
def interruption_request(request, slot_pk: int):
    slot = exam_selectors.slot_get_own(user=request.user, pk=slot_pk)
    _run(request, lambda: services.interruption_request(slot=slot, message=request.POST.get("message", ""),
                                                        actor=request.user),
         _("Your request reached the secretary. Stay on the call; the commission decides."))
    return redirect("exams:student_exam", slot_pk=slot.pk)


@login_required
@require_POST
def interruption_decide(request, pk: int):
    interruption = get_object_or_404(Interruption.objects.select_related("slot__sitting__commission"), pk=pk)
    exam_selectors.sitting_get_for_watcher(user=request.user, pk=interruption.slot.sitting_id)
    if not permissions.can_decide(request.user, interruption.slot.sitting):
        raise PermissionDenied
    _run(request, lambda: services.interruption_decide(interruption=interruption,
                                                       decision=request.POST.get("decision", ""), actor=request.user))
    return redirect("exams:console", pk=interruption.slot.sitting_id)


@login_required
def recordings(request, sitting_pk: int):
    sitting = exam_selectors.sitting_get_for_watcher(user=request.user, pk=sitting_pk)
    can_run = permissions.can_run_sitting(request.user, sitting)
    form = RecordingForm(request.POST or None)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if form.is_valid() and _run(request, lambda: services.recording_add(sitting=sitting, actor=request.user,
                                                                            **form.cleaned_data)):
            return redirect("proctoring:recordings", sitting_pk=sitting.pk)
    return render(request, "proctoring/recordings.html", {
        "sitting": sitting, "recordings": selectors.recordings_for_user(user=request.user, sitting=sitting),
        "form": form, "can_run": can_run, "proctor_form": ProctorForm(),
        "proctors": sitting.proctors.select_related("user", "slot__student")})


@login_required
@require_POST
def proctor_assign(request, sitting_pk: int):
    sitting = exam_selectors.sitting_get_for_watcher(user=request.user, pk=sitting_pk)
    if not permissions.can_run_sitting(request.user, sitting):
        raise PermissionDenied
    user = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    if user is None:
        messages.error(request, _("No such user."))
    else:
        _run(request, lambda: services.proctor_assign(sitting=sitting, user=user, actor=request.user))
    return redirect("proctoring:recordings", sitting_pk=sitting.pk)




@login_required
@require_POST
def member_identify(request, sitting_pk: int, membership_pk: int):
    sitting = exam_selectors.sitting_get_for_watcher(user=request.user, pk=sitting_pk)
    if not permissions.can_identify_members(request.user, sitting):
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk,
                                   commission=sitting.commission)
    _run(request, lambda: services.member_identify(sitting=sitting, membership=membership, actor=request.user))
    return redirect("exams:console", pk=sitting.pk)
