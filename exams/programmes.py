"""Writes on exam programmes, question lists and tickets (R4, R14, R28): drafts the head approves, frozen after."""

import datetime as dt
import secrets
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.institutions.models import Discipline
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import months_before
from commissions.models import Commission
from exams.models import ExamProgramme, Question, Ticket, TicketQuestion, TicketSet
from exams.ticket_import import ImportRow, resolve


@transaction.atomic
def programme_create(
    *,
    commission: Commission,
    title: str,
    actor,
    review_lectures_on: dt.date | None = None,
    file=None,
    question_list_file=None,
) -> ExamProgramme:
    """A new draft programme (the next version for the commission)."""
    last = commission.exam_programmes.aggregate(v=Max("version"))["v"] or 0
    programme = ExamProgramme(
        commission=commission, version=last + 1, title=title, created_by=actor, review_lectures_on=review_lectures_on
    )
    if file:
        programme.file = file
    if question_list_file:
        programme.question_list_file = question_list_file
    programme.full_clean(exclude=["created_by"])
    programme.save()
    audit_record(actor=actor, verb="exam_programme.create", obj=programme, after={"version": programme.version})
    return programme


def _draft(programme: ExamProgramme) -> ExamProgramme:
    programme = ExamProgramme.objects.select_for_update().get(pk=programme.pk)
    if programme.is_frozen:
        raise ValidationError(_("The programme is approved and frozen; make a new version to change it."), code="frozen")
    return programme


def discipline_named(institution_id: int, section: str) -> Discipline | None:
    """The institution's discipline a section names: by its code or its Kazakh, Russian or English name, or a
    section written "Kazakh name / Russian name" (letter case and spaces aside)."""
    wanted = {" ".join(part.split()).casefold() for part in [section, *section.split("/")] if part.strip()}
    for discipline in Discipline.objects.filter(institution_id=institution_id).order_by("pk"):
        names = (discipline.code, discipline.name_kk, discipline.name_ru, discipline.name_en)
        if wanted & {" ".join(name.split()).casefold() for name in names if name}:
            return discipline
    return None


def ticket_language(study_language: str) -> str:
    """The language a ticket is read in: Kazakh for a Kazakh-taught student or on a Kazakh page, else the student's."""
    page = (translation.get_language() or "kk")[:2]
    return "kk" if "kk" in (study_language, page) else (study_language or page)


