"""A service's loop that queues the same task for many rows sends it once, after the commit, with every row
(attestation/core/queue.py: `queue_batch_after_commit`)."""

from contextlib import suppress

import pytest
from django.db import transaction

from attestation.core.queue import queue_batch_after_commit

pytestmark = pytest.mark.django_db


def batches(callbacks) -> list[tuple[str, set]]:
    return [(callback.task_name, callback.items) for callback in callbacks if hasattr(callback, "task_name")]


def test_one_task_per_transaction_with_each_item_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for item in (3, 1, 3, 2):
            queue_batch_after_commit("pages", item)
        queue_batch_after_commit("other", 5)
    assert batches(callbacks) == [("pages", {1, 2, 3}), ("other", {5})]


def test_what_a_rolled_back_part_added_starts_no_batch_that_outlives_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with suppress(RuntimeError), transaction.atomic():
            queue_batch_after_commit("pages", 1)
            raise RuntimeError
        queue_batch_after_commit("pages", 2)
    assert batches(callbacks) == [("pages", {2})]


def test_the_batch_is_sent_after_what_was_registered_before_its_last_item(django_capture_on_commit_callbacks):
    renewed: list[int] = []
    with django_capture_on_commit_callbacks() as callbacks:
        for item in (1, 2):
            transaction.on_commit(lambda item=item: renewed.append(item))  # a page's generation renewed at the commit
            queue_batch_after_commit("pages", item)
    assert [getattr(callback, "task_name", None) for callback in callbacks] == [None, None, "pages"]
