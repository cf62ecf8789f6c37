"""Proctoring actions from the secretary's desk and the student's page; files served only to who may see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_service
from attestation.core.confirm import ask_first
from attestation.core.downloads import protected_file_response
from attestation.institutions.middleware import show_times_of
from attestation.institutions.models import Student
from commissions.models import Membership
from exams import permissions
from exams import selectors as exam_selectors
from proctoring import permissions as proctoring_permissions
from proctoring import selectors, services
from proctoring.forms import (
    FailureActForm,
    IdCopyForm,
    IdentificationForm,
    IncidentForm,
    OfferSlotForm,
    ProctorForm,
    RecordingForm,
    RoomCheckForm,
)
from proctoring.models import Interruption, ProctorAssignment, RoomCheck


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _int(value) -> int | None:
    return int(value) if (value or "").strip().isdigit() else None


def _how(request) -> services.HowDecided:
    """How the commission decided, from the decision form: the members present, unanimously or by a vote."""
    return services.HowDecided(
        present_ids=[pk for pk in request.POST.getlist("present") if pk.isdigit()],
        method=request.POST.get("method", ""),
        votes_for=_int(request.POST.get("votes_for")),
        votes_against=_int(request.POST.get("votes_against")) or 0,
    )


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
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.id_copy_upload(student=student, upload=form.cleaned_data["file"], actor=request.user),
            _("The ID copy is uploaded."),
        )
    ):
        return redirect("proctoring:id_copy")
    return render(
        request, "proctoring/id_copy.html", {"form": form, "copy": student.id_copies.order_by("-uploaded_at").first()}
    )


@login_required
def id_copy_file(request, pk: int):
    copy = selectors.id_copy_get_for_user(user=request.user, pk=pk)
    return protected_file_response(copy.file, f"id-copy-{copy.pk}.{copy.kind}")


@login_required
@require_POST
def identify(request, slot_pk: int):
    slot = _secretary_slot(request, slot_pk)
    form = IdentificationForm(request.POST)
    form.is_valid()
    without_copy = _how(request) if request.POST.get("without_copy") else None
    run_service(
        request,
        lambda: services.identification_record(
            slot=slot, actor=request.user, without_copy=without_copy, **form.cleaned_data
        ),
        _("Identified."),
    )
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def room_check(request, slot_pk: int):
    slot = _secretary_slot(request, slot_pk)
    form = RoomCheckForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.room_check_record(slot=slot, actor=request.user, **form.cleaned_data))
    else:  # a note over 500 characters left no "note" in cleaned_data: a TypeError, a 500
        _form_errors(request, form)
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def room_check_decide(request, pk: int):
    check = get_object_or_404(RoomCheck.objects.select_related("slot__sitting__commission"), pk=pk)
    exam_selectors.sitting_get_for_watcher(user=request.user, pk=check.slot.sitting_id)
    if not permissions.can_decide(request.user, check.slot.sitting):
        raise PermissionDenied
    if request.POST.get("decision") == RoomCheck.Decision.END:
        asking = ask_first(
            request,
            question=_("End the attestation of this student? This cannot be undone."),
            details=[check.slot.student.full_name],
            back=reverse("exams:console", kwargs={"pk": check.slot.sitting_id}),
        )
        if asking is not None:
            return asking
    run_service(
        request,
        lambda: services.room_check_decide(
            check=check, decision=request.POST.get("decision", ""), how=_how(request), actor=request.user
        ),
    )
    return redirect("exams:console", pk=check.slot.sitting_id)


@login_required
@require_POST
def incident(request, slot_pk: int):
    slot = exam_selectors.slot_get_for_watcher(user=request.user, pk=slot_pk)
    if not (
        permissions.can_run_sitting(request.user, slot.sitting)
        or proctoring_permissions.is_proctor_of(request.user, slot.sitting, slot)
    ):
        raise PermissionDenied
    show_times_of(slot.sitting.commission.institution)
    form = IncidentForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: services.incident_record(slot=slot, actor=request.user, **form.cleaned_data),
            _("The incident is recorded."),
        )
    else:
        _form_errors(request, form)
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def failure_act(request, slot_pk: int):
    slot = _secretary_slot(request, slot_pk)
    show_times_of(slot.sitting.commission.institution)  # the failure time typed is the sitting's wall clock
    form = FailureActForm(request.POST)
    drawn = []
    if form.is_valid():
        run_service(
            request,
            lambda: drawn.append(services.failure_act_draw_up(slot=slot, actor=request.user, **form.cleaned_data)),
            _("The act is drawn up and sent to every commission member."),
        )
    else:
        _form_errors(request, form)
    if drawn:  # next: give the student another slot from the act's page (R23)
        return redirect("proctoring:act", pk=drawn[0].pk)
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
def act_pdf(request, pk: int):
    act = selectors.act_get_for_user(user=request.user, pk=pk)
    return protected_file_response(act.document.file, f"technical-failure-act-{act.pk}.pdf", inline_pdf=True)


@login_required
@require_POST
def interruption_request(request, slot_pk: int):
    slot = exam_selectors.slot_get_own(user=request.user, pk=slot_pk)
    run_service(
        request,
        lambda: services.interruption_request(slot=slot, message=request.POST.get("message", ""), actor=request.user),
        _("Your request reached the secretary. Stay on the call; the commission decides."),
    )
    return redirect("exams:student_exam", slot_pk=slot.pk)


@login_required
@require_POST
def interruption_decide(request, pk: int):
    interruption = get_object_or_404(Interruption.objects.select_related("slot__sitting__commission"), pk=pk)
    exam_selectors.sitting_get_for_watcher(user=request.user, pk=interruption.slot.sitting_id)
    if not permissions.can_decide(request.user, interruption.slot.sitting):
        raise PermissionDenied
    if request.POST.get("decision") == Interruption.Decision.STOP:
        asking = ask_first(
            request,
            question=_("Stop the attestation of this student? This cannot be undone."),
            details=[interruption.slot.student.full_name],
            back=reverse("exams:console", kwargs={"pk": interruption.slot.sitting_id}),
        )
        if asking is not None:
            return asking
    run_service(
        request,
        lambda: services.interruption_decide(
            interruption=interruption, decision=request.POST.get("decision", ""), how=_how(request), actor=request.user
        ),
    )
    return redirect("exams:console", pk=interruption.slot.sitting_id)


@login_required
def recordings(request, sitting_pk: int):
    """R21 and R7: the sitting's recordings (by audience, with their keep-until dates) and its proctors."""
    sitting = exam_selectors.sitting_get_for_watcher(user=request.user, pk=sitting_pk)
    show_times_of(sitting.commission.institution)
    can_add = proctoring_permissions.can_add_recordings(request.user, sitting)
    form = RecordingForm(
        request.POST or None,
        request.FILES or None,
        initial={"keep_until": services.recording_keep_until_default(sitting=sitting)},
    )
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid() and run_service(
            request,
            lambda: services.recording_add(sitting=sitting, actor=request.user, **form.cleaned_data),
            _("The recording is added."),
        ):
            return redirect("proctoring:recordings", sitting_pk=sitting.pk)
    can_assign = proctoring_permissions.can_assign_proctors(request.user, sitting)
    return render(
        request,
        "proctoring/recordings.html",
        {
            "sitting": sitting,
            "recordings": selectors.recordings_for_user(user=request.user, sitting=sitting),
            "form": form,
            "can_run": can_add,
            "can_assign": can_assign,
            "proctor_form": ProctorForm(sitting=sitting) if can_assign else None,
            "proctors": selectors.proctors_for_sitting(sitting=sitting),
        },
    )


