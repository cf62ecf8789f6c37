"""The secretary's desk for today: every sitting of the day and the current one in detail, read through the apps' own
selectors (the exam's queue, proctoring's pending decisions and acts, the results, the papers and their signatures).
It shows several apps at once, so it lives in the portal (docs/architecture.md); it writes nothing — each next step
links to the page that already does it."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from attestation.core.permissions import permitted_or_404
from commissions.grading.selectors import result_letters
from commissions.models import DocumentJob, Membership, Paper, Sitting, Slot
from commissions.papers.selectors import latest_papers, signature_states
from exams import permissions as exam_permissions
from exams import selectors as exam_selectors
from exams.models import Attempt
from proctoring import selectors as proctoring_selectors

S = Attempt.State

# Where the student is, as the desk says it: the attempt's state, with the room check, the draw and the result.
STAGES = {
    "expected": gettext_lazy("expected"),
    "identified": gettext_lazy("identified"),
    "room_checked": gettext_lazy("room checked"),
    "admitted": gettext_lazy("admitted"),
    "drawing": gettext_lazy("admitted, drawing a ticket"),
    "ticket_drawn": gettext_lazy("ticket drawn"),
    "preparing": gettext_lazy("preparing"),
    "writing": gettext_lazy("writing"),
    "answering": gettext_lazy("answering"),
    "interrupted": gettext_lazy("connection dropped"),
    "finished": gettext_lazy("finished, awaiting the grade"),
    "graded": gettext_lazy("graded"),
    "absent": gettext_lazy("absent"),
    "technical_failure": gettext_lazy("technical failure"),
    "postponed": gettext_lazy("postponed"),
    "stopped": gettext_lazy("stopped"),
}

# What the screen reader hears when a student reaches the stage (nothing for "expected": that is where all begin).
STAGE_NEWS = {
    "identified": gettext_lazy("%(name)s is identified"),
    "room_checked": gettext_lazy("%(name)s passed the room check"),
    "admitted": gettext_lazy("%(name)s is admitted"),
    "drawing": gettext_lazy("%(name)s is admitted"),
    "ticket_drawn": gettext_lazy("%(name)s drew ticket No. %(number)s"),
    "preparing": gettext_lazy("%(name)s is preparing"),
    "writing": gettext_lazy("%(name)s is writing"),
    "answering": gettext_lazy("%(name)s is answering"),
    "interrupted": gettext_lazy("The connection of %(name)s dropped"),
    "finished": gettext_lazy("%(name)s has finished"),
    "graded": gettext_lazy("%(name)s is graded"),
    "absent": gettext_lazy("%(name)s is absent"),
    "technical_failure": gettext_lazy("Technical failure: %(name)s"),
    "postponed": gettext_lazy("%(name)s is postponed"),
    "stopped": gettext_lazy("The attestation of %(name)s is stopped"),
}

ATTENDANCE = {
    "expected": gettext_lazy("expected"),
    "present": gettext_lazy("present"),
    "absent": gettext_lazy("absent"),
    "technical_failure": gettext_lazy("technical failure"),
    "postponed": gettext_lazy("postponed"),
}

# Who the secretary attends to first: the student in front of the commission, then the one being let in, then the
# next in the queue; those preparing or writing on their own come last.
_IN_FRONT = (S.ANSWERING, S.INTERRUPTED, S.IDENTIFIED, S.ADMITTED, S.TICKET_DRAWN)
_ON_THEIR_OWN = (S.PREPARING, S.WRITING)
_OVER = (S.FINISHED, S.ABSENT, S.TECHNICAL_FAILURE, S.POSTPONED, S.STOPPED)


@dataclass
class Row:
    slot: Slot
    state: str
    stage: str
    ticket_number: int | None
    grade: str | None

    @property
    def stage_label(self) -> str:
        return str(STAGES[self.stage])

    @property
    def attendance(self) -> str:
        if self.state == S.SCHEDULED:
            return "expected"
        if self.state in (S.ABSENT, S.TECHNICAL_FAILURE, S.POSTPONED):
            return self.state
        return "present"

    @property
    def attendance_label(self) -> str:
        return str(ATTENDANCE[self.attendance])


@dataclass
class NextAction:
    text: str
    url: str = ""
    button: str = ""


@dataclass
class Fact:
    """Something the desk shows that a screen reader hears once, when it first appears (static/js/today.js)."""

    key: str
    text: str


@dataclass
class Desk:
    sitting: Sitting
    rows: list[Row]
    current: Row | None
    pending: dict
    acts: list
    papers: list[Paper]
    job: DocumentJob | None
    questioning_at: dt.datetime | None
    next_action: NextAction
    facts: list[Fact] = field(default_factory=list)


# --- the day's sittings ---------------------------------------------------------------------------------------------

_RUNS = (Membership.Role.SECRETARY, Membership.Role.CHAIR)


def local_today(sitting: Sitting, now: dt.datetime) -> dt.date:
    return timezone.localtime(now, ZoneInfo(sitting.commission.institution.time_zone)).date()


def sittings_today(*, user, now: dt.datetime | None = None) -> list[Sitting]:
    """The sittings the user runs (secretary) or chairs today, "today" in each institution's own time zone, with how
    many of their students are through: one query."""
    now = now or timezone.now()
    utc_today = now.astimezone(dt.UTC).date()
    done = Q(slots__attempt__state__in=_OVER)
    candidates = (
        Sitting.objects.filter(
            commission__memberships__user=user,
            commission__memberships__role__in=_RUNS,
            date__range=(utc_today - dt.timedelta(days=1), utc_today + dt.timedelta(days=1)),
        )
        .select_related("commission__institution")
        .annotate(students=Count("slots", distinct=True), through=Count("slots", filter=done, distinct=True))
        .order_by("date", "starts_at", "pk")
    )
    return [s for s in candidates if s.date == local_today(s, now)]


def current_sitting(sittings: list[Sitting], now: dt.datetime | None = None) -> Sitting | None:
    """The first of the day's sittings that has not ended yet, else the day's last one."""
    now = now or timezone.now()
    for sitting in sittings:
        if sitting.bounds(sitting.commission.institution.time_zone)[1] > now:
            return sitting
    return sittings[-1] if sittings else None


def sitting_for_desk(*, user, pk: int) -> Sitting:
    """The sitting, for its secretary and its chair; 404 for everyone else."""
    return permitted_or_404(
        user, Sitting.objects.select_related("commission__institution"), exam_permissions.can_follow_day, pk=pk
    )


# --- one sitting in detail ------------------------------------------------------------------------------------------


def _stage(slot: Slot, state: str, kind: str | None, room_checked: set[int], graded: bool) -> str:
    if state == S.IDENTIFIED and slot.pk in room_checked:
        return "room_checked"
    if state == S.ADMITTED and kind != Attempt.Kind.DEFENSE:
        return "drawing"
    if state == S.FINISHED and graded:
        return "graded"
    if state == S.SCHEDULED:
        return "expected"
    return state


def queue_rows(*, sitting: Sitting) -> list[Row]:
    """Every student of the sitting with their stage, ticket number (once drawn) and grade: a fixed number of queries
    whatever the number of students (the console's own queue, one read of the room checks, one of the results)."""
    room_checked = proctoring_selectors.room_checked_slots(sitting=sitting)
    grades = result_letters(sitting=sitting)
    rows = []
    for slot in exam_selectors.console_slots(sitting=sitting):
        attempt = getattr(slot, "attempt", None)
        state = attempt.state if attempt else S.SCHEDULED
        draw = getattr(attempt, "draw", None) if attempt else None
        stage = _stage(slot, state, attempt.kind if attempt else None, room_checked, slot.pk in grades)
        rows.append(Row(slot, state, stage, draw.ticket.number if draw else None, grades.get(slot.pk)))
    return rows


def current_row(rows: list[Row]) -> Row | None:
    """The student the secretary attends to now (see _IN_FRONT)."""
    for states in (_IN_FRONT, (S.SCHEDULED,), _ON_THEIR_OWN):
        for state in states:
            for row in rows:
                if row.state == state:
                    return row
    return None


def _desk_url(row: Row, anchor: str = "") -> str:
    return reverse("exams:desk", args=[row.slot.pk]) + anchor


def _student_step(row: Row, questioning_at: dt.datetime | None) -> NextAction | None:
    """What the secretary does next for the student in front of the commission, on the student's desk."""
    name = row.slot.student.full_name
    open_desk = _("Open the student's desk")
    steps = {
        "expected": (_("Identify %(name)s: the checklist beside the ID copy."), "#identification"),
        "identified": (_("Check the room of %(name)s."), ""),
        "room_checked": (_("Admit %(name)s."), ""),
        "admitted": (_("%(name)s is admitted: start the defense when the student is ready."), ""),
        "drawing": (_("%(name)s is drawing a ticket."), ""),
        "ticket_drawn": (_("%(name)s has a ticket: start the preparation."), ""),
        "writing": (_("%(name)s is writing: finish when the answers are in."), ""),
        "answering": (_("%(name)s is answering: finish when the commission has heard the answer."), ""),
        "interrupted": (_("The connection of %(name)s dropped: wait for the request to continue."), ""),
    }
    if row.stage == "preparing":
        if questioning_at is None:
            return NextAction(_("%(name)s is preparing.") % {"name": name}, _desk_url(row), open_desk)
        text = _("Questioning starts at %(time)s: then start the answer of %(name)s.") % {
            "time": timezone.localtime(questioning_at).strftime("%H:%M"),
            "name": name,
        }
        return NextAction(text, _desk_url(row), open_desk)
    if row.stage not in steps:
        return None
    text, anchor = steps[row.stage]
    return NextAction(text % {"name": name}, _desk_url(row, anchor), open_desk)


def next_action(*, user, sitting: Sitting, desk: "Desk") -> NextAction:
    """The one thing the secretary should do now, with a link to the page that does it: a decision the commission
    owes first, then the student in front of the commission, then the acts, the grades and the documents."""
    console = reverse("exams:console", args=[sitting.pk])
    to_console = _("Open the console")
    for interruption in desk.pending["interruptions"]:
        text = _("Record the commission's decision: %(name)s asks to continue after a drop.")
        name = interruption.slot.student.full_name
        return NextAction(text % {"name": name}, f"{console}#decide-interruption-{interruption.pk}", to_console)
    for check in desk.pending["room_checks"]:
        text = _("Record the commission's decision: %(name)s refused the room check.")
        return NextAction(text % {"name": check.slot.student.full_name}, f"{console}#decide-room-{check.pk}", to_console)
    step = _student_step(desk.current, desk.questioning_at) if desk.current else None
    if step is not None:
        return step
    for act in desk.acts:
        text = _("Give %(name)s another time after the technical failure.") % {"name": act.slot.student.full_name}
        return NextAction(text, reverse("proctoring:act", args=[act.pk]), _("Open the act"))
    documents = reverse("commissions:sitting_documents", args=[sitting.pk])
    if any(row.stage == "finished" for row in desk.rows):
        text = _("Record the commission's grades and results.")
        return NextAction(text, reverse("commissions:sitting_results", args=[sitting.pk]), _("Grades and results"))
    if desk.rows and not desk.papers and any(row.grade for row in desk.rows):
        return NextAction(_("Draw up the protocols and the grade sheet."), documents, _("Documents of the sitting"))
    if any(m.user_id == user.pk for paper in desk.papers for m in paper.awaiting):
        return NextAction(_("Sign the sitting's documents."), documents, _("Documents of the sitting"))
    return NextAction(_("Nothing waits for you in this sitting now."))


def _facts(desk: Desk) -> list[Fact]:
    facts = []
    for row in desk.rows:
        news = STAGE_NEWS.get(row.stage)
        if news is not None:
            text = str(news) % {"name": row.slot.student.full_name, "number": row.ticket_number}
            facts.append(Fact(f"slot-{row.slot.pk}-{row.stage}", text))
    for interruption in desk.pending["interruptions"]:
        text = _("%(name)s asks to continue after a drop: the commission decides.")
        facts.append(Fact(f"interruption-{interruption.pk}", text % {"name": interruption.slot.student.full_name}))
    for check in desk.pending["room_checks"]:
        text = _("%(name)s refused the room check: the commission decides.")
        facts.append(Fact(f"room-check-{check.pk}", text % {"name": check.slot.student.full_name}))
    ready = len(desk.papers)
    signed = sum(1 for paper in desk.papers if paper.is_signed)
    if ready:
        text = ngettext("%(count)d document is ready.", "%(count)d documents are ready.", ready)
        facts.append(Fact(f"papers-ready-{ready}", text % {"count": ready}))
    if signed:
        text = ngettext("%(count)d document is signed.", "%(count)d documents are signed.", signed)
        facts.append(Fact(f"papers-signed-{signed}", text % {"count": signed}))
    return facts


def desk_for(*, user, sitting: Sitting) -> Desk:
    """Everything the desk shows of one sitting: a fixed number of queries whatever the number of students."""
    rows = queue_rows(sitting=sitting)
    papers = signature_states(
        sorted(latest_papers(sitting=sitting), key=lambda p: (p.kind != Paper.Kind.VEDOMOST, p.slot_id or 0))
    )
    desk = Desk(
        sitting=sitting,
        rows=rows,
        current=current_row(rows),
        pending=proctoring_selectors.pending_for_sitting(sitting=sitting),
        acts=proctoring_selectors.acts_awaiting_new_slot(sitting=sitting),
        papers=papers,
        job=DocumentJob.objects.filter(sitting=sitting).select_related("output").order_by("-created_at").first(),
        questioning_at=exam_selectors.questioning_starts_at(sitting=sitting) if _someone_preparing(rows) else None,
        next_action=NextAction(""),
    )
    desk.next_action = next_action(user=user, sitting=sitting, desk=desk)
    desk.facts = _facts(desk)
    return desk


def _someone_preparing(rows: list[Row]) -> bool:
    return any(row.state == S.PREPARING for row in rows)
