"""Deadlines: rows with a due moment and a state; handlers per kind; a sweep that claims each row once.

A claim is a conditional UPDATE (pending → done) inside the handler's transaction: a second sweep, a
concurrent worker or a late run after downtime finds nothing to claim; a handler that fails rolls its claim
back, so the next sweep tries again.
"""

import datetime as dt
import logging
from collections.abc import Callable, Collection

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from attestation.core.models import Deadline

logger = logging.getLogger(__name__)

# A handler returns False when the deadline was no longer relevant (recorded as skipped).
Handler = Callable[[Deadline], bool | None]
_HANDLERS: dict[str, Handler] = {}
SWEEP_BATCH = 500


def deadline_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def deadline_set(*, obj, kind: str, due_at: dt.datetime) -> Deadline:
    """Creates or moves the deadline of `kind` for `obj` (a moved deadline becomes pending again)."""
    deadline, _created = Deadline.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        defaults={"due_at": due_at, "state": Deadline.State.PENDING, "handled_at": None},
    )
    return deadline


def deadline_cancel(*, obj, kind: str) -> int:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        state=Deadline.State.PENDING,
    ).update(state=Deadline.State.CANCELLED, handled_at=timezone.now())


def _run(deadline: Deadline) -> None:
    """Runs the handler of a claimed deadline (its claim already written in the caller's transaction)."""
    handler = _HANDLERS.get(deadline.kind)
    if handler is None:
        raise LookupError(f"No handler for deadline kind {deadline.kind!r}")
    if handler(deadline) is False:
        deadline.state = Deadline.State.SKIPPED
        Deadline.objects.filter(pk=deadline.pk).update(state=Deadline.State.SKIPPED)


def _claim_and_run(deadline: Deadline, now: dt.datetime) -> bool:
    """Claims one loaded deadline and runs its handler in one transaction; False when someone else had it."""
    with transaction.atomic():
        claimed = Deadline.objects.filter(pk=deadline.pk, state=Deadline.State.PENDING, due_at__lte=now).update(
            state=Deadline.State.DONE, handled_at=now
        )
        if claimed != 1:
            return False
        deadline.state, deadline.handled_at = Deadline.State.DONE, now
        _run(deadline)
    return True


def deadline_handle(*, pk: int, now: dt.datetime) -> bool:
    """Claims one due deadline and runs its handler; returns False when someone else had it."""
    deadline = Deadline.objects.select_related("content_type").filter(pk=pk).first()
    return deadline is not None and _claim_and_run(deadline, now)


def deadlines_due(*, now: dt.datetime, exclude: Collection[int] = ()) -> QuerySet[Deadline]:
    """The pending deadlines due by `now`, earliest first, locked for the caller's transaction (rows a parallel sweep
    holds are skipped): read through the partial index on pending rows (`deadline_pending_due`), so a sweep reads
    what is due and nothing of the open deadlines still to come."""
    due = Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=now)
    if exclude:
        due = due.exclude(pk__in=list(exclude))
    return due.select_related("content_type").select_for_update(skip_locked=True, of=("self",)).order_by("due_at")


def _sweep_batch(now: dt.datetime, failed: set[int]) -> tuple[int, int]:
    """One transaction: locks up to SWEEP_BATCH due deadlines (skipping rows a parallel sweep holds), claims them in
    one UPDATE, then runs each handler in its own savepoint. A failing handler's work and its claim are undone (the
    deadline stays pending for the next sweep); the others commit together, once, at the end of the batch."""
    with transaction.atomic():
        batch = list(deadlines_due(now=now, exclude=failed)[:SWEEP_BATCH])
        if not batch:
            return 0, 0
        Deadline.objects.filter(pk__in=[d.pk for d in batch]).update(state=Deadline.State.DONE, handled_at=now)
        handled = 0
        for deadline in batch:
            deadline.state, deadline.handled_at = Deadline.State.DONE, now
            try:
                with transaction.atomic():
                    _run(deadline)
            except Exception:
                failed.add(deadline.pk)
                logger.exception("Deadline %s failed; it stays pending for the next sweep", deadline.pk)
                Deadline.objects.filter(pk=deadline.pk).update(state=Deadline.State.PENDING, handled_at=None)
            else:
                handled += 1
    return len(batch), handled


def deadlines_sweep(*, now: dt.datetime | None = None) -> int:
    """Handles every pending deadline that is due, batch after batch until none is left; safe to run twice, late,
    or in parallel (each deadline is claimed once; a failing one stays pending for the next sweep)."""
    now = now or timezone.now()
    handled = 0
    failed: set[int] = set()
    while True:
        seen, done = _sweep_batch(now, failed)
        handled += done
        if seen < SWEEP_BATCH:
            return handled
