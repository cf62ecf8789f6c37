"""A commission of 9 voting at once: the 9 voting members POST their degree vote to one open round at the same moment.

Runs against the gunicorn that bench/load.sh started (production settings, PostgreSQL, Redis) on the BENCH-U data
(`bench_seed` makes a defense commission of 9 voters and a secretary with students sitting today). For each round:
the round is opened fresh, 9 threads wait on a barrier and send their vote together, then the secretary POSTs
/votes/<pk>/close/. An open round: POST /votes/<pk>/cast/. A secret round (docs/ballot.md): the 9 members' key
shares together (/ballot/key/), then the 9 encrypted ballots together (/ballot/cast/ — the timed "vote"), the
close, then the 9 decryption shares together (/ballot/share/); the members' side (key, ballot, share) is computed
here with the same formulas as the browser and timed apart (`member_ms`, Python/libsodium; the browser's own time is
bench/ballot_browser_time.mjs). Correct means: every POST answered as it should (302 for a form, 200 for JSON),
exactly 9 votes recorded, and the closed tally counts 9 with the same number "for" as sent. The same burst shape
(9 at once) against the minimal Django view (/ping/) is the baseline of the same run.

Usage (bench/env.sh sourced): .venv/bin/python bench/vote_burst.py PORT [rounds]   — prints two RESULT lines
"""

import http.client
import json
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from attestation.institutions.models import Policy  # noqa: E402
from commissions.grading import ballot_crypto as crypto  # noqa: E402
from commissions.grading.votes import ballot_context  # noqa: E402
from commissions.models import BallotTrustee, Commission, EncryptedBallot, Membership, Slot, VoteRound  # noqa: E402
from portal.management.commands.bench_seed import LIVE_DEFENSE  # noqa: E402
from portal.management.commands.bench_sessions import session_cookie  # noqa: E402

VOTERS = 9
FOR_VOTES = 7  # members 0..6 vote for, 7..8 against: the tally must say 7 : 2


