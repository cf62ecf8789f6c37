"""What each document shows, gathered in a fixed number of queries; the templates only lay it out."""

import base64
import io

from django.apps import apps
from django.conf import settings
from django.urls import reverse

from attestation.core.collation import name_order, student_name_fields
from commissions.grading.selectors import voting_members
from commissions.models import Membership, Result, Sitting, Slot

PDF_LANGUAGES = ("kk", "ru")


def slot_language(slot: Slot) -> str:
    """The programme's language of study for the student's group: Kazakh or Russian."""
    language = slot.student.group.study_language
    return language if language in PDF_LANGUAGES else "ru"


def sitting_language(sitting: Sitting) -> str:
    """The language most of the sitting's students study in (ties: Kazakh)."""
    languages = [slot_language(s) for s in sitting.slots.select_related("student__group")]
    return "ru" if languages.count("ru") > languages.count("kk") else "kk"


def verify_url(paper_id) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", "") or f"https://{settings.ALLOWED_HOSTS[0]}"
    return base.rstrip("/") + reverse("commissions:verify_paper", args=[paper_id])


def qr_data_uri(text: str) -> str:
    import qrcode

    image = qrcode.make(text, box_size=4, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _people(commission_id: int) -> dict:
    memberships = list(Membership.objects.filter(commission_id=commission_id).select_related("user")
                       .order_by("role", "user__last_name"))
    return {
        "chair": next((m for m in memberships if m.role == Membership.Role.CHAIR), None),
        "members": [m for m in memberships if m.role == Membership.Role.MEMBER],
        "secretary": next((m for m in memberships if m.role == Membership.Role.SECRETARY), None),
        "memberships": memberships,
    }


def _questions(slot: Slot) -> list:
    try:
        model = apps.get_model("exams", "QuestionAsked")
    except LookupError:
        return []
    return list(model.objects.filter(attempt__slot=slot).select_related("member").order_by("pk"))


def _thesis(slot: Slot):
    """The student's thesis (topic, supervisor, reviewer) for defense protocols, if the admission app has one."""
    try:
        model = apps.get_model("admission", "Thesis")
    except LookupError:
        return None
    return model.objects.select_related("supervisor", "reviewer").filter(student_id=slot.student_id).first()


def _base(commission, paper_id) -> dict:
    url = verify_url(paper_id) if paper_id else ""
    return {"commission": commission, "institution": commission.institution, "paper_id": paper_id,
            "verify_url": url, "qr": qr_data_uri(url) if url else "", **_people(commission.pk)}


def protocol_context(*, slot: Slot, paper_id) -> dict:
    """The protocol of one student's exam or defense (R36)."""
    slot = Slot.objects.select_related("student__group__programme", "sitting__commission__institution",
                                       "result", "vote_round").get(pk=slot.pk)
    commission = slot.sitting.commission
    grades = list(slot.member_grades.select_related("membership__user").order_by("membership__role"))
    return {**_base(commission, paper_id), "slot": slot, "sitting": slot.sitting, "student": slot.student,
            "programme": slot.student.group.programme, "result": getattr(slot, "result", None),
            "vote_round": getattr(slot, "vote_round", None), "grades": grades, "questions": _questions(slot),
            "thesis": _thesis(slot)}


def vedomost_context(*, sitting: Sitting, paper_id) -> dict:
    """The sitting's grade sheet (R37): every student with points, letter, GPA and traditional mark."""
    sitting = Sitting.objects.select_related("commission__institution").get(pk=sitting.pk)
    results = {r.slot_id: r for r in Result.objects.filter(slot__sitting=sitting)}
    # Grade sheets list students alphabetically in the document's language (Kazakh or Russian alphabet).
    language = sitting_language(sitting)
    slots = list(sitting.slots.select_related("student__group__programme")
                 .order_by(*name_order(*(f"student__{f}" for f in student_name_fields(language)), language=language)))
    rows = [{"slot": s, "student": s.student, "result": results.get(s.pk)} for s in slots]
    programmes = sorted({s.student.group.programme for s in slots}, key=lambda p: p.code)
    groups = sorted({s.student.group.name for s in slots})
    return {**_base(sitting.commission, paper_id), "sitting": sitting, "rows": rows, "programmes": programmes,
            "groups": groups, "voters": voting_members(commission_id=sitting.commission_id)}


def degree_protocol_context(*, sitting: Sitting, paper_id) -> dict:
    """The sitting's protocol on awarding the degree or qualification: each student's grade and vote."""
    context = vedomost_context(sitting=sitting, paper_id=paper_id)
    rounds = {s.pk: getattr(s, "vote_round", None) for s in
              sitting.slots.select_related("vote_round")}
    for row in context["rows"]:
        row["vote_round"] = rounds.get(row["slot"].pk)
    return context
