"""The database connection dropped in the middle of a request (pg_terminate_backend from another connection while
the service is inside its transaction): the request fails cleanly, nothing is half-saved, the next request works."""

import concurrent.futures
import time

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from attestation.core.models import AuditEvent
from commissions.attendance import attendance_record
from commissions.grading import ballot_crypto as crypto
from commissions.grading import votes
from commissions.grading.ballot_member import members_take_part
from commissions.models import EncryptedBallot, Membership, Slot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.requires_postgres(
        reason="needs PostgreSQL (pg_terminate_backend); SQLite has no server connection to drop",
    ),
]


def _other_connection():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    return psycopg2.connect(**params)


def _waiting_backend(cursor, timeout: float = 15.0) -> int:
    """The pid of the request's backend once it waits on the lock we hold (it is then inside its transaction)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is otherwise frozen for our transaction
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError("the request never reached the locked row")


def test_a_vote_cut_off_by_a_dropped_connection_leaves_nothing_and_the_next_request_works(world):
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="secret")
    vote_round, _keys = members_take_part(vote_round=vote_round, choices={})  # the members' browsers made the key
    membership = Membership.objects.get(commission=world.commission, user=world.member)
    ballot = crypto.member_ballot(
        joint_key=bytes.fromhex(vote_round.joint_key), vote=1, ctx=votes.ballot_context(vote_round, membership.pk)
    )
    audits_before = AuditEvent.objects.count()
    client = Client(raise_request_exception=False)
    client.force_login(world.member)
    url = reverse("commissions:ballot_cast", args=[vote_round.pk])

    def cast():
        return client.post(url, {"ballot": ballot, "epoch": vote_round.epoch}, content_type="application/json").status_code

    def close_thread_connection():
        connection.close()

    other = _other_connection()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # one thread: the same DB connection
        try:
            with other.cursor() as cursor:
                # Hold the member's row: the ballot row is written, then its foreign-key check waits here.
                cursor.execute("SELECT id FROM commissions_membership WHERE id = %s FOR UPDATE", [membership.pk])
                pending = pool.submit(cast)
                pid = _waiting_backend(cursor)
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            other.rollback()
            assert pending.result(timeout=30) == 500
        finally:
            other.close()
        assert not EncryptedBallot.objects.filter(round=vote_round).exists()
        assert AuditEvent.objects.count() == audits_before
        try:
            assert pool.submit(cast).result(timeout=30) == 200  # the same thread reconnects on the next request
        finally:
            pool.submit(close_thread_connection).result()
    assert EncryptedBallot.objects.filter(round=vote_round).count() == 1
