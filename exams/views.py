"""The student's exam page, the secretary's console, and the department head's programmes and tickets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_service
from attestation.core.confirm import ask_first
from attestation.core.downloads import SAFE_TYPES, protected_file_response
from attestation.core.student_pages import PAGE_SECONDS, cache_for, student_page
from attestation.institutions.middleware import show_times_of
from attestation.institutions.policies import policy_for
from commissions import connection_checks
from commissions.case_file import reads_case_file
from commissions.models import Membership
from commissions.permissions import can_check_connection
from exams import clocks, extensions, permissions, programmes, selectors, services, states, testing, ticket_import
from exams.exam_settings import DRAW_FIELDS, exam_settings_update, tests_started
from exams.forms import (
    ExamSettingsForm,
    ProgrammeForm,
    QuestionForm,
    QuestionImportForm,
    TestScoreForm,
    TestScoreImportForm,
    TicketGenerateForm,
    TicketImportForm,
)
from exams.models import AnswerSheet, Attempt, Draw, ExamProgramme, ExamSettings, QuestionAsked, TicketSet
from exams.xlsx import read_questions

# --- the student ---------------------------------------------------------------------------------------------------


def _student_context(slot):
    attempt = selectors.attempt_with_draw(slot=slot)
    now = timezone.now()
    policy = SimpleLazyObject(lambda: policy_for(slot.sitting.commission))  # read only by a running clock
    closes = services.upload_closes_at(attempt) if attempt else None
    return {
        "slot": slot,
        "attempt": attempt,
        "state": attempt.state if attempt else Attempt.State.SCHEDULED,
        "draw": getattr(attempt, "draw", None) if attempt else None,
        "written_clock": clocks.written_clock(attempt, now) if attempt else None,
        "preparation_clock": clocks.preparation_clock(attempt, policy, now) if attempt else None,
        "defense_clocks": clocks.defense_clocks(attempt, policy, now) if attempt else [],
        "uploads_open": bool(closes and now <= closes and attempt.state in (Attempt.State.WRITING,)),
        "live": bool(attempt and attempt.state in states.LIVE),
        "terminal": bool(attempt and not states.TRANSITIONS[attempt.state]),
        "cards": range(1, 13),
        "policy": policy,
        "test": _test_info(slot) if attempt and attempt.kind == Attempt.Kind.TESTING else None,
    }


def _test_info(slot) -> dict:
    """What a student sitting a computer-based test sees: its size, time and link (read only for a test)."""
    questions, minutes = testing.test_numbers(slot.sitting.commission)
    url = ExamSettings.objects.filter(commission_id=slot.sitting.commission_id).values_list("test_url", flat=True).first()
    return {"questions": questions, "minutes": minutes, "url": url or ""}


@login_required
def student_exam(request, slot_pk: int):
    slot = selectors.slot_get_own(user=request.user, pk=slot_pk)
    return render(request, "exams/student_exam.html", _student_context(slot))


@login_required
@student_page
def student_exam_status(request, slot_pk: int):
    slot = selectors.slot_get_own(user=request.user, pk=slot_pk)
    context = _student_context(slot)
    response = render(request, "exams/_student_status.html", context)
    if context["state"] in states.WAITING:  # what the waiting student sees has no clock: served again until admitted
        cache_for(response, PAGE_SECONDS)
    return response


@login_required
@require_POST
def student_draw(request, slot_pk: int):
    slot = selectors.slot_get_own(user=request.user, pk=slot_pk)
    attempt = services.attempt_for_slot(slot=slot)
    card = int(request.POST.get("card") or 0) if (request.POST.get("card") or "0").isdigit() else 0
    run_service(request, lambda: services.ticket_draw(attempt=attempt, actor=request.user, card=card))
    return redirect("exams:student_exam", slot_pk=slot.pk)


@login_required
@require_POST
def student_upload(request, slot_pk: int):
    slot = selectors.slot_get_own(user=request.user, pk=slot_pk)
    attempt = services.attempt_for_slot(slot=slot)
    files = request.FILES.getlist("sheets")
    if not files:
        messages.error(request, ValidationError(_no_file()).messages[0])
    for upload in files:
        run_service(request, lambda u=upload: services.answer_sheet_upload(attempt=attempt, upload=u, actor=request.user))
    return redirect("exams:student_exam", slot_pk=slot.pk)


def _no_file() -> str:
    return _("Choose the photos of your answer sheets.")


@login_required
@require_POST
def student_answer(request, slot_pk: int, question_pk: int):
    slot = selectors.slot_get_own(user=request.user, pk=slot_pk)
    question = get_object_or_404(QuestionAsked, pk=question_pk, attempt__slot=slot)
    run_service(
        request,
        lambda: services.written_answer_submit(
            question=question,
            text=request.POST.get("answer", ""),
            upload=request.FILES.get("answer_file"),
            actor=request.user,
        ),
    )
    return redirect("exams:student_exam", slot_pk=slot.pk)


@login_required
def written_answer_file(request, pk: int):
    """A written answer's file, as a download that never renders: the student's own, or for those watching."""
    question = get_object_or_404(
        QuestionAsked.objects.select_related("attempt__slot__student", "attempt__slot__sitting__commission"),
        pk=pk,
        in_writing=True,
    )
    slot = question.attempt.slot
    if not question.answer_file or not (
        permissions.is_own_slot(request.user, slot) or permissions.can_watch_slot(request.user, slot)
    ):
        raise Http404
    return protected_file_response(
        question.answer_file, f"answer-{question.attempt_id}-{question.pk}.{question.answer_file_kind}"
    )


@login_required
@require_POST
def student_report_video(request, slot_pk: int):
    slot = selectors.slot_get_own(user=request.user, pk=slot_pk)
    attempt = services.attempt_for_slot(slot=slot)
    run_service(
        request, lambda: services.report_video_submit(attempt=attempt, url=request.POST.get("url", ""), actor=request.user)
    )
    return redirect("exams:student_exam", slot_pk=slot.pk)


@login_required
def answer_sheet_file(request, pk: int):
    """The sheet as a download with its stored type: the student's own, for the commission watching, or for the appeal
    commission reading the case file."""
    sheet = get_object_or_404(AnswerSheet.objects.select_related("attempt__slot__student", "attempt__slot__sitting"), pk=pk)
    slot = sheet.attempt.slot
    if not (
        permissions.is_own_slot(request.user, slot)
        or permissions.can_watch_slot(request.user, slot)
        or reads_case_file(request.user, slot)  # the appeal commission reading the case file (R48)
    ):
        raise Http404
    return protected_file_response(sheet.file, f"sheet-{sheet.attempt_id}-{sheet.number:02d}.{sheet.kind}")


# --- the secretary's console ---------------------------------------------------------------------------------------


def _accommodation(slot):
    """The student's accommodation as the selector joined it (None for most students): no query of its own."""
    return getattr(slot.student, "accommodation", None)