class Client:
    """One person's browser: a session cookie, a CSRF cookie and the headers a form POST over HTTPS carries."""

    def __init__(self, port: int, user=None):
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        self.cookie = f"{settings.CSRF_COOKIE_NAME}={self.csrf}" + (f"; {session_cookie(user)}" if user else "")

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, float]:
        headers = {"Cookie": self.cookie, "X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        body = None
        if method in ("POST", "JSON"):
            body = json.dumps(data or {}) if method == "JSON" else urlencode(data or {})
            headers.update(
                {
                    "Content-Type": "application/json" if method == "JSON" else "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.csrf,
                    "Origin": f"https://127.0.0.1:{self.port}",
                }
            )
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST" if method == "JSON" else method, path, body=body, headers=headers)
            status = connection.getresponse().status
        except OSError:
            status = 0
        finally:
            connection.close()
        return status, (time.perf_counter() - start) * 1000


def burst(clients: list[Client], method: str, paths: list[str], data: list[dict | None]) -> list[tuple[int, float]]:
    """All clients send at the same moment (a barrier), each on its own connection."""
    barrier, out = threading.Barrier(len(clients)), [None] * len(clients)

    def go(i: int) -> None:
        barrier.wait()
        out[i] = clients[i].request(method, paths[i], data[i])

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def world(rounds: int) -> tuple[Commission, list, object, list[Slot]]:
    commission = Commission.objects.get(institution__short_name="BENCH-U", name_ru=LIVE_DEFENSE)
    memberships = list(commission.memberships.select_related("user").order_by("pk"))
    voters = [m.user for m in memberships if m.role != Membership.Role.SECRETARY][:VOTERS]
    secretary = next(m.user for m in memberships if m.role == Membership.Role.SECRETARY)
    slots = list(Slot.objects.filter(sitting__commission=commission).order_by("starts_at")[:rounds])
    _everyone_present(slots[0].sitting, memberships, secretary)
    return commission, voters, secretary, slots


def _everyone_present(sitting, memberships, secretary) -> None:
    """Where the portal records attendance (the quorum rule), the whole commission is present at the sitting."""
    try:
        attendance = apps.get_model("commissions", "Attendance")
    except LookupError:
        return
    if not attendance.objects.filter(sitting=sitting).exists():
        attendance.objects.bulk_create(
            [
                attendance(sitting=sitting, membership=m, present=True, recorded_by=secretary, recorded_at=timezone.now())
                for m in memberships
            ]
        )


def fresh_rounds(commission: Commission, slots: list[Slot]) -> list[VoteRound]:
    """Each run votes on rounds opened just now (earlier runs' rounds and their votes are removed)."""
    VoteRound.objects.filter(slot__in=slots).delete()
    mode = (
        getattr(commission, "vote_mode", "")
        or Policy.objects.get(
            institution_id=commission.institution_id, academic_year=commission.academic_year
        ).degree_vote_mode
    )
    made = VoteRound.objects.bulk_create([VoteRound(slot=s, mode=mode, opened_at=timezone.now()) for s in slots])
    if mode == VoteRound.Mode.SECRET:  # the voters present take part, as vote_open seats them
        voting = list(commission.memberships.exclude(role=Membership.Role.SECRETARY).order_by("pk")[:VOTERS])
        BallotTrustee.objects.bulk_create([BallotTrustee(round=r, membership=m) for r in made for m in voting])
    return made


def recorded(vote_round: VoteRound) -> int:
    related = vote_round.open_votes if vote_round.mode == VoteRound.Mode.OPEN else vote_round.encrypted_ballots
    return related.count()


def tally_correct(vote_round: VoteRound) -> bool:
    vote_round.refresh_from_db()
    if not vote_round.is_closed or (vote_round.votes_for, vote_round.votes_against) != (FOR_VOTES, VOTERS - FOR_VOTES):
        return False
    return vote_round.mode == VoteRound.Mode.OPEN or EncryptedBallot.objects.filter(round=vote_round).count() == VOTERS


class SecretRound:
    """The 9 members' browsers for one secret round: keys, ballots and shares, computed (and timed) here."""

    member_ms: list[float] = []

    def __init__(self, vote_round: VoteRound, voters: list):
        self.round = vote_round
        trustees = {t.membership.user_id: t.membership_id for t in vote_round.trustees.select_related("membership")}
        self.memberships = [trustees[u.pk] for u in voters]
        self.keys = []
        for membership in self.memberships:
            started = time.perf_counter()
            self.keys.append(crypto.member_key_share(ctx=ballot_context(vote_round, membership)))
            SecretRound.member_ms.append((time.perf_counter() - started) * 1000)

    def key_bodies(self) -> list[dict]:
        return [{"public": k.public, "proof": k.proof, "epoch": 0} for k in self.keys]

    def ballot_bodies(self) -> list[dict]:
        self.round.refresh_from_db()
        joint, out = bytes.fromhex(self.round.joint_key), []
        for k, membership in enumerate(self.memberships):
            started = time.perf_counter()
            ballot = crypto.member_ballot(
                joint_key=joint, vote=1 if k < FOR_VOTES else 0, ctx=ballot_context(self.round, membership)
            )
            SecretRound.member_ms[-VOTERS + k] += (time.perf_counter() - started) * 1000
            out.append({"ballot": ballot, "epoch": 0})
        return out

    def share_bodies(self) -> list[dict]:
        self.round.refresh_from_db()
        aggregate_a, out = bytes.fromhex(self.round.tally_a), []
        for k, (key, membership) in enumerate(zip(self.keys, self.memberships, strict=True)):
            started = time.perf_counter()
            share = crypto.member_decryption_share(
                key=key, aggregate_a=aggregate_a, ctx=ballot_context(self.round, membership)
            )
            SecretRound.member_ms[-VOTERS + k] += (time.perf_counter() - started) * 1000
            out.append({"share": share["d"], "proof": share["proof"], "epoch": 0})
        return out


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def line(name: str, rounds: int, samples: list[tuple[int, float]], ok_status: int, extra: str = "") -> str:
    latencies = [ms for _status, ms in samples]
    errors = sum(1 for status, _ms in samples if status != ok_status)
    return (
        f"{name} rounds={rounds} requests={len(samples)} p50_ms={statistics.median(latencies):.1f} "
        f"p95_ms={percentile(latencies, 95):.1f} p99_ms={percentile(latencies, 99):.1f} "
        f"max_ms={max(latencies):.1f} errors={errors}{extra}"
    )


def main() -> None:
    port = int(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    commission, voters, secretary, slots = world(rounds)
    vote_rounds = fresh_rounds(commission, slots)
    members = [Client(port, user) for user in voters]
    chair_of_votes = Client(port, secretary)
    anonymous = [Client(port) for _ in range(VOTERS)]
    choices = [{"choice": "for" if k < FOR_VOTES else "against"} for k in range(VOTERS)]
    votes, keys, shares, pings, closes, counted, correct = [], [], [], [], [], 0, 0
    secret = vote_rounds[0].mode == VoteRound.Mode.SECRET
    for vote_round in vote_rounds:
        pings += burst(anonymous, "GET", ["/ping/"] * VOTERS, [None] * VOTERS)
        if secret:
            browsers = SecretRound(vote_round, voters)
            keys += burst(members, "JSON", [f"/votes/{vote_round.pk}/ballot/key/"] * VOTERS, browsers.key_bodies())
            votes += burst(members, "JSON", [f"/votes/{vote_round.pk}/ballot/cast/"] * VOTERS, browsers.ballot_bodies())
        else:
            votes += burst(members, "POST", [f"/votes/{vote_round.pk}/cast/"] * VOTERS, choices)
        counted += recorded(vote_round)
        # confirmed=1: what the confirmation (attestation/core/confirm.py) sends once the secretary says yes
        closes.append(chair_of_votes.request("POST", f"/votes/{vote_round.pk}/close/", {"confirmed": "1"}))
        if secret:
            shares += burst(members, "JSON", [f"/votes/{vote_round.pk}/ballot/share/"] * VOTERS, browsers.share_bodies())
        correct += tally_correct(vote_round)
    member = (
        f" member_ms_p50={statistics.median(SecretRound.member_ms):.1f} member_ms_max={max(SecretRound.member_ms):.1f}"
        if secret
        else ""
    )
    print(
        "RESULT "
        + line(
            "vote_9_at_once",
            rounds,
            votes,
            200 if secret else 302,
            f" votes_recorded={counted}/{rounds * VOTERS} tallies_correct={correct}/{rounds}"
            f" close_errors={sum(1 for s, _ in closes if s != 302)} mode={vote_rounds[0].mode}{member}",
        )
    )
    if secret:
        print("RESULT " + line("vote_key_9_at_once", rounds, keys, 200))
        print("RESULT " + line("vote_share_9_at_once", rounds, shares, 200))
    print("RESULT " + line("ping_9_at_once", rounds, pings, 200))


if __name__ == "__main__":
    main()
