"""The one mechanism for long work done by the worker: queue, resend, claim once, progress, finish or fail.

A job is a row (documents to render, a transcript file to import, a year-end transfer to pack) whose `state` goes
queued → running → done | failed; the row, not the broker message, is the truth:

* `job_queue` sends the task after commit and sets a **resend deadline** in the deadline table. If the message is
  lost (broker down, worker restarted) the job is still queued when the beat sweep reaches the deadline, and the one
  handler here sends it again — and again on every later sweep while the broker stays down (a failing send rolls the
  deadline's claim back).
* `job_claim` is a conditional UPDATE (queued → running): a second message, a resend racing the first, or a late run
  finds nothing to claim and does nothing.
* `job_progress`, `job_done` and `job_fail` write the row the pages poll (templates/_job_progress.html).
* `job_run_once` is the run of an import (students, transcripts): claim, do the work, done or failed with the rows
  the page names.

The feature app owning the job model registers it with its task's name (`job_kind`); the core never imports the
feature, and the services that queue a job never import their tasks module (tasks → services, one way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.utils import timezone

from attestation.core.deadlines import deadline_handler, deadline_set
from attestation.core.models import Deadline
from attestation.core.queue import queue_after_commit, queue_now

RESEND = "core.job_resend"
RESEND_AFTER = dt.timedelta(minutes=2)  # a queued job not yet claimed by then lost its message
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class JobKind:
    model: type[models.Model]
    task: str  # the name the Celery task that runs one job is registered under; it takes the job's primary key


_KINDS: dict[str, JobKind] = {}


def job_kind(model: type[models.Model], *, task: str) -> None:
    """Registers a job model and the name of the task that runs one of its rows (the owning app does, at start)."""
    _KINDS[model._meta.label_lower] = JobKind(model=model, task=task)


def _kind_of(model: type[models.Model]) -> JobKind:
    return _KINDS[model._meta.label_lower]


def _send(kind: JobKind, pk: int) -> None:
    queue_now(kind.task, pk)


def job_queue(job: models.Model, *, resend_after: dt.timedelta = RESEND_AFTER) -> None:
    """Sends the job to the worker after commit and sets its resend deadline (call inside the creating transaction)."""
    kind = _kind_of(type(job))
    deadline_set(obj=job, kind=RESEND, due_at=timezone.now() + resend_after)
    queue_after_commit(kind.task, int(job.pk), robust=True)


def job_claim(model: type[models.Model], pk: int) -> bool:
    """Queued → running, once: False when another run (or a resent message) has it already."""
    return bool(model._default_manager.filter(pk=pk, state=QUEUED).update(state=RUNNING) == 1)


def job_progress(
    model: type[models.Model], pk: int, *, done: int | None = None, total: int | None = None, seen_now: bool = False
) -> None:
    """Records how far a running job is (the page polls it).

    `seen_now`: the job runs inside one transaction of its own (an import that writes all or nothing); on PostgreSQL
    the progress then goes through a second, short connection, so the page sees it before that transaction commits.
    SQLite, one writer at a time, records it with the job's own work."""
    changes = {name: value for name, value in (("done", done), ("total", total)) if value is not None}
    if not changes:
        return
    alias = router.db_for_write(model)
    if seen_now and connections[alias].in_atomic_block and connections[alias].vendor == "postgresql":
        _progress_outside(model, pk, changes, alias)
    else:
        model._default_manager.filter(pk=pk).update(**changes)


def _progress_outside(model: type[models.Model], pk: int, changes: dict[str, int], alias: str) -> None:
    side = connections.create_connection(alias)
    try:
        side.set_autocommit(True)
        quote = side.ops.quote_name
        columns = {f.name: str(f.column) for f in model._meta.concrete_fields}
        sets = ", ".join(f"{quote(columns[name])} = %s" for name in changes)
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(columns['id'])} = %s",  # noqa: S608 - the model's own names
                [*changes.values(), pk],
            )
    finally:
        side.close()


def job_done(model: type[models.Model], pk: int, **fields: Any) -> None:
    model._default_manager.filter(pk=pk).update(state=DONE, **fields)


def job_fail(model: type[models.Model], pk: int, **fields: Any) -> None:
    """Marks the job failed with what the page should say (`error=` or the model's own field)."""
    model._default_manager.filter(pk=pk).update(state=FAILED, **fields)


class JobRejected(Exception):  # noqa: N818 - a verdict on the job, not a fault of the code
    """Raised by a job's work to end it failed with these fields (the rows a file got wrong, for example)."""

    def __init__(self, **fields: Any) -> None:
        super().__init__(fields)
        self.fields = fields


def job_run_once(
    model: type[models.Model],
    pk: int,
    work: Callable[[Any], dict[str, Any]],
    *,
    failed: Callable[[list[str]], dict[str, Any]],
) -> None:
    """Runs a queued job once (a second or late delivery finds it claimed and does nothing).

    `work(job)` returns the fields of the done job, or raises `JobRejected` with those of the failed one. An
    unreadable file (ValidationError) fails the job with `failed(messages)`; any other error too, and is raised
    again for the worker's log."""
    if not job_claim(model, pk):
        return
    job = model._default_manager.get(pk=pk)
    try:
        fields = work(job)
    except JobRejected as exc:
        job_fail(model, pk, **exc.fields)
        return
    except ValidationError as exc:
        job_fail(model, pk, **failed(exc.messages))
        return
    except Exception as exc:
        job_fail(model, pk, **failed([str(exc)]))
        raise
    job_done(model, pk, **fields)


@deadline_handler(RESEND)
def job_resend(deadline: Deadline) -> bool:
    """A job still queued at its resend time is sent again; sent here, not after commit, so a broker still down fails
    the handler, rolls the claim back and the next sweep tries again. Anything else is skipped."""
    model = deadline.content_type.model_class()
    if model is None or model._meta.label_lower not in _KINDS:
        return False
    if not model._default_manager.filter(pk=deadline.object_id, state=QUEUED).exists():
        return False
    _send(_kind_of(model), deadline.object_id)
    return True
