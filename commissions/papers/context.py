"""What each document shows, gathered in a fixed number of queries; the templates only lay it out."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pyhanko.pdf_utils.reader import PdfFileReader

from attestation.core.collation import name_order, student_name_fields
from attestation.core.site import portal_base_url
from attestation.documents.language import document_language
from attestation.documents.qr import qr_data_uri
from attestation.grading.scale import Scale
from commissions.grading.selectors import commission_people, voting_members
from commissions.models import (
    Attendance,
    Commission,
    DissentingOpinion,
    MemberGrade,
    Membership,
    Result,
    Sitting,
    Slot,
)
from commissions.papers.honours import Honours, honours_for

PDF_LANGUAGES = ("kk", "ru", "en")


def slot_language(slot: Slot) -> str:
    """The programme's language of instruction for the student's group: Kazakh, Russian or English."""
    language = slot.student.group.study_language
    return language if language in PDF_LANGUAGES else "ru"


def sitting_language(sitting: Sitting) -> str:
    """The language most of the sitting's students study in (ties: Kazakh first, then Russian)."""
    languages = [slot_language(s) for s in sitting.slots.select_related("student__group")]
    return max(PDF_LANGUAGES, key=lambda code: (languages.count(code), -PDF_LANGUAGES.index(code)))


def commission_language(commission: Commission) -> str:
    """The language most of the commission's students study in, for its report (ties as for a sitting)."""
    languages = [
        language if language in PDF_LANGUAGES else "ru"
        for language in Slot.objects.filter(sitting__commission=commission).values_list(
            "student__group__study_language", flat=True
        )
    ]
    if not languages:
        return "kk"
    return max(PDF_LANGUAGES, key=lambda code: (languages.count(code), -PDF_LANGUAGES.index(code)))


def verify_url(paper_id) -> str:
    return portal_base_url() + reverse("commissions:verify_paper", args=[paper_id])


def _people(commission_id: int, language: str | None = None) -> dict:
    memberships = commission_people(commission_id=commission_id, language=language)
    return {
        "chair": next((m for m in memberships if m.role == Membership.Role.CHAIR), None),
        "members": [m for m in memberships if m.role == Membership.Role.MEMBER],
        "secretary": next((m for m in memberships if m.role == Membership.Role.SECRETARY), None),
        "memberships": memberships,
    }


def _presence(sitting: Sitting) -> dict[int, bool]:
    """Each recorded member's presence at the sitting, by membership id (empty: attendance was not recorded)."""
    return dict(Attendance.objects.filter(sitting=sitting).values_list("membership_id", "present"))


def _attendance(present: dict[int, bool], memberships: list[Membership]) -> dict:
    """Who was present and absent at the sitting; `attendance_recorded` False says the protocol cannot tell."""
    return {
        "attendance_recorded": bool(present),
        "present": [m for m in memberships if present.get(m.pk)],
        "absent": [m for m in memberships if present and not present.get(m.pk)],
    }


