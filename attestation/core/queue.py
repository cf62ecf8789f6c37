"""Sending a task to the worker from a service, without importing the tasks module.

A feature's `tasks.py` imports its services (a task calls one). A service that queues a task names it by the name
it is registered under instead of importing it back, so the imports run one way: tasks → services. Each app's
`AppConfig.ready()` imports its tasks module, so the web process knows every task by name (docs/architecture.md).
"""

from celery import current_app
from django.db import transaction


def queue_now(task_name: str, *args) -> None:
    """Sends the task at once (a deadline handler resending a lost message: a broker still down fails the claim)."""
    current_app.tasks[task_name].delay(*args)


def queue_after_commit(task_name: str, *args, robust: bool = True) -> None:
    """Sends the task once the transaction commits; `robust`: a broker that is down does not fail the request
    (the job's resend deadline sends it again)."""
    transaction.on_commit(lambda: queue_now(task_name, *args), robust=robust)


class _Batch:
    """What one transaction has added for one task; called once, after the commit."""

    def __init__(self, task_name: str) -> None:
        self.task_name, self.items = task_name, set()

    def __call__(self) -> None:
        queue_now(self.task_name, sorted(self.items))


_BATCHES = "_attestation_queued_batches"


def queue_batch_after_commit(task_name: str, item: int) -> None:
    """Adds `item` to this transaction's batch for the task: once the transaction commits, ONE task is sent with
    every item added (sorted, each once), however many times a loop of the service added one, and after every
    callback registered before the last item was added (the renewal of a cached page the task builds again, say:
    a worker quicker than the rest of the commit's callbacks would otherwise build it under the generation the
    renewal ends). A broker that is down
    does not fail the request. Outside a transaction the task is sent at once, with the one item. An item added by a
    part of the transaction that was rolled back (a savepoint) after the batch began is still sent with the others:
    only for tasks that do no harm with it (building a page ahead)."""
    connection = transaction.get_connection()
    batches = getattr(connection, _BATCHES, None)
    if batches is None:
        batches = {}
        setattr(connection, _BATCHES, batches)
    batch = batches.get(task_name)
    # Still waiting for this transaction's commit? A rollback (or a rolled-back savepoint) drops its callback, and a
    # commit has run it: either way a new batch starts. Django keeps the callbacks, in order, in `run_on_commit`.
    callbacks = connection.run_on_commit
    for index, entry in enumerate(callbacks):
        if entry[1] is batch:
            batch.items.add(item)
            callbacks.append(callbacks.pop(index))  # last again: after what the caller registered before this item
            return
    batch = batches[task_name] = _Batch(task_name)
    batch.items.add(item)
    transaction.on_commit(batch, robust=True)
