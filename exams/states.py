"""The attempt's state machine: the only moves the portal allows, and which of them the secretary makes by hand."""

from django.utils.translation import gettext_lazy as _

from commissions.models import Slot
from exams.models import Attempt

S = Attempt.State

# Interruption and technical failure can happen at any moment once the student is in the exam.
_LIVE_EXITS = {S.INTERRUPTED, S.TECHNICAL_FAILURE, S.STOPPED}

TRANSITIONS: dict[str, set[str]] = {
    S.SCHEDULED: {S.IDENTIFIED, S.ABSENT, S.POSTPONED, S.TECHNICAL_FAILURE},
    S.IDENTIFIED: {S.ADMITTED, S.STOPPED, S.ABSENT, S.POSTPONED, S.TECHNICAL_FAILURE},
    # A computer-based test has no ticket: the secretary starts it at once (admitted → writing).
    S.ADMITTED: {S.TICKET_DRAWN, S.ANSWERING, S.WRITING} | _LIVE_EXITS,
    S.TICKET_DRAWN: {S.PREPARING, S.WRITING} | _LIVE_EXITS,
    S.PREPARING: {S.ANSWERING} | _LIVE_EXITS,
    S.WRITING: {S.FINISHED, S.ANSWERING} | _LIVE_EXITS,
    S.ANSWERING: {S.FINISHED} | _LIVE_EXITS,
    # The commission's decision on an interruption: continue where the student was, or stop (R24).
    S.INTERRUPTED: {S.ADMITTED, S.TICKET_DRAWN, S.PREPARING, S.WRITING, S.ANSWERING, S.STOPPED, S.TECHNICAL_FAILURE},
    S.TECHNICAL_FAILURE: {S.POSTPONED},
    S.STOPPED: {S.POSTPONED},
    S.ABSENT: {S.POSTPONED},
    S.FINISHED: set(),
    S.POSTPONED: set(),
}

# Moves made by their own flow, never by a bare console button: identification (the desk's checklist inside the R19
# window, proctoring.services.identification_record), the draw and the interruption.
FLOW_ONLY = {S.IDENTIFIED, S.TICKET_DRAWN, S.INTERRUPTED}

# Waiting to be admitted: what the student's exam page shows then has no clock (its poll is served again, and built
# ahead when the attempt comes back to one of them: exams/pages_ahead.py).
WAITING = frozenset({S.SCHEDULED, S.IDENTIFIED})

# States in which the student is in front of the commission (the camera must be on).
LIVE = {S.ADMITTED, S.TICKET_DRAWN, S.PREPARING, S.WRITING, S.ANSWERING}


# What "My schedule" and the commission's page say about the slot while its attempt is in each state. Slot.Status
# has no "technical failure" or "stopped": a failure means another time is offered (R23), so the slot reads
# postponed; a stopped attestation is over in this slot (the commission's later decision may postpone it).
_IN_THE_CALL = Slot.Status.CONFIRMED
SLOT_STATUS: dict[str, str] = {
    S.SCHEDULED: Slot.Status.SCHEDULED,
    S.IDENTIFIED: _IN_THE_CALL,
    S.ADMITTED: _IN_THE_CALL,
    S.TICKET_DRAWN: _IN_THE_CALL,
    S.PREPARING: _IN_THE_CALL,
    S.WRITING: _IN_THE_CALL,
    S.ANSWERING: _IN_THE_CALL,
    S.INTERRUPTED: _IN_THE_CALL,
    S.FINISHED: Slot.Status.DONE,
    S.STOPPED: Slot.Status.DONE,
    S.ABSENT: Slot.Status.ABSENT,
    S.TECHNICAL_FAILURE: Slot.Status.POSTPONED,
    S.POSTPONED: Slot.Status.POSTPONED,
}


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, set())


def console_moves(attempt_state: str, kind: str) -> list[str]:
    """The buttons the secretary sees for an attempt in this state, in the order of the day."""
    order = [
        S.ADMITTED,
        S.PREPARING,
        S.WRITING,
        S.ANSWERING,
        S.FINISHED,
        S.ABSENT,
        S.STOPPED,
        S.TECHNICAL_FAILURE,
        S.POSTPONED,
    ]
    moves = [s for s in order if allowed(attempt_state, s) and s not in FLOW_ONLY]
    if kind in (Attempt.Kind.DEFENSE, Attempt.Kind.CREATIVE):
        moves = [s for s in moves if s not in (S.PREPARING, S.WRITING)]
    elif kind == Attempt.Kind.TESTING:
        moves = [s for s in moves if s not in (S.PREPARING, S.ANSWERING)]  # a test is taken, then finished
    elif kind in (Attempt.Kind.WRITTEN, Attempt.Kind.TAKE_HOME):
        moves = [s for s in moves if s != S.PREPARING]
    else:
        moves = [s for s in moves if s != S.WRITING]
    if attempt_state == S.ADMITTED and kind not in (Attempt.Kind.DEFENSE, Attempt.Kind.CREATIVE, Attempt.Kind.TESTING):
        moves = [s for s in moves if s not in (S.ANSWERING, S.WRITING)]  # exams start with the draw
    return moves


# Moves that cannot be taken back: the button asks first (data-confirm, static/js/confirm.js), and the server asks
# again when the POST lacks confirmed=1 (attestation/core/confirm.py), so JavaScript is not needed.
IRREVERSIBLE = frozenset({S.ABSENT, S.STOPPED, S.FINISHED, S.TECHNICAL_FAILURE, S.POSTPONED})

# What the secretary's button says: the action, not the state it leads to.
MOVE_LABELS = {
    S.ADMITTED: _("Admit"),
    S.PREPARING: _("Start preparation"),
    S.WRITING: _("Start writing"),
    S.ANSWERING: _("Start answering"),
    S.FINISHED: _("Finish"),
    S.ABSENT: _("Absent"),
    S.STOPPED: _("Stop"),
    S.TECHNICAL_FAILURE: _("Technical failure"),
    S.POSTPONED: _("Postpone"),
}


def labelled_moves(attempt_state: str, kind: str | None) -> list[tuple[str, str]]:
    labels = {**MOVE_LABELS, S.WRITING: _("Start the test")} if kind == Attempt.Kind.TESTING else MOVE_LABELS
    return [(s, labels[s]) for s in console_moves(attempt_state, kind)]
