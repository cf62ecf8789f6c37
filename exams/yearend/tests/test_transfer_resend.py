"""A transfer whose message was lost (the broker was down when it was requested) is packed once the sweep resends it;
before the core's jobs it stayed "being packed" forever."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from attestation.core.deadlines import deadlines_sweep
from attestation.core.jobs import RESEND, job_resend
from attestation.core.models import Deadline
from attestation.tests.worker import on_the_worker, wait_for
from exams.yearend import services
from exams.yearend.models import Transfer
from exams.yearend.tests.conftest import vedomost


def _request_with_the_message_lost(world) -> Transfer:
    with transaction.atomic():
        transfer = services.transfer_request(
            actor=world.head,
            commission=world.commission,
            recipient=Transfer.Recipient.REGISTRAR,
            addressee="registrar@uni.kz",
        )
        del connection.run_on_commit[:]  # the message is never sent: the broker was down at the commit
    return transfer


def _resend_deadline(transfer: Transfer) -> Deadline:
    return Deadline.objects.get(kind=RESEND, object_id=transfer.pk, content_type=ContentType.objects.get_for_model(Transfer))


@on_the_worker
def test_a_transfer_whose_message_was_lost_is_packed_after_the_sweep_sends_it_again(
    world, announced, id_copies, celery_worker_real
):
    vedomost(world)
    transfer = _request_with_the_message_lost(world)
    deadlines_sweep(now=timezone.now())  # not yet due: the worker may still be on its way
    assert _resend_deadline(transfer).state == Deadline.State.PENDING
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.QUEUED
    deadlines_sweep(now=timezone.now() + dt.timedelta(minutes=3))
    assert wait_for(lambda: Transfer.objects.get(pk=transfer.pk).state == Transfer.State.DONE)
    assert _resend_deadline(transfer).state == Deadline.State.DONE
    assert Transfer.objects.get(pk=transfer.pk).items.filter(kind="vedomost").count() == 1


@pytest.mark.django_db
def test_a_transfer_already_packed_is_not_sent_again(world, announced, id_copies):
    vedomost(world)
    transfer = _request_with_the_message_lost(world)
    services.transfer_pack(transfer_pk=transfer.pk)
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.DONE
    assert job_resend(_resend_deadline(transfer)) is False
    assert services.transfer_pack(transfer_pk=transfer.pk) is None  # a late second message claims nothing