@transaction.atomic
def question_add(*, programme: ExamProgramme, section: str, text: str, actor) -> Question:
    """Adds a question to a draft programme's list; numbers follow on."""
    programme = _draft(programme)
    number = (programme.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    question = Question(
        programme=programme,
        section=section.strip(),
        discipline=discipline_named(programme.commission.institution_id, section),
        number=number,
        text=text.strip(),
    )
    question.full_clean()
    question.save()
    audit_record(actor=actor, verb="question.add", obj=programme, after={"number": number})
    return question


@transaction.atomic
def questions_import(*, programme: ExamProgramme, rows: list[tuple[str, str]], actor) -> int:
    """Adds (section, text) rows from an XLSX file to a draft programme; all or nothing."""
    for section, text in rows:
        question_add(programme=programme, section=section, text=text, actor=actor)
    return len(rows)


def r14_warnings(programme: ExamProgramme, when: dt.date) -> list[dict]:
    """Which R14 dates an approval on `when` misses (approval before review lectures; handover before exam), kept
    as facts — the kind, the date missed and the policy's months — so each reader sees them in their own language
    (`warning_text`)."""
    policy = policy_for(programme.commission)
    warnings = []
    if programme.review_lectures_on:
        latest = months_before(programme.review_lectures_on, policy.programme_approval_months)
        if when > latest:
            warnings.append({"kind": "approval", "date": latest.isoformat(), "months": policy.programme_approval_months})
    handover = months_before(programme.commission.period_start, policy.programme_handover_months)
    if when > handover:
        warnings.append({"kind": "handover", "date": handover.isoformat(), "months": policy.programme_handover_months})
    return warnings


def warning_text(warning: dict | str) -> str:
    """One kept R14 warning in the page's language (a text kept before warnings were facts is shown as it was)."""
    if isinstance(warning, str):
        return warning
    values = {"date": dt.date.fromisoformat(warning["date"]).strftime("%d.%m.%Y"), "months": warning["months"]}
    if warning["kind"] == "approval":
        return _("Approved after %(date)s: the rules ask for %(months)s month(s) before the review lectures.") % values
    handed = _("Handed to the secretary after %(date)s: the rules ask for %(months)s month(s) before the attestation.")
    return handed % values


@transaction.atomic
def programme_approve(*, programme: ExamProgramme, actor) -> ExamProgramme:
    """The department head approves: who and when are recorded, and the R14 dates missed are kept as warnings."""
    programme = _draft(programme)
    if not programme.questions.exists():
        raise ValidationError(_("The question list is empty."), code="no_questions")
    now = timezone.now()
    programme.state = ExamProgramme.State.APPROVED
    programme.approved_by, programme.approved_at = actor, now
    programme.warnings = r14_warnings(programme, timezone.localdate(now))
    programme.save()
    audit_record(
        actor=actor,
        verb="exam_programme.approve",
        obj=programme,
        before={"state": "draft"},
        after={"state": "approved", "warnings": programme.warnings},
    )
    return programme


def _pick(questions: list[Question], usage: Counter, k: int) -> list[Question]:
    chosen: list[Question] = []
    for _i in range(k):
        sections = Counter(q.section for q in chosen)
        pool = [q for q in questions if q not in chosen]
        # Fewest of this section on the ticket first (cover the sections), then the least used (balance).
        best = min((sections[q.section], usage[q.pk]) for q in pool)
        ties = [q for q in pool if (sections[q.section], usage[q.pk]) == best]
        chosen.append(secrets.choice(ties))
        usage[chosen[-1].pk] += 1
    return chosen


@transaction.atomic
def tickets_generate(*, programme: ExamProgramme, count: int, per_ticket: int, actor) -> TicketSet:
    """N tickets × k questions from an approved programme: no question twice on a ticket, sections covered in turn,
    every question used as evenly as the numbers allow. Makes a new draft version of the tickets."""
    programme = ExamProgramme.objects.select_related("commission").get(pk=programme.pk)
    if programme.state != ExamProgramme.State.APPROVED:
        raise ValidationError(_("Tickets are made from an approved programme."), code="not_approved")
    questions = list(programme.questions.order_by("number"))
    if count < 1 or per_ticket < 1:
        raise ValidationError(_("Give at least one ticket and one question per ticket."), code="bad_numbers")
    if per_ticket > len(questions):
        raise ValidationError(
            _("A ticket of %(k)s questions needs at least %(k)s questions in the list.") % {"k": per_ticket}, code="too_few"
        )
    ticket_set = _new_set(programme, actor)
    usage: Counter = Counter()
    for number in range(1, count + 1):
        ticket = Ticket.objects.create(ticket_set=ticket_set, number=number)
        TicketQuestion.objects.bulk_create(
            TicketQuestion(ticket=ticket, question=q, position=i)
            for i, q in enumerate(_pick(questions, usage, per_ticket), start=1)
        )
    audit_record(actor=actor, verb="tickets.generate", obj=ticket_set, after={"count": count, "k": per_ticket})
    return ticket_set


@transaction.atomic
def tickets_import(*, programme: ExamProgramme, rows: list[ImportRow], actor, source: str = "") -> TicketSet:
    """Ready-made tickets from a department's file, matched to the approved question list row by row: all or
    nothing, the bad rows named. Makes a new draft version of the tickets, approved and frozen like generated ones."""
    programme = ExamProgramme.objects.select_related("commission").get(pk=programme.pk)
    if programme.state != ExamProgramme.State.APPROVED:
        raise ValidationError(_("Tickets are made from an approved programme."), code="not_approved")
    tickets = resolve(rows, list(programme.questions.order_by("number")))
    ticket_set = _new_set(programme, actor)
    for imported in tickets:
        ticket = Ticket.objects.create(ticket_set=ticket_set, number=imported.number)
        TicketQuestion.objects.bulk_create(
            TicketQuestion(ticket=ticket, question=q, position=i) for i, q in enumerate(imported.questions, start=1)
        )
    audit_record(
        actor=actor,
        verb="tickets.import",
        obj=ticket_set,
        after={"count": len(tickets), "k": len(tickets[0].questions), "file": source[:255]},
    )
    return ticket_set


def _new_set(programme: ExamProgramme, actor) -> TicketSet:
    ExamProgramme.objects.select_for_update().filter(pk=programme.pk).first()
    last = programme.ticket_sets.aggregate(v=Max("version"))["v"] or 0
    return TicketSet.objects.create(programme=programme, version=last + 1, created_by=actor)


@transaction.atomic
def ticket_set_approve(*, ticket_set: TicketSet, actor) -> TicketSet:
    """Freezes a ticket set; from then on the draw uses it and a change is a new version."""
    ticket_set = TicketSet.objects.select_for_update().get(pk=ticket_set.pk)
    if ticket_set.state == TicketSet.State.APPROVED:
        raise ValidationError(_("These tickets are already approved."), code="frozen")
    if not ticket_set.tickets.exists():
        raise ValidationError(_("The set has no tickets."), code="empty")
    ticket_set.state = TicketSet.State.APPROVED
    ticket_set.approved_by, ticket_set.approved_at = actor, timezone.now()
    ticket_set.save()
    audit_record(actor=actor, verb="tickets.approve", obj=ticket_set, after={"version": ticket_set.version})
    return ticket_set


@transaction.atomic
def ticket_set_revise(*, ticket_set: TicketSet, actor) -> TicketSet:
    """A change to frozen tickets: a new draft version with the same tickets, to edit and approve again."""
    new = _new_set(ticket_set.programme, actor)
    for ticket in ticket_set.tickets.prefetch_related("items"):
        copy = Ticket.objects.create(ticket_set=new, number=ticket.number)
        TicketQuestion.objects.bulk_create(
            TicketQuestion(ticket=copy, question_id=i.question_id, position=i.position) for i in ticket.items.all()
        )
    audit_record(actor=actor, verb="tickets.revise", obj=new, after={"from_version": ticket_set.version})
    return new


@transaction.atomic
def ticket_question_replace(*, ticket: Ticket, position: int, question: Question, actor) -> TicketQuestion:
    """Edits a draft ticket; approved tickets are frozen."""
    ticket = Ticket.objects.select_related("ticket_set").get(pk=ticket.pk)
    if ticket.ticket_set.state == TicketSet.State.APPROVED:
        raise ValidationError(_("Approved tickets are frozen; make a new version to change them."), code="frozen")
    if ticket.items.filter(question=question).exclude(position=position).exists():
        raise ValidationError(_("This question is already on the ticket."), code="duplicate")
    item = ticket.items.get(position=position)
    before = item.question_id
    item.question = question
    item.save()
    audit_record(actor=actor, verb="ticket.edit", obj=ticket, before={"question": before}, after={"question": question.pk})
    return item
