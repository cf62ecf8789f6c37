"""Reads for the live attestation, scoped to the person asking: outsiders get 404."""

import datetime as dt

from django.db.models import Count, Max, Prefetch, Q, prefetch_related_objects
from django.http import Http404

from attestation.core.prepared import PreparedQuery
from attestation.institutions.policies import policy_for
from commissions.models import Commission, Sitting, Slot
from exams import permissions
from exams.models import Attempt, Draw, ExamProgramme, QuestionAsked, TicketQuestion, TicketSet


def sitting_get_for_watcher(*, user, pk: int) -> Sitting:
    sitting = Sitting.objects.select_related("commission__institution").filter(pk=pk).first()
    if sitting is None or not permissions.can_watch_sitting(user, sitting):
        raise Http404
    return sitting


def slot_get_for_watcher(*, user, pk: int) -> Slot:
    slot = (
        Slot.objects.select_related("student__group", "student__accommodation", "sitting__commission__institution")
        .filter(pk=pk)
        .first()
    )
    if slot is None or not permissions.can_watch_slot(user, slot):
        raise Http404
    return slot


_SLOT = PreparedQuery(
    lambda pk: Slot.objects.select_related("student", "sitting__commission__institution").filter(pk=pk)[:1]
)


def slot_get_own(*, user, pk: int) -> Slot:
    """The student's own slot; anybody else's is a 404, even for another student of the same sitting. The query is
    built and compiled once per process (attestation/core/prepared.py): the exam page polls it every 2 s."""
    found = _SLOT.list(pk)
    if not found or not permissions.is_own_slot(user, found[0]):
        raise Http404
    return found[0]


def commission_get_for_programmes(*, user, pk: int, manage: bool = False) -> Commission:
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    check = permissions.can_manage_programmes if manage else permissions.can_view_programmes
    if commission is None or not check(user, commission):
        raise Http404
    return commission


def _draw_qs():
    items = TicketQuestion.objects.select_related("question__discipline").order_by("position")
    return Draw.objects.select_related("ticket").prefetch_related(Prefetch("ticket__items", queryset=items))


def console_slots(*, sitting: Sitting) -> list[Slot]:
    """The day's queue with each attempt, draw, ticket questions and the student's accommodation (joined): a fixed
    number of queries for any size."""
    in_writing = Q(attempt__questions_asked__in_writing=True)
    return list(
        sitting.slots.select_related("student__group", "student__accommodation", "attempt")
        .prefetch_related(Prefetch("attempt__draw", queryset=_draw_qs()))
        .annotate(
            written_asked=Count("attempt__questions_asked", filter=in_writing),
            written_answered=Count(
                "attempt__questions_asked", filter=in_writing & Q(attempt__questions_asked__answered_at__isnull=False)
            ),
        )
        .order_by("starts_at")
    )


# Built and compiled once per process (attestation/core/prepared.py): the exam page polls it every 2 s.
_ATTEMPT = PreparedQuery(lambda slot_id: Attempt.objects.filter(slot_id=slot_id).select_related("draw__ticket")[:1])


def attempt_with_draw(*, slot: Slot) -> Attempt | None:
    """The slot's attempt with its draw (joined), and its answer sheets and questions once it can have any: the exam
    page polls every 2 s while the student waits to be admitted, so waiting costs one query, not four."""
    found = _ATTEMPT.list(slot.pk)
    attempt = found[0] if found else None
    if attempt is not None and getattr(attempt, "draw", None) is not None:
        items = TicketQuestion.objects.select_related("question__discipline").order_by("position")
        prefetch_related_objects([attempt], Prefetch("draw__ticket__items", queryset=items))
    if attempt is not None and attempt.state not in (Attempt.State.SCHEDULED, Attempt.State.IDENTIFIED):
        prefetch_related_objects(
            [attempt], "answer_sheets", Prefetch("questions_asked", queryset=QuestionAsked.objects.select_related("member"))
        )
    return attempt


GONE = [Attempt.State.ABSENT, Attempt.State.POSTPONED, Attempt.State.STOPPED, Attempt.State.TECHNICAL_FAILURE]


def still_to_draw(*, sitting: Sitting) -> list[Slot]:
    """The students expected at the sitting who have not drawn a ticket yet (R28 waits for them)."""
    return list(
        sitting.slots.exclude(attempt__state__in=GONE)
        .filter(attempt__draw__isnull=True)
        .select_related("student")
        .order_by("starts_at")
    )


def questioning_starts_at(*, sitting: Sitting, policy=None) -> dt.datetime | None:
    """Oral exams: the first student is questioned the policy's minutes after the last student has drawn (R28).
    None while a student expected in the sitting is still to draw."""
    if sitting.commission.form == Commission.Form.DEFENSE:
        return None
    # Still to draw: everyone expected today who has no draw yet (no attempt yet means not even identified).
    waiting = sitting.slots.exclude(attempt__state__in=GONE).filter(attempt__draw__isnull=True).exists()
    last = Draw.objects.filter(sitting=sitting).aggregate(last=Max("drawn_at"))["last"]
    delay = (policy or policy_for(sitting.commission)).oral_questioning_delay_minutes  # same queries either way
    if waiting or last is None:
        return None
    return last + dt.timedelta(minutes=delay)


def programmes_of(*, commission: Commission) -> list[ExamProgramme]:
    return list(
        commission.exam_programmes.select_related("approved_by")
        .prefetch_related("questions", Prefetch("ticket_sets", queryset=TicketSet.objects.order_by("-version")))
        .order_by("-version")
    )


def ticket_set_tickets(*, ticket_set: TicketSet):
    items = TicketQuestion.objects.select_related("question__discipline").order_by("position")
    return ticket_set.tickets.prefetch_related(Prefetch("items", queryset=items)).order_by("number")


def commission_get_for_exam_settings(*, user, pk: int) -> Commission:
    """The commission whose exam settings the user may edit; a defense commission has none (404)."""
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if (
        commission is None
        or commission.form == Commission.Form.DEFENSE
        or not permissions.can_edit_exam_settings(user, commission)
    ):
        raise Http404
    return commission
