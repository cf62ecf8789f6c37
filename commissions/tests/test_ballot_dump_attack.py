"""The outside auditor's attack on a secret vote, after the encrypted ballot (docs/ballot.md): three members vote
for / against / for, each in their own committed transaction; then everything the server holds is read — every
table's tuples including dead versions (pageinspect), the WAL written meanwhile (the segment files, with
pg_waldump), the audit log, every SQL statement and log line, the broker's messages — and none of it tells the
second member's choice. The old attack (a tally row updated in the voter's transaction, read back from its dead
versions) finds no such row; the second member's transaction wrote only a ciphertext; no key the server holds
opens it."""

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attestation.core.models import AuditEvent, AuditSubject
from commissions.grading import ballot_crypto as crypto
from commissions.grading import votes
from commissions.grading.ballot_member import members_send_shares, members_take_part
from commissions.models import BallotTrustee, EncryptedBallot, Membership, VoteRound
from commissions.tests.conftest import everyone_present

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pageinspect and the WAL are PostgreSQL's (the attack is on them)"
    ),
]
WAL_SEGMENT = 16 * 1024 * 1024
CHOICE_BYTES = (b"against", b"\x11against")  # the choice's value, and as PostgreSQL stores a short text


def _app_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _every_tuple_version() -> list[tuple[str, int, int, bytes]]:
    """(table, xmin, xmax, raw tuple data) for every line pointer of every page of every table, dead or alive."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for table in _app_tables():
            cursor.execute("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])
            for block in range(cursor.fetchone()[0]):
                cursor.execute(
                    "SELECT t_xmin::text::bigint, t_xmax::text::bigint, t_data FROM heap_page_items(get_raw_page(%s, %s))"
                    " WHERE t_data IS NOT NULL",
                    [table, block],
                )
                found += [(table, xmin, xmax, bytes(data)) for xmin, xmax, data in cursor.fetchall()]
    return found


def _lsn() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _lsn_int(lsn: str) -> int:
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def _wal(start: str, end: str) -> tuple[bytes, str]:
    """The raw WAL bytes between two LSNs, read from the segment files, and pg_waldump's listing of the records."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('data_directory'), pg_walfile_name(%s), pg_walfile_name(%s)", [start, end])
        data_dir, first, last = cursor.fetchone()
    wal_dir = Path(data_dir) / "pg_wal"
    raw = b""
    begin, finish = _lsn_int(start), _lsn_int(end)
    timeline, first_no = first[:8], int(first[8:16], 16) * 0x100000000 // WAL_SEGMENT + int(first[16:], 16)
    last_no = int(last[8:16], 16) * 0x100000000 // WAL_SEGMENT + int(last[16:], 16)
    for number in range(first_no, last_no + 1):
        name = f"{timeline}{number * WAL_SEGMENT >> 32:08X}{number % (0x100000000 // WAL_SEGMENT):08X}"
        segment_start = number * WAL_SEGMENT
        with open(wal_dir / name, "rb") as segment:
            lo = max(begin - segment_start, 0)
            hi = min(finish - segment_start, WAL_SEGMENT)
            segment.seek(lo)
            raw += segment.read(hi - lo)
    waldump = shutil.which("pg_waldump") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_waldump"))), None)
    listing = ""
    if waldump:
        listing = subprocess.run(
            [str(waldump), "-p", str(wal_dir), "-s", start, "-e", end], capture_output=True, text=True, check=False
        ).stdout
    return raw, listing


def _records(wal: bytes, start: str, listing: str, xids: set[int]) -> bytes:
    """The raw bytes of the WAL records these transactions wrote (pg_waldump gives each one's LSN and length)."""
    base, out = _lsn_int(start), b""
    for m in re.finditer(r"len \(rec/tot\):\s*\d+/\s*(\d+), tx:\s+(\d+), lsn: ([0-9A-F]+/[0-9A-F]+)", listing):
        if int(m.group(2)) in xids:
            offset = _lsn_int(m.group(3)) - base
            out += wal[offset : offset + int(m.group(1)) + 64]  # a record may cross a page header
    assert out, "pg_waldump listed no record of the voters' transactions"
    return out


def _broker_messages() -> bytes:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    out = b""
    for key in client.scan_iter():
        kind = client.type(key)
        if kind == b"list":
            out += b"".join(client.lrange(key, 0, -1))
        elif kind == b"string":
            out += client.get(key) or b""
        elif kind == b"hash":
            out += b"".join(k + v for k, v in client.hgetall(key).items())
        elif kind == b"zset":
            out += b"".join(client.zrange(key, 0, -1))
        elif kind == b"set":
            out += b"".join(client.smembers(key))
    return out


def _candidate_keys(tuples) -> set[int]:
    """Every secret the server could try as a key: the settings' SECRET_KEY, every 64-hex value stored anywhere
    (public keys, ciphertexts, proof scalars), and every 32-byte run of the stored tuples read as a scalar."""
    candidates = {crypto.challenge(settings.SECRET_KEY)}
    for *_, data in tuples:
        for match in re.finditer(rb"[0-9a-f]{64}", data):
            candidates.add(int.from_bytes(bytes.fromhex(match.group().decode()), "little") % crypto.L)
    return {c for c in candidates if c}


