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
