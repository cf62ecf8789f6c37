"""The Redis broker stopped while a commission votes and draws up its documents, then restarted.

The database is the truth: votes never touch the broker, a job queued while the broker was down is kept as a row
(the page does not fail), and after the restart the sweep sends it again and the worker does it exactly once.
The test runs its OWN redis-server on a free port, so the shared one is never stopped.
"""

import datetime as dt
import shutil
import socket
import subprocess
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attestation.celery import app as celery_app
from attestation.core.deadlines import deadlines_sweep
from attestation.core.jobs import RESEND as JOB_RESEND
from attestation.core.models import Deadline
from attestation.tests.factories import examined
from attestation.tests.worker import ON_THE_WORKER, wait_for
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import DocumentJob, OpenVote, Paper, Slot, VoteRound
from commissions.tasks import document_job_task

REDIS = shutil.which("redis-server")
pytestmark = [
    *ON_THE_WORKER,
    pytest.mark.skipif(
        REDIS is None,
        reason="redis-server is not installed: the broker fault needs a Redis of its own "
        "to stop and restart (the shared one is never stopped)",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A throwaway redis-server: no persistence, so a restart loses whatever the queue held."""

    def __init__(self, tmp_path):
        self.port, self.dir, self.process = _free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments
            [
                REDIS,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _point_app_at(app, url: str | None) -> None:
    """Points the Celery app's producers and workers at `url` (None: back to the configured broker).

    Celery reads CELERY_BROKER_URL from the environment before its own settings, so the read and write URLs are
    the ones to set; pools are built lazily, so the app's references are dropped (not closed: kombu's registry
    shares them, and the configured broker's pool must stay usable for the tests that follow)."""
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_read_url = app.conf.broker_write_url = url


@pytest.fixture
def own_broker(tmp_path):
    redis = OwnRedis(tmp_path)
    redis.start()
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    _point_app_at(celery_app, redis.url)
    try:
        yield redis
    finally:
        redis.stop()
        _point_app_at(celery_app, None)
        celery_app.conf.task_always_eager = previous_eager


def _graded_and_decided(world) -> list[Slot]:
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )
    examined(world.sitting)
    slots = list(Slot.objects.filter(sitting=world.sitting))
    for slot in slots:
        grading.grade_submit(actor=world.chair, slot=slot, points="90")
        grading.grade_submit(actor=world.member, slot=slot, points="86")
        grading.result_decide(actor=world.chair, slot=slot)
    return slots


def test_votes_and_documents_survive_a_broker_restart_and_the_work_is_done_once(world, own_broker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    slots = _graded_and_decided(world)
    vote_round = votes.vote_open(actor=world.secretary, slot=slots[0], mode="open")
    own_broker.stop()

    client = Client(raise_request_exception=False)
    for user in (world.chair, world.member):
        client.force_login(user)
        assert (
            client.post(
                reverse("commissions:vote_cast", args=[vote_round.pk]), {"choice": "for", "confirmed": "1"}
            ).status_code
            == 302
        )
    assert OpenVote.objects.filter(round=vote_round).count() == 2
    client.force_login(world.secretary)
    client.post(reverse("commissions:vote_close", args=[vote_round.pk]), {"confirmed": "1"})
    assert VoteRound.objects.get(pk=vote_round.pk).votes_for == 2
    response = client.post(reverse("commissions:documents_draw_up", args=[world.sitting.pk]))
    assert response.status_code == 302  # the broker is down; the page still answers
    job = DocumentJob.objects.get()
    assert job.state == DocumentJob.State.QUEUED and not Paper.objects.exists()

    deadlines_sweep(now=timezone.now() + dt.timedelta(minutes=3))  # a sweep while the broker is still down
    assert Deadline.objects.get(kind=JOB_RESEND, object_id=job.pk).state == Deadline.State.PENDING  # kept to retry

    own_broker.start()  # empty: the job's message was never sent
    expected = len(slots) + 1  # a protocol per student and the grade sheet
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        resend = Deadline.objects.get(kind=JOB_RESEND, object_id=job.pk)
        deadlines_sweep(now=timezone.now() + dt.timedelta(minutes=3))  # the late sweep sends it again
        resend.refresh_from_db()
        assert resend.state == Deadline.State.DONE
        assert wait_for(lambda: DocumentJob.objects.get(pk=job.pk).state == DocumentJob.State.DONE, 90)
        assert deadlines_sweep(now=timezone.now() + dt.timedelta(minutes=4)) == 0
        document_job_task.delay(job.pk)  # a duplicate message (a redelivery) finds the job done
        queue = redis.Redis.from_url(own_broker.url)
        # Taken (from this process's queue, conftest.py); leaving the block waits for the task to finish.
        assert wait_for(lambda: queue.llen(celery_app.conf.task_default_queue) == 0, 90)
    assert Paper.objects.filter(sitting=world.sitting).count() == expected
    assert OpenVote.objects.filter(round=vote_round).count() == 2
    assert VoteRound.objects.get(pk=vote_round.pk).votes_for == 2
