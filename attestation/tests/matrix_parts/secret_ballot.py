"""The secret ballot's endpoints (docs/ballot.md): the state, on every page of the commission's members; the key,
the ballot and the share, from the voting members' browsers (the secretary is refused, the service checks the
rest — here the round is closed, so it answers with its refusal); the re-run, by the chair or the secretary; the
transcript of a closed round, for the commission."""

import datetime as dt

from attestation.tests.factories import StudentFactory
from attestation.tests.matrix_base import COMMISSION, DECIDERS, Entry
from commissions.grading import votes
from commissions.grading.ballot_member import members_take_part
from commissions.models import Slot

VOTERS = frozenset({"chair", "member"})


def build(objects) -> None:
    w = objects["world"]
    # a third student of the sitting, examined: the other student refused the room check and gets no vote (R20)
    other = objects["other_slot"]
    examined = Slot.objects.create(
        sitting=w.sitting,
        student=StudentFactory(group=w.group, first_name_kk="Дана"),
        starts_at=other.starts_at + dt.timedelta(minutes=other.duration_minutes),
        duration_minutes=other.duration_minutes,
        status=Slot.Status.DONE,
    )
    vote_round = votes.vote_open(actor=w.chair, slot=examined, mode="secret")
    voters = {t.membership.user: "for" for t in vote_round.trustees.select_related("membership__user")}
    objects["secret_round"], _keys = members_take_part(vote_round=vote_round, choices=voters, closer=w.chair)


def _round(o):
    return {"pk": o["secret_round"].pk}


ENTRIES = {
    "commissions:ballot_state": Entry("get", _round, COMMISSION),
    "commissions:ballot_key": Entry("post", _round, VOTERS),
    "commissions:ballot_cast": Entry("post", _round, VOTERS),
    "commissions:ballot_share": Entry("post", _round, VOTERS),
    "commissions:ballot_rerun": Entry("post", _round, DECIDERS, {"reason": "Браузер жабылды", "confirmed": "1"}),
    "commissions:ballot_transcript": Entry("get", _round, COMMISSION),
}