def _console_rows(sitting, policy):
    rows, now = [], timezone.now()
    for slot in selectors.console_slots(sitting=sitting):
        attempt = getattr(slot, "attempt", None)
        state = attempt.state if attempt else Attempt.State.SCHEDULED
        kind = attempt.kind if attempt else None
        draw = getattr(attempt, "draw", None) if attempt else None
        accommodation = _accommodation(slot)
        rows.append(
            {
                "slot": slot,
                "attempt": attempt,
                "state": state,
                "state_label": Attempt.State(state).label,
                "draw": draw,
                "moves": states.labelled_moves(state, kind),
                "accommodation": accommodation,
                "preparation_clock": clocks.preparation_clock(attempt, policy, now, accommodation) if attempt else None,
            }
        )
    return rows


def _console_context(request, sitting):
    policy = SimpleLazyObject(lambda: policy_for(sitting.commission))  # one read, only when something needs it
    return {
        "sitting": sitting,
        "rows": _console_rows(sitting, policy),
        "can_run": permissions.can_run_sitting(request.user, sitting),
        "irreversible": states.IRREVERSIBLE,
        "questioning_at": selectors.questioning_starts_at(sitting=sitting, policy=policy),
        **extensions.extra_context("console", sitting=sitting),
    }


@login_required
def console(request, pk: int):
    sitting = selectors.sitting_get_for_watcher(user=request.user, pk=pk)
    show_times_of(sitting.commission.institution)
    return render(
        request,
        "exams/console.html",
        {
            **_console_context(request, sitting),
            **extensions.extra_context("console_page", sitting=sitting),
            "can_identify_members": permissions.can_identify_members(request.user, sitting),
            "testing": services.exam_format_of(sitting.commission) == ExamSettings.Format.TESTING,
            # R12: who the day-before call did not reach (or who was not called), for the secretary and the chair
            "not_reached": (
                connection_checks.not_reached(sitting=sitting) if can_check_connection(request.user, sitting) else None
            ),
        },
    )


