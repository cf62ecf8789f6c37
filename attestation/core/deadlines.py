"""Deadlines: rows with a due moment and a state; handlers per kind; a sweep that claims each row once.

A claim is a conditional UPDATE (pending → done) inside the handler's transaction: a second sweep, a
concurrent worker or a late run after downtime finds nothing to claim; a handler that fails rolls its claim
back, so the next sweep tries again.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
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


def deadline_handle(*, pk: int, now: dt.datetime) -> bool:
    """Claims one due deadline and runs its handler; returns False when someone else had it."""
    with transaction.atomic():
        claimed = Deadline.objects.filter(pk=pk, state=Deadline.State.PENDING, due_at__lte=now).update(
            state=Deadline.State.DONE, handled_at=now
        )
        if claimed != 1:
            return False
        deadline = Deadline.objects.select_related("content_type").get(pk=pk)
        handler = _HANDLERS.get(deadline.kind)
        if handler is None:
            raise LookupError(f"No handler for deadline kind {deadline.kind!r}")
        if handler(deadline) is False:
            Deadline.objects.filter(pk=pk).update(state=Deadline.State.SKIPPED)
    return True


def deadlines_sweep(*, now: dt.datetime | None = None) -> int:
    """Handles every pending deadline that is due; safe to run twice, late, or in parallel."""
    now = now or timezone.now()
    handled = 0
    due = list(
        Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in due:
        try:
            handled += deadline_handle(pk=pk, now=now)
        except Exception:
            logger.exception("Deadline %s failed; it stays pending for the next sweep", pk)
    return handled