def _pdf_pages(field_file) -> int | None:
    """The page count of a stored PDF, or None when it cannot be read."""
    try:
        with field_file.open("rb") as handle:
            return int(PdfFileReader(handle, strict=False).root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - a damaged or missing file is reported as "not known", never a failed protocol
        return None


def _thesis_materials(thesis) -> list[tuple[str, str]]:
    """The documents before the commission at a defense (REFERENCE.md): thesis, reviews, plagiarism check. `thesis`
    comes from `_theses(..., materials=True)`, which reads its versions, reviews, checks and certificate."""
    if thesis is None:
        return [(_("Thesis"), _("no thesis is recorded in the portal"))]
    missing = _("not in the portal")
    version = next(iter(thesis.pdf_versions_newest_first), None)
    pages = _pdf_pages(version.file) if version else None
    lines = [
        (
            _("Thesis"),
            missing
            if version is None
            else _("electronic version (PDF), %(pages)s")
            % {"pages": _("%(n)s pages") % {"n": pages} if pages else _("number of pages not known")},
        )
    ]
    reviews = {r.kind: r for r in thesis.reviews.all()}
    supervisor, external = reviews.get("supervisor"), reviews.get("external")
    lines.append((_("Supervisor's review"), supervisor.get_conclusion_display() if supervisor else missing))
    lines.append(
        (
            _("External review"),
            _("%(conclusion)s, grade %(letter)s")
            % {"conclusion": external.get_conclusion_display(), "letter": external.letter}
            if external
            else missing,
        )
    )
    check = next(iter(thesis.checks_newest_first), None)
    lines.append(
        (
            _("Plagiarism check"),
            missing
            if check is None
            else _("%(system)s, %(date)s: originality %(originality)s%%, similarity %(similarity)s%%, %(outcome)s")
            % {
                "system": check.system_name,
                "date": check.checked_on.strftime("%d.%m.%Y"),
                "originality": number_format(check.originality_percent, 2),
                "similarity": number_format(check.similarity_percent, 2),
                "outcome": _("passed") if check.passed else _("not passed"),
            },
        )
    )
    has_certificate = hasattr(thesis, "plagiarism_certificate")
    lines.append(
        (
            _("Supervisor's certificate of the plagiarism check"),
            pgettext("certificate", "submitted") if has_certificate else missing,
        )
    )
    return lines


def _exam_materials(attempt, exam_settings) -> list[tuple[str, str]]:
    """At an exam: the ticket drawn and the answer sheets uploaded. `attempt` comes from `_attempts`."""
    if attempt is None:
        return [(_("Examination ticket"), _("no attempt is recorded in the portal"))]
    if attempt.kind == "testing":  # R26: a computer-based test has no ticket or sheets; its score is the material
        return _test_materials(attempt, exam_settings)
    if attempt.kind == "creative":  # the work the student presented (000 §13, §36; 001)
        return [(_("Creative work"), attempt.report_video_url or _("no link submitted"))]
    draw, sheets = getattr(attempt, "draw", None), attempt.answer_sheet_count
    return [
        (_("Examination ticket"), _("No. %(n)s") % {"n": draw.ticket.number} if draw else _("not drawn")),
        (_("Answer sheets"), str(sheets) if sheets else _("none uploaded")),
    ]


def _test_materials(attempt, exam_settings) -> list[tuple[str, str]]:
    score = getattr(attempt, "test_score", None)
    if score is None:
        return [(_("Result of the computer-based test"), _("not recorded"))]
    return [
        (
            _("Result of the computer-based test"),
            _("%(correct)s of %(questions)s correct answers (%(percent)s%%)")
            % {"correct": score.correct, "questions": score.questions, "percent": score.percent},
        ),
        (_("Recorded"), score.get_source_display()),
        *_test_modules(exam_settings),
    ]


def _test_modules(exam_settings) -> list[tuple[str, str]]:
    """001: a college's complex testing names the disciplines and modules it covered."""
    if exam_settings is None or not exam_settings.modules:
        return []
    return [(_("Disciplines and professional modules of the test"), "; ".join(exam_settings.modules))]


def _opinions(slots, subject: str | None = None) -> list[DissentingOpinion]:
    opinions = DissentingOpinion.objects.filter(slot__in=slots).select_related("membership__user", "slot__student")
    if subject:
        opinions = opinions.filter(subject=subject)
    return list(opinions.order_by("slot__starts_at", "created_at", "pk"))


def _honours(sitting: Sitting, pairs) -> dict[int, Honours]:
    """Honours verdicts by student id, for final attestation only (an intermediate exam awards no diploma). The
    transcript is read on the grade scale in force on the sitting's day, not on a scale adopted later."""
    commission = sitting.commission
    if commission.kind != Commission.Kind.FINAL:
        return {}
    scale = Scale.for_institution(commission.institution_id, on=sitting.date)
    return honours_for(commission=commission, rows=list(pairs), scale=scale)


def _attempts(slot_ids: list[int]) -> dict[int, Any] | None:
    """The exam attempts of these slots by slot id, with the draw, the test score and the number of answer sheets;
    None when the exams app is not installed (the protocol then lists no exam materials)."""
    try:
        model = apps.get_model("exams", "Attempt")
    except LookupError:
        return None
    attempts = (
        model.objects.filter(slot_id__in=slot_ids)
        .select_related("draw__ticket", "test_score")
        .annotate(answer_sheet_count=Count("answer_sheets"))
    )
    return {attempt.slot_id: attempt for attempt in attempts}


def _grouped(rows, key: Callable[[Any], int]) -> dict[int, list]:
    """The rows in lists by `key`, each list in the rows' order."""
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _questions(attempts: dict[int, Any]) -> dict[int, list]:
    """The questions the members asked, by slot id, in the order they were recorded."""
    if not attempts:
        return {}
    slot_of = {attempt.pk: slot_id for slot_id, attempt in attempts.items()}
    asked = apps.get_model("exams", "QuestionAsked").objects.filter(attempt_id__in=slot_of)
    return _grouped(asked.select_related("member").order_by("pk"), lambda question: slot_of[question.attempt_id])


def _ticket_items(attempts: dict[int, Any]) -> dict[int, list]:
    """The questions of each drawn ticket, by ticket id, in the ticket's order (their disciplines read with them)."""
    tickets = {a.draw.ticket_id for a in attempts.values() if getattr(a, "draw", None) is not None}
    if not tickets:
        return {}
    items = apps.get_model("exams", "TicketQuestion").objects.filter(ticket_id__in=tickets)
    return _grouped(items.select_related("question__discipline").order_by("position"), lambda item: item.ticket_id)


def _theses(student_ids: list[int], *, materials: bool) -> dict[int, Any]:
    """The students' theses (topic, supervisor, reviewer) by student id, if the admission app has them; with
    `materials`, also what `_thesis_materials` reads: the PDF versions, the reviews, the checks, the certificate."""
    try:
        model = apps.get_model("admission", "Thesis")
    except LookupError:
        return {}
    theses = model.objects.select_related("supervisor", "reviewer").filter(student_id__in=student_ids)
    if materials:
        versions = apps.get_model("admission", "ThesisVersion").objects.filter(kind="pdf").order_by("-number")
        checks = apps.get_model("admission", "PlagiarismCheck").objects.order_by("-attempt_number")
        theses = theses.select_related("plagiarism_certificate").prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="pdf_versions_newest_first"),
            "reviews",
            Prefetch("plagiarism_checks", queryset=checks, to_attr="checks_newest_first"),
        )
    return {thesis.student_id: thesis for thesis in theses}