@login_required
def console_queue(request, pk: int):
    sitting = selectors.sitting_get_for_watcher(user=request.user, pk=pk)
    show_times_of(sitting.commission.institution)
    return render(request, "exams/_console_queue.html", _console_context(request, sitting))


@login_required
@require_POST
def console_move(request, slot_pk: int):
    slot = selectors.slot_get_for_watcher(user=request.user, pk=slot_pk)
    if not permissions.can_run_sitting(request.user, slot.sitting):
        raise PermissionDenied
    to_state = request.POST.get("to", "")
    back = (
        reverse("exams:desk", kwargs={"slot_pk": slot.pk})
        if request.POST.get("next") == "desk"
        else reverse("exams:console", kwargs={"pk": slot.sitting_id})
    )
    if to_state in states.IRREVERSIBLE:  # absent, stop, finish…: asked first, also without JavaScript
        label = states.MOVE_LABELS[Attempt.State(to_state)]
        question = _("%(label)s: %(name)s? This cannot be undone.") % {"label": label, "name": slot.student.full_name}
        asking = ask_first(request, question=question, back=back, yes=str(label))
        if asking is not None:
            return asking
    attempt = services.attempt_for_slot(slot=slot)
    run_service(request, lambda: services.console_transition(attempt=attempt, to_state=to_state, actor=request.user))
    return redirect(back)


@login_required
def desk(request, slot_pk: int):
    """One student's desk: identification beside the ID copy, room check, questions, clocks, incidents, acts."""
    slot = selectors.slot_get_for_watcher(user=request.user, pk=slot_pk)
    show_times_of(slot.sitting.commission.institution)
    attempt = selectors.attempt_with_draw(slot=slot)
    policy = policy_for(slot.sitting.commission)
    now = timezone.now()
    state = attempt.state if attempt else Attempt.State.SCHEDULED
    accommodation = _accommodation(slot)
    return render(
        request,
        "exams/desk.html",
        {
            "slot": slot,
            "attempt": attempt,
            "state": state,
            "state_label": Attempt.State(state).label,
            "draw": getattr(attempt, "draw", None) if attempt else None,
            "moves": states.labelled_moves(state, attempt.kind if attempt else None),
            "irreversible": states.IRREVERSIBLE,
            "can_run": permissions.can_run_sitting(request.user, slot.sitting),
            "can_decide": permissions.can_decide(request.user, slot.sitting),
            "accommodation": accommodation,
            "written_clock": clocks.written_clock(attempt, now) if attempt else None,
            "preparation_clock": clocks.preparation_clock(attempt, policy, now, accommodation) if attempt else None,
            "defense_clocks": clocks.defense_clocks(attempt, policy, now, accommodation) if attempt else [],
            "speech_too_short": clocks.speech_too_short(attempt, policy) if attempt else False,
            "members": slot.sitting.commission.memberships.exclude(role=Membership.Role.SECRETARY).select_related("user"),
            **extensions.extra_context("desk", slot=slot, now=now),
        },
    )


def _desk_action(request, slot_pk: int, action, success: str = ""):
    slot = selectors.slot_get_for_watcher(user=request.user, pk=slot_pk)
    if not permissions.can_run_sitting(request.user, slot.sitting):
        raise PermissionDenied
    attempt = services.attempt_for_slot(slot=slot)
    run_service(request, lambda: action(slot, attempt), success)
    return redirect("exams:desk", slot_pk=slot.pk)


@login_required
@require_POST
def desk_question(request, slot_pk: int):
    def action(slot, attempt):
        membership = get_object_or_404(Membership, pk=request.POST.get("member") or 0, commission=slot.sitting.commission)
        services.question_record(
            attempt=attempt, member=membership.user, text=request.POST.get("text", ""), actor=request.user
        )

    return _desk_action(request, slot_pk, action)


@login_required
@require_POST
def desk_written_mode(request, slot_pk: int):
    return _desk_action(request, slot_pk, lambda slot, a: services.written_mode_switch(attempt=a, actor=request.user))


