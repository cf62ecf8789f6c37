"""A transcript import whose message was lost (the broker was down when it was queued) still runs, once."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from attestation.core.deadlines import deadlines_sweep
from attestation.core.jobs import RESEND, job_resend
from attestation.core.models import Deadline
from attestation.tests.worker import on_the_worker, wait_for
from exams.applications import transcripts
from exams.applications.models import TranscriptImport, TranscriptRow
from exams.applications.tests.test_transcripts import rows_for

pytestmark = pytest.mark.django_db


@on_the_worker
def test_an_import_whose_message_was_lost_is_sent_again_by_the_sweep_and_runs_once(
    world, disciplines, inst_admin, tmp_path, settings, celery_worker_real
):
    settings.MEDIA_ROOT = tmp_path
    text = "\n".join(",".join(r) for r in rows_for(world, disciplines)).encode()
    with transaction.atomic():
        job = transcripts.job_create(
            actor=inst_admin, institution=world.institution, upload=SimpleUploadedFile("scores.csv", text), kind="csv"
        )
        del connection.run_on_commit[:]  # the message is never sent: the broker was down at the commit
    resend = Deadline.objects.get(kind=RESEND, object_id=job.pk)
    deadlines_sweep(now=timezone.now())  # not yet due: the worker may still be on its way
    resend.refresh_from_db()
    assert resend.state == Deadline.State.PENDING
    deadlines_sweep(now=timezone.now() + dt.timedelta(minutes=3))
    assert wait_for(lambda: TranscriptImport.objects.get(pk=job.pk).state == TranscriptImport.State.DONE)
    resend.refresh_from_db()
    assert resend.state == Deadline.State.DONE
    deadlines_sweep(now=timezone.now() + dt.timedelta(minutes=5))  # a second sweep sends nothing more
    assert TranscriptRow.objects.count() == 3


def test_a_job_already_claimed_is_not_sent_again(world, disciplines, inst_admin, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    text = "\n".join(",".join(r) for r in rows_for(world, disciplines)).encode()
    job = transcripts.job_create(
        actor=inst_admin, institution=world.institution, upload=SimpleUploadedFile("scores.csv", text), kind="csv"
    )
    transcripts.job_run(job_pk=job.pk)
    assert job_resend(Deadline.objects.get(kind=RESEND, object_id=job.pk)) is False
    assert TranscriptRow.objects.count() == 3