def _exam_settings(commission_id: int):
    """The commission's exam settings (format, testing modules), or None."""
    try:
        model = apps.get_model("exams", "ExamSettings")
    except LookupError:
        return None
    return model.objects.filter(commission_id=commission_id).first()


def form_label(commission: Commission, programmes, exam_settings) -> str:
    """The attestation form as the document names it: a master's defense is of a master's dissertation (project),
    not of a diploma work (GLOSSARY.md). `exam_settings`: the commission's, from `_exam_settings`."""
    levels = {p.level for p in programmes}
    if commission.form == Commission.Form.DEFENSE and levels == {"master"}:
        return _("defense of the master's dissertation (project)")
    exam_format = exam_format_label(exam_settings)
    return f"{commission.get_form_display()} ({exam_format})" if exam_format else str(commission.get_form_display())


# The exam formats the documents name beside the form; oral and written are the exam's usual way (000 §36, 001).
NAMED_FORMATS = ("testing", "take_home", "creative")


def exam_format_label(exam_settings) -> str:
    """The way the exam was held when it is not the usual oral or written one (R26), as the exam app stores it."""
    if exam_settings is None or exam_settings.exam_format not in NAMED_FORMATS:
        return ""
    return str(exam_settings.get_exam_format_display())


def thesis_label(programme) -> str:
    return _("Master's dissertation (project) topic") if programme.level == "master" else _("Thesis topic")


def _heading(commission, paper_id, people: dict, present: dict[int, bool] | None) -> dict:
    """What every document of the commission starts and ends with: the commission, its people (and who was present,
    for a sitting's document), the paper's verification link and QR code."""
    url = verify_url(paper_id) if paper_id else ""
    return {
        "commission": commission,
        "institution": commission.institution,
        "paper_id": paper_id,
        "verify_url": url,
        "qr": qr_data_uri(url) if url else "",
        **people,
        **(_attendance(present, people["memberships"]) if present is not None else {}),
    }


def _base(commission, paper_id, sitting: Sitting | None = None, language: str | None = None) -> dict:
    present = _presence(sitting) if sitting is not None else None
    return _heading(commission, paper_id, _people(commission.pk, language), present)