@login_required
@require_POST
def desk_speech_end(request, slot_pk: int):
    return _desk_action(request, slot_pk, lambda slot, a: services.speech_end(attempt=a, actor=request.user))


@login_required
@require_POST
def desk_screenshot(request, slot_pk: int):
    """The secretary keeps a screenshot of the answer sheet the student shows on camera (colleges, 001)."""

    def action(slot, attempt):
        upload = request.FILES.get("screenshot")
        if upload is None:
            raise ValidationError(_("Choose the screenshot of the answer sheet."))
        services.answer_sheet_screenshot(attempt=attempt, upload=upload, actor=request.user)

    return _desk_action(request, slot_pk, action, _("The screenshot is kept with the attempt."))


# --- computer-based testing: scores and the same-day announcement (R30) --------------------------------------------


@login_required
def testing_results(request, pk: int):
    """The sitting's test scores: the secretary types them or imports the testing system's file; everyone who may
    watch the sitting sees them and when the testing day ends (the results are announced by then)."""
    sitting = selectors.sitting_get_for_watcher(user=request.user, pk=pk)
    can_run = permissions.can_run_sitting(request.user, sitting)
    import_form = TestScoreImportForm(request.POST or None, request.FILES or None) if "import" in request.POST else None
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if import_form is not None:
            _import_scores(request, sitting, import_form)
        else:
            _enter_score(request, sitting)
        return redirect("exams:testing", pk=sitting.pk)
    questions, minutes = testing.test_numbers(sitting.commission)
    return render(
        request,
        "exams/testing_results.html",
        {
            "sitting": sitting,
            "slots": testing.testing_slots(sitting),
            "questions": questions,
            "minutes": minutes,
            "ends_at": testing.testing_day_ends(sitting),
            "modules": services.exam_settings_for(sitting.commission).modules,
            "can_run": can_run,
            "import_form": TestScoreImportForm(),
            "is_chair": sitting.commission.memberships.filter(user=request.user, role=Membership.Role.CHAIR).exists(),
        },
    )


def _enter_score(request, sitting) -> None:
    slot = get_object_or_404(testing.testing_slots(sitting), pk=request.POST.get("slot") or 0)
    form = TestScoreForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return
    run_service(
        request,
        lambda: testing.test_score_record(attempt=slot.attempt, correct=form.cleaned_data["correct"], actor=request.user),
        _("The score of %(student)s is recorded.") % {"student": slot.student},
    )