@login_required
def recording_file(request, pk: int):
    recording = selectors.recording_get_for_user(user=request.user, pk=pk)
    return protected_file_response(recording.file, f"recording-{recording.sitting_id}-{recording.pk}.{recording.file_kind}")


def _assigning_sitting(request, sitting_pk: int):
    sitting = exam_selectors.sitting_get_for_watcher(user=request.user, pk=sitting_pk)
    if not proctoring_permissions.can_assign_proctors(request.user, sitting):
        raise PermissionDenied
    return sitting


@login_required
@require_POST
def proctor_assign(request, sitting_pk: int):
    sitting = _assigning_sitting(request, sitting_pk)
    form = ProctorForm(request.POST, sitting=sitting)
    if form.is_valid():
        run_service(
            request,
            lambda: services.proctor_assign(
                sitting=sitting, user=form.cleaned_data["username"], slot=form.cleaned_data["slot"], actor=request.user
            ),
            _("The proctor is assigned."),
        )
    else:
        _form_errors(request, form)
    return redirect("proctoring:recordings", sitting_pk=sitting.pk)


@login_required
@require_POST
def proctor_remove(request, pk: int):
    assignment = get_object_or_404(ProctorAssignment.objects.select_related("sitting"), pk=pk)
    sitting = _assigning_sitting(request, assignment.sitting_id)
    run_service(
        request, lambda: services.proctor_remove(assignment=assignment, actor=request.user), _("The proctor is removed.")
    )
    return redirect("proctoring:recordings", sitting_pk=sitting.pk)


@login_required
def act_detail(request, pk: int):
    """The act with its PDF and, after it, the other time the student is given (R23)."""
    act = selectors.act_get_for_user(user=request.user, pk=pk)
    sitting = act.slot.sitting
    zone = show_times_of(sitting.commission.institution)
    can_offer = proctoring_permissions.can_offer_new_slot(request.user, sitting) and act.new_slot_id is None
    sittings = services.later_sittings(act=act) if can_offer else None
    form = OfferSlotForm(request.POST or None, sittings=sittings) if can_offer else None
    if request.method == "POST":
        if not proctoring_permissions.can_offer_new_slot(request.user, sitting):
            raise PermissionDenied
        if form is None:
            messages.error(request, _("This act already gave the student another slot."))
        elif form.is_valid():
            run_service(
                request,
                lambda: services.failure_act_offer_slot(
                    act=act, sitting=form.cleaned_data["sitting"], starts_at=form.starts_at(zone), actor=request.user
                ),
                _("The student has another slot and is notified."),
            )
        else:
            _form_errors(request, form)
        return redirect("proctoring:act", pk=act.pk)
    return render(
        request,
        "proctoring/act_detail.html",
        {
            "act": act,
            "slot": act.slot,
            "form": form,
            "can_offer": can_offer,
            "no_later_sitting": can_offer and not sittings.exists(),
        },
    )


@login_required
@require_POST
def member_identify(request, sitting_pk: int, membership_pk: int):
    sitting = exam_selectors.sitting_get_for_watcher(user=request.user, pk=sitting_pk)
    if not permissions.can_identify_members(request.user, sitting):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, commission=sitting.commission
    )
    run_service(request, lambda: services.member_identify(sitting=sitting, membership=membership, actor=request.user))
    return redirect("exams:console", pk=sitting.pk)
