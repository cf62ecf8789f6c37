"""Recomputes a secret vote's result from its transcript: `manage.py verify_vote 12` (the vote with id 12 in
this database) or `manage.py verify_vote transcript.json` (a downloaded transcript, no database needed)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissions.grading.ballot_crypto import BadProof
from commissions.grading.transcript import verify_transcript, vote_transcript
from commissions.models import VoteRound


class Command(BaseCommand):
    help = "Checks every proof of a secret vote and recomputes its result from the transcript."

    def add_arguments(self, parser):
        parser.add_argument("vote", help="the vote's id, or the path of a downloaded transcript (JSON)")

    def handle(self, *args, vote: str, **options):
        path = Path(vote)
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
        elif vote.isdigit():
            vote_round = VoteRound.objects.filter(pk=int(vote), mode=VoteRound.Mode.SECRET).first()
            if vote_round is None:
                raise CommandError(f"No secret vote with id {vote}.")
            if not vote_round.is_closed:
                raise CommandError(f"Vote {vote} is not counted yet.")
            data = vote_transcript(vote_round)
        else:
            raise CommandError(f"{vote} is neither a vote id nor a transcript file.")
        try:
            checked = verify_transcript(data)
        except BadProof as exc:
            raise CommandError(f"Vote {data.get('round')}: the transcript does not check: {exc}") from None
        self.stdout.write(
            f"Vote {data['round']} (run {data['epoch']}): {checked.ballots} ballots from {checked.trustees} members "
            f"taking part, every proof checks; for {checked.votes_for}, against {checked.votes_against}."
        )