def _import_scores(request, sitting, form) -> None:
    if not form.is_valid():
        for message in form.errors.get("file", []):
            messages.error(request, message)
        return
    try:
        report = testing.test_scores_import(
            sitting=sitting, upload=form.cleaned_data["file"], kind=form.kind, actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return
    messages.success(request, _("Scores recorded from the file: %(n)s.") % {"n": report.recorded})
    for message in report.errors:
        messages.warning(request, message)


# --- the department head: programmes, question lists, tickets -------------------------------------------------------


@login_required
def programme_list(request, pk: int):
    commission = selectors.commission_get_for_programmes(user=request.user, pk=pk)
    can_manage = permissions.can_manage_programmes(request.user, commission)
    form = ProgrammeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid() and run_service(
            request, lambda: programmes.programme_create(commission=commission, actor=request.user, **form.cleaned_data)
        ):
            return redirect("exams:programmes", pk=commission.pk)
    return render(
        request,
        "exams/programme_list.html",
        {
            "commission": commission,
            "programmes": selectors.programmes_of(commission=commission),
            "form": form,
            "can_manage": can_manage,
            "settings": services.exam_settings_for(commission),
        },
    )


def _programme(request, pk: int, manage: bool = False) -> ExamProgramme:
    programme = get_object_or_404(ExamProgramme.objects.select_related("commission", "approved_by"), pk=pk)
    selectors.commission_get_for_programmes(user=request.user, pk=programme.commission_id, manage=manage)
    return programme


@login_required
def programme_detail(request, pk: int):
    programme = _programme(request, pk)
    commission = programme.commission
    return render(
        request,
        "exams/programme_detail.html",
        {
            "programme": programme,
            "commission": commission,
            "questions": programme.questions.select_related("discipline").order_by("number"),
            "ticket_sets": [
                (ts, selectors.ticket_set_tickets(ticket_set=ts))
                for ts in programme.ticket_sets.select_related("approved_by").order_by("-version")
            ],
            "can_manage": permissions.can_manage_programmes(request.user, commission),
            "question_form": QuestionForm(),
            "import_form": QuestionImportForm(),
            "ticket_import_form": TicketImportForm(),
            "generate_form": TicketGenerateForm(
                initial={"per_ticket": services.exam_settings_for(commission).questions_per_ticket, "count": 25}
            ),
        },
    )


@login_required
def programme_file(request, pk: int, which: str):
    programme = _programme(request, pk)
    field = {"programme": programme.file, "questions": programme.question_list_file}.get(which)
    if not field:
        raise Http404
    return protected_file_response(field, field.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def programme_action(request, pk: int, action: str):
    programme = _programme(request, pk, manage=True)
    user = request.user
    if action == "approve":
        run_service(request, lambda: programmes.programme_approve(programme=programme, actor=user))
    elif action == "question":
        form = QuestionForm(request.POST)
        if form.is_valid():
            run_service(request, lambda: programmes.question_add(programme=programme, actor=user, **form.cleaned_data))
    elif action == "import":
        form = QuestionImportForm(request.POST, request.FILES)
        if form.is_valid():
            run_service(
                request,
                lambda: programmes.questions_import(
                    programme=programme, rows=read_questions(form.cleaned_data["file"]), actor=user
                ),
            )
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
    elif action == "import_tickets":
        _import_tickets(request, programme)
    elif action == "generate":
        form = TicketGenerateForm(request.POST)
        if form.is_valid():
            run_service(request, lambda: programmes.tickets_generate(programme=programme, actor=user, **form.cleaned_data))
    else:
        raise Http404
    return redirect("exams:programme", pk=programme.pk)


def _import_tickets(request, programme: ExamProgramme) -> None:
    form = TicketImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return
    upload = form.cleaned_data["file"]
    run_service(
        request,
        lambda: programmes.tickets_import(
            programme=programme,
            rows=ticket_import.read_tickets(upload, form.kind),
            actor=request.user,
            source=upload.name or "",
        ),
        _tickets_imported(),
    )


def _tickets_imported() -> str:
    return _("The tickets are imported as a new draft version: check them and approve.")


@login_required
def ticket_import_sample(request, pk: int, fmt: str):
    """A sample tickets file made from the programme's own question list, to fill in and import."""
    programme = _programme(request, pk, manage=True)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    rows = ticket_import.sample_rows(
        list(programme.questions.order_by("number")), services.exam_settings_for(programme.commission).questions_per_ticket
    )
    data = ticket_import.sample_xlsx(rows) if fmt == "xlsx" else ticket_import.sample_csv(rows)
    content_type = SAFE_TYPES["xlsx"] if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="tickets-sample-{programme.pk}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def ticket_set_action(request, pk: int, action: str):
    ticket_set = get_object_or_404(TicketSet.objects.select_related("programme"), pk=pk)
    selectors.commission_get_for_programmes(user=request.user, pk=ticket_set.programme.commission_id, manage=True)
    if action == "approve":
        run_service(request, lambda: programmes.ticket_set_approve(ticket_set=ticket_set, actor=request.user))
    elif action == "revise":
        run_service(request, lambda: programmes.ticket_set_revise(ticket_set=ticket_set, actor=request.user))
    else:
        raise Http404
    return redirect("exams:programme", pk=ticket_set.programme_id)


# --- the commission's exam settings ---------------------------------------------------------------------------------


@login_required
def exam_settings_edit(request, pk: int):
    commission = selectors.commission_get_for_exam_settings(user=request.user, pk=pk)
    current = services.exam_settings_for(commission)
    drawn = Draw.objects.filter(sitting__commission=commission).exists()
    locked = DRAW_FIELDS if drawn else ("exam_format",) if tests_started(commission) else ()
    policy = policy_for(commission)
    form = ExamSettingsForm(request.POST or None, instance=current, policy=policy, locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            exam_settings_update(commission=commission, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _saved())
            return redirect("exams:exam_settings", pk=commission.pk)
    return render(
        request,
        "exams/exam_settings.html",
        {
            "commission": commission,
            "form": form,
            "policy": policy,
            "drawn": drawn,
        },
        status=400 if form.errors else 200,
    )


def _saved() -> str:
    return _("The exam settings are saved.")
