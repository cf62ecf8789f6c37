"""What each document shows, gathered in a fixed number of queries; the templates only lay it out."""

import base64
import datetime as dt
import io
from zoneinfo import ZoneInfo

import qrcode
from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pyhanko.pdf_utils.reader import PdfFileReader

from attestation.core.collation import name_order, student_name_fields
from attestation.core.site import portal_base_url
from attestation.documents.language import document_language
from attestation.grading.scale import Scale
from commissions.grading.selectors import commission_people, voting_members
from commissions.models import Attendance, Commission, DissentingOpinion, Membership, Result, Sitting, Slot
from commissions.papers.honours import honours_for

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


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=4, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _people(commission_id: int, language: str | None = None) -> dict:
    memberships = commission_people(commission_id=commission_id, language=language)
    return {
        "chair": next((m for m in memberships if m.role == Membership.Role.CHAIR), None),
        "members": [m for m in memberships if m.role == Membership.Role.MEMBER],
        "secretary": next((m for m in memberships if m.role == Membership.Role.SECRETARY), None),
        "memberships": memberships,
    }


def _attendance(sitting: Sitting, memberships: list[Membership]) -> dict:
    """Who was present and absent at the sitting; `attendance_recorded` False says the protocol cannot tell."""
    present = dict(Attendance.objects.filter(sitting=sitting).values_list("membership_id", "present"))
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
    """The documents before the commission at a defense (REFERENCE.md): thesis, reviews, plagiarism check."""
    if thesis is None:
        return [(_("Thesis"), _("no thesis is recorded in the portal"))]
    missing = _("not in the portal")
    version = thesis.versions.filter(kind="pdf").order_by("-number").first()
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
    check = thesis.plagiarism_checks.order_by("-attempt_number").first()
    lines.append(
        (
            _("Plagiarism check"),
            missing
            if check is None
            else _("%(system)s, %(date)s: originality %(originality)s%%, similarity %(similarity)s%%, %(outcome)s")
            % {
                "system": check.system_name,
                "date": check.checked_on.strftime("%d.%m.%Y"),
                "originality": check.originality_percent,
                "similarity": check.similarity_percent,
                "outcome": _("passed") if check.passed else _("not passed"),
            },
        )
    )
    has_certificate = apps.get_model("admission", "PlagiarismCertificate").objects.filter(thesis=thesis).exists()
    lines.append((_("Supervisor's certificate of the plagiarism check"), _("submitted") if has_certificate else missing))
    return lines


def _exam_materials(slot: Slot) -> list[tuple[str, str]]:
    """At an exam: the ticket drawn and the answer sheets uploaded."""
    try:
        attempt = apps.get_model("exams", "Attempt").objects.filter(slot=slot).first()
    except LookupError:
        return []
    if attempt is None:
        return [(_("Examination ticket"), _("no attempt is recorded in the portal"))]
    if attempt.kind == "testing":  # R26: a computer-based test has no ticket or sheets; its score is the material
        return _test_materials(attempt)
    if attempt.kind == "creative":  # the work the student presented (000 §13, §36; 001)
        return [(_("Creative work"), attempt.report_video_url or _("no link submitted"))]
    draw = apps.get_model("exams", "Draw").objects.select_related("ticket").filter(attempt=attempt).first()
    sheets = attempt.answer_sheets.count()
    return [
        (_("Examination ticket"), _("No. %(n)s") % {"n": draw.ticket.number} if draw else _("not drawn")),
        (_("Answer sheets"), str(sheets) if sheets else _("none uploaded")),
    ]


def _test_materials(attempt) -> list[tuple[str, str]]:
    score = apps.get_model("exams", "TestScore").objects.filter(attempt=attempt).first()
    if score is None:
        return [(_("Result of the computer-based test"), _("not recorded"))]
    return [
        (
            _("Result of the computer-based test"),
            _("%(correct)s of %(questions)s correct answers (%(percent)s%%)")
            % {"correct": score.correct, "questions": score.questions, "percent": score.percent},
        ),
        (_("Recorded"), score.get_source_display()),
        *_test_modules(attempt),
    ]


def _test_modules(attempt) -> list[tuple[str, str]]:
    """001: a college's complex testing names the disciplines and modules it covered."""
    found = apps.get_model("exams", "ExamSettings").objects.filter(commission_id=attempt.slot.sitting.commission_id).first()
    if found is None or not found.modules:
        return []
    return [(_("Disciplines and professional modules of the test"), "; ".join(found.modules))]


def _materials(slot: Slot, thesis) -> list[tuple[str, str]]:
    if slot.sitting.commission.form == Commission.Form.DEFENSE:
        return _thesis_materials(thesis)
    return _exam_materials(slot)