@dataclass
class ProtocolRows:
    """What the protocols of one sitting's students show, read in a fixed number of queries however many students:
    the sitting's documents job reads them once for all its protocols, a single protocol for its one slot."""

    slots: dict[int, Slot]
    exam_settings: Any
    people: dict[str, dict]  # by document language
    present: dict[int, bool]
    grades: dict[int, list[MemberGrade]]
    theses: dict[int, Any]  # by student id
    attempts: dict[int, Any] | None  # by slot id; None without the exams app
    questions: dict[int, list]
    ticket_items: dict[int, list]  # by ticket id
    opinions: dict[int, list[DissentingOpinion]]
    honours: dict[int, Honours]  # by student id, worded in each student's document language


def _slot_language(slot: Slot) -> str:
    return document_language(slot.student.group.study_language)


def _honours_in_languages(sitting: Sitting, slots: list[Slot]) -> dict[int, Honours]:
    """The honours verdicts of these students, each worded in the student's document language."""
    verdicts: dict[int, Honours] = {}
    for language in sorted({_slot_language(s) for s in slots}):
        with translation.override(language):
            pairs = [(s.student_id, getattr(s, "result", None)) for s in slots if _slot_language(s) == language]
            verdicts.update(_honours(sitting, pairs))
    return verdicts


def protocol_rows(*, slot_ids: list[int]) -> ProtocolRows:
    """Reads, for the protocols of these slots of one sitting, everything `protocol_context` shows."""
    slots = {
        s.pk: s
        for s in Slot.objects.select_related(
            "student__group__programme", "sitting__commission__institution", "result", "vote_round"
        ).filter(pk__in=slot_ids)
    }
    sitting = next(iter(slots.values())).sitting
    commission = sitting.commission
    grades = MemberGrade.objects.filter(slot_id__in=slots).select_related("membership__user")
    attempts = _attempts(list(slots))
    defense = commission.form == Commission.Form.DEFENSE
    return ProtocolRows(
        slots=slots,
        exam_settings=_exam_settings(commission.pk),
        people={language: _people(commission.pk, language) for language in {_slot_language(s) for s in slots.values()}},
        present=_presence(sitting),
        grades=_grouped(grades.order_by("membership__role", "pk"), lambda grade: grade.slot_id),
        theses=_theses([s.student_id for s in slots.values()], materials=defense),
        attempts=attempts,
        questions=_questions(attempts or {}),
        ticket_items={} if defense else _ticket_items(attempts or {}),
        opinions=_grouped(_opinions(list(slots)), lambda opinion: opinion.slot_id),
        honours=_honours_in_languages(sitting, list(slots.values())),
    )


def _materials(slot: Slot, rows: ProtocolRows) -> list[tuple[str, str]]:
    if slot.sitting.commission.form == Commission.Form.DEFENSE:
        return _thesis_materials(rows.theses.get(slot.student_id))
    if rows.attempts is None:
        return []
    return _exam_materials(rows.attempts.get(slot.pk), rows.exam_settings)


def _ticket_questions(slot: Slot, rows: ProtocolRows, language: str) -> list[tuple[str, str]]:
    """At an exam: the drawn ticket's questions, each with its discipline as a ticket in `language` names it."""
    draw = getattr((rows.attempts or {}).get(slot.pk), "draw", None)
    items = rows.ticket_items.get(draw.ticket_id, []) if draw is not None else []
    return [(item.question.text, item.question.section_in(language)) for item in items]


def protocol_context(*, slot: Slot, paper_id, rows: ProtocolRows | None = None) -> dict:
    """The protocol of one student's exam or defense (R36). `rows`: read by `protocol_rows` for this slot among
    others of its sitting (the documents job); without them, read for this slot alone."""
    rows = rows or protocol_rows(slot_ids=[slot.pk])
    slot = rows.slots[slot.pk]
    commission, programme, language = slot.sitting.commission, slot.student.group.programme, _slot_language(slot)
    return {
        **_heading(commission, paper_id, rows.people[language], rows.present),
        "slot": slot,
        "sitting": slot.sitting,
        "student": slot.student,
        "programme": programme,
        "form_label": form_label(commission, [programme], rows.exam_settings),
        "thesis_label": thesis_label(programme),
        "result": getattr(slot, "result", None),
        "vote_round": getattr(slot, "vote_round", None),
        "grades": rows.grades.get(slot.pk, []),
        "questions": rows.questions.get(slot.pk, []),
        "thesis": rows.theses.get(slot.student_id),
        "materials": _materials(slot, rows),
        "ticket_questions": _ticket_questions(slot, rows, language),
        "opinions": rows.opinions.get(slot.pk, []),
        "honours": rows.honours.get(slot.student_id),
    }