def test_nothing_the_server_holds_tells_the_second_members_choice(world, slot, member2, caplog):
    caplog.set_level(logging.DEBUG)
    everyone_present(world)
    with connection.cursor() as cursor:
        # The dead versions the earlier tests of this process left (their rows are deleted after each) are vacuumed
        # away first: on a page they had filled, the next read pruned the vote's own dead versions, which are what
        # the attack reads, and how full it was depended on which tests ran before in this process.
        cursor.execute("VACUUM")
    first, second, third = world.chair, world.member, member2
    vote_round = votes.vote_open(actor=world.secretary, slot=slot)
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # dead versions and WAL from here on are the vote's
    start = _lsn()
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")  # rows older than this are other tests' (rolled back), not the vote's
        first_xid = cursor.fetchone()[0] % 2**32
    with CaptureQueriesContext(connection) as sql:
        vote_round, keys = members_take_part(vote_round=vote_round, choices={first: "for"})
        for user, choice in ((second, "against"), (third, "for")):
            membership = Membership.objects.get(commission=world.commission, user=user)
            ballot = crypto.member_ballot(
                joint_key=bytes.fromhex(vote_round.joint_key),
                vote=1 if choice == "for" else 0,
                ctx=votes.ballot_context(vote_round, membership.pk),
            )
            votes.secret_ballot_cast(actor=user, vote_round=vote_round, ballot=ballot, epoch=vote_round.epoch)
        votes.vote_close(actor=world.secretary, vote_round=vote_round)
        members_send_shares(vote_round=vote_round, keys=keys)
    end = _lsn()
    vote_round = VoteRound.objects.get(pk=vote_round.pk)
    assert (vote_round.votes_for, vote_round.votes_against) == (2, 1)  # the result, and only the result, is known

    second_membership = Membership.objects.get(commission=world.commission, user=second)
    second_ballot = EncryptedBallot.objects.get(round=vote_round, membership=second_membership)
    # Each voter's transaction: its top-level id (the audit line) and the savepoint's (the ballot row).
    transactions = {}
    with connection.cursor() as cursor:
        for user in (first, second, third):
            cursor.execute(
                f"SELECT b.xmin::text::bigint, a.xmin::text::bigint FROM {EncryptedBallot._meta.db_table} b, "  # noqa: S608
                f"{AuditEvent._meta.db_table} a, {Membership._meta.db_table} m WHERE b.membership_id = m.id "
                "AND m.user_id = %s AND a.actor_id = %s AND a.verb = 'vote.secret_took_part'",
                [user.pk, user.pk],
            )
            transactions[user] = set(cursor.fetchone())
    second_xids = transactions[second]

    tuples = _every_tuple_version()
    voteround_versions = [xmin for table, xmin, *_x in tuples if table == VoteRound._meta.db_table]
    assert len(voteround_versions) >= 3  # the dead versions are there to read (key, closing, count) …
    # 1. … but no voter's transaction wrote one: each wrote its ciphertext and an audit line naming no choice (with
    #    the line's subjects, the same commission and student for every voter), nothing else — no counter, no row
    #    whose old versions step from one count to the next.
    audit_tables = {AuditEvent._meta.db_table, AuditSubject._meta.db_table}
    for xids in transactions.values():
        written = {table for table, xmin, _xmax, _data in tuples if xmin in xids}
        assert written == {EncryptedBallot._meta.db_table, *audit_tables}, written
    # 2. No byte anywhere holds the choice's value: tables (dead versions too), WAL, SQL, logs, broker, audit.
    wal, listing = _wal(start, end)
    assert len(wal) > 0
    if listing:
        # pg_waldump's records of the second member's transaction that carry data (not row locks: LOCK records
        # are the foreign-key checks' FOR KEY SHARE and the round's FOR UPDATE, with no column in them)
        xids = "|".join(map(str, second_xids))
        pattern = rf"rmgr: (?:Heap|Btree) .*?tx:\s+(?:{xids}), .*?desc: (?!LOCK)(\w+).*?rel \d+/\d+/(\d+)"
        touched = {m.group(2) for m in re.finditer(pattern, listing)}
        assert touched, listing[-2000:]  # pg_waldump read the second ballot's records (relations by file node)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(t.relname, c.relname) FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid "
                "LEFT JOIN pg_class t ON t.oid = i.indrelid WHERE c.relfilenode = ANY(%s::oid[])",
                [sorted(touched)],
            )
            tables = {row[0] for row in cursor.fetchall()}  # an index counts as its table
        assert tables == {EncryptedBallot._meta.db_table, *audit_tables}, tables
    # The result itself is public: the close's audit line {"for": 2, "against": 1} is set aside, nothing else.
    voters_xids = set().union(*transactions.values())
    everything = {
        "tables (every version written since the vote began, every row but the result's)": b"".join(
            data for _t, xmin, _x, data in tuples if xmin >= first_xid and b"vote.close" not in data
        ),
        "the voters' WAL records": _records(wal, start, listing, voters_xids) if listing else wal,
        "SQL": "\n".join(q["sql"] for q in sql.captured_queries if "vote.close" not in q["sql"]).encode(),
        "logs": "\n".join(r.getMessage() for r in caplog.records).encode(),
        "broker": _broker_messages(),
        "audit": repr(list(AuditEvent.objects.exclude(verb="vote.close").values_list("verb", "before", "after"))).encode(),
    }
    holding = {t for t, xmin, _x, data in tuples if xmin >= first_xid and b"vote.close" not in data and b"against" in data}
    for where, data in everything.items():
        assert not any(token in data.replace(b"votes_against", b"") for token in CHOICE_BYTES), (where, holding)
    # 3. No key the server holds opens the second member's ballot (or the others'): b − s·a is neither 0·G nor 1·G.
    publics = [bytes.fromhex(h) for h in BallotTrustee.objects.filter(round=vote_round).values_list("key_share", flat=True)]
    joint = bytes.fromhex(vote_round.joint_key)
    a, b = bytes.fromhex(second_ballot.a), bytes.fromhex(second_ballot.b)
    for s in _candidate_keys(tuples):
        assert crypto.base(s) != joint and crypto.base(s) not in publics
        assert crypto.sub(b, crypto.mul(s, a)) not in (crypto.IDENTITY, crypto.G)