def _opinions(slots, subject: str | None = None) -> list[DissentingOpinion]:
    opinions = DissentingOpinion.objects.filter(slot__in=slots).select_related("membership__user", "slot__student")
    if subject:
        opinions = opinions.filter(subject=subject)
    return list(opinions.order_by("slot__starts_at", "created_at", "pk"))


def _honours(sitting: Sitting, pairs) -> dict:
    """Honours verdicts by student id, for final attestation only (an intermediate exam awards no diploma). The
    transcript is read on the grade scale in force on the sitting's day, not on a scale adopted later."""
    commission = sitting.commission
    if commission.kind != Commission.Kind.FINAL:
        return {}
    scale = Scale.for_institution(commission.institution_id, on=sitting.date)
    return honours_for(commission=commission, rows=list(pairs), scale=scale)


def _questions(slot: Slot) -> list:
    try:
        model = apps.get_model("exams", "QuestionAsked")
    except LookupError:
        return []
    return list(model.objects.filter(attempt__slot=slot).select_related("member").order_by("pk"))


def _ticket_questions(slot: Slot, language: str) -> list[tuple[str, str]]:
    """At an exam: the drawn ticket's questions, each with its discipline as a ticket in `language` names it."""
    try:
        model = apps.get_model("exams", "TicketQuestion")
    except LookupError:
        return []
    items = model.objects.filter(ticket__draws__attempt__slot=slot).select_related("question__discipline")
    return [(item.question.text, item.question.section_in(language)) for item in items.order_by("position")]


def _thesis(slot: Slot):
    """The student's thesis (topic, supervisor, reviewer) for defense protocols, if the admission app has one."""
    try:
        model = apps.get_model("admission", "Thesis")
    except LookupError:
        return None
    return model.objects.select_related("supervisor", "reviewer").filter(student_id=slot.student_id).first()


def form_label(commission: Commission, programmes) -> str:
    """The attestation form as the document names it: a master's defense is of a master's dissertation (project),
    not of a diploma work (GLOSSARY.md)."""
    levels = {p.level for p in programmes}
    if commission.form == Commission.Form.DEFENSE and levels == {"master"}:
        return _("defense of the master's dissertation (project)")
    exam_format = exam_format_label(commission)
    return f"{commission.get_form_display()} ({exam_format})" if exam_format else str(commission.get_form_display())


# The exam formats the documents name beside the form; oral and written are the exam's usual way (000 §36, 001).
NAMED_FORMATS = ("testing", "take_home", "creative")


def exam_format_label(commission: Commission) -> str:
    """The way the exam was held when it is not the usual oral or written one (R26), as the exam app stores it."""
    try:
        model = apps.get_model("exams", "ExamSettings")
    except LookupError:
        return ""
    found = model.objects.filter(commission=commission, exam_format__in=NAMED_FORMATS).first()
    return str(found.get_exam_format_display()) if found else ""


def thesis_label(programme) -> str:
    return _("Master's dissertation (project) topic") if programme.level == "master" else _("Thesis topic")


def _base(commission, paper_id, sitting: Sitting | None = None, language: str | None = None) -> dict:
    url = verify_url(paper_id) if paper_id else ""
    people = _people(commission.pk, language)
    attendance = _attendance(sitting, people["memberships"]) if sitting is not None else {}
    return {
        "commission": commission,
        "institution": commission.institution,
        "paper_id": paper_id,
        "verify_url": url,
        "qr": qr_data_uri(url) if url else "",
        **people,
        **attendance,
    }


def protocol_context(*, slot: Slot, paper_id) -> dict:
    """The protocol of one student's exam or defense (R36)."""
    slot = Slot.objects.select_related(
        "student__group__programme", "sitting__commission__institution", "result", "vote_round"
    ).get(pk=slot.pk)
    commission = slot.sitting.commission
    grades = list(slot.member_grades.select_related("membership__user").order_by("membership__role"))
    result, thesis = getattr(slot, "result", None), _thesis(slot)
    honours = _honours(slot.sitting, [(slot.student_id, result)]).get(slot.student_id)
    language = document_language(slot.student.group.study_language)
    return {
        **_base(commission, paper_id, slot.sitting, language),
        "slot": slot,
        "sitting": slot.sitting,
        "student": slot.student,
        "programme": slot.student.group.programme,
        "form_label": form_label(commission, [slot.student.group.programme]),
        "thesis_label": thesis_label(slot.student.group.programme),
        "result": result,
        "vote_round": getattr(slot, "vote_round", None),
        "grades": grades,
        "questions": _questions(slot),
        "thesis": thesis,
        "materials": _materials(slot, thesis),
        "ticket_questions": [] if commission.form == Commission.Form.DEFENSE else _ticket_questions(slot, language),
        "opinions": _opinions([slot]),
        "honours": honours,
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
        "form_label": form_label(sitting.commission, programmes),
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