def _no_grade_marks(sitting: Sitting, slots: list[Slot], results: dict) -> dict[int, str]:
    """Why a student on the sheet has no grade: a technical failure (with its act's time), absent, stopped,
    postponed — or simply not graded yet."""
    ungraded = [s for s in slots if s.pk not in results]
    if not ungraded:
        return {}
    zone = ZoneInfo(sitting.commission.institution.time_zone)
    acts: dict[int, dt.datetime] = {}
    stopped: set[int] = set()
    if apps.is_installed("proctoring"):
        acts = dict(
            apps.get_model("proctoring", "TechnicalFailureAct")
            .objects.filter(slot__in=ungraded)
            .order_by("drawn_at")
            .values_list("slot_id", "occurred_at")
        )
    if apps.is_installed("exams"):
        stopped = set(
            apps.get_model("exams", "Attempt")
            .objects.filter(slot__in=ungraded, state="stopped")
            .values_list("slot_id", flat=True)
        )
    marks = {}
    for slot in ungraded:
        if slot.pk in acts:
            when = acts[slot.pk].astimezone(zone).strftime("%d.%m.%Y %H:%M")
            marks[slot.pk] = pgettext("vedomost", "technical failure (act of %(when)s)") % {"when": when}
        elif slot.status == Slot.Status.ABSENT:
            marks[slot.pk] = pgettext("vedomost", "absent")
        elif slot.pk in stopped:
            marks[slot.pk] = pgettext("vedomost", "attestation stopped")
        elif slot.status == Slot.Status.POSTPONED:
            marks[slot.pk] = pgettext("vedomost", "postponed")
        else:
            marks[slot.pk] = pgettext("vedomost", "not graded")
    return marks


def vedomost_context(*, sitting: Sitting, paper_id) -> dict:
    """The sitting's grade sheet (R37): every student with points, letter, GPA and traditional mark."""
    sitting = Sitting.objects.select_related("commission__institution").get(pk=sitting.pk)
    results = {r.slot_id: r for r in Result.objects.filter(slot__sitting=sitting)}
    # Grade sheets list students alphabetically in the document's language (Kazakh or Russian alphabet).
    language = sitting_language(sitting)
    slots = list(
        sitting.slots.select_related("student__group__programme").order_by(
            *name_order(*(f"student__{f}" for f in student_name_fields(language)), language=language)
        )
    )
    marks = _no_grade_marks(sitting, slots, results)
    rows = [{"slot": s, "student": s.student, "result": results.get(s.pk), "mark": marks.get(s.pk)} for s in slots]
    programmes = sorted({s.student.group.programme for s in slots}, key=lambda p: p.code)
    groups = sorted({s.student.group.name for s in slots})
    return {
        **_base(sitting.commission, paper_id, sitting, language),
        "sitting": sitting,
        "rows": rows,
        "programmes": programmes,
        "form_label": form_label(sitting.commission, programmes, _exam_settings(sitting.commission_id)),
        "groups": groups,
        "voters": voting_members(commission_id=sitting.commission_id),
    }


def degree_protocol_context(*, sitting: Sitting, paper_id) -> dict:
    """The sitting's protocol on awarding the degree or qualification: each student's grade and vote."""
    context = vedomost_context(sitting=sitting, paper_id=paper_id)
    rounds = {s.pk: getattr(s, "vote_round", None) for s in sitting.slots.select_related("vote_round")}
    honours = _honours(sitting, [(row["student"].pk, row["result"]) for row in context["rows"]])
    for row in context["rows"]:
        row["vote_round"] = rounds.get(row["slot"].pk)
        row["honours"] = honours.get(row["student"].pk)
    context["opinions"] = _opinions([row["slot"] for row in context["rows"]])
    return context
