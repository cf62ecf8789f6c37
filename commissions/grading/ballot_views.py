"""The secret ballot's endpoints for the member's browser (static/js/ballot.js): the round's public state, the key
share, the encrypted ballot, the decryption share; the secretary's re-run; the transcript anyone on the commission
downloads. Each answer is JSON; a refusal carries the service's message."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attestation.core.confirm import ask_first
from commissions import permissions
from commissions.grading import votes
from commissions.grading.transcript import vote_transcript
from commissions.models import BallotTrustee, EncryptedBallot, VoteRound


def _secret_round(request, pk: int) -> VoteRound:
    vote_round = get_object_or_404(
        VoteRound.objects.select_related("slot__sitting__commission"), pk=pk, mode=VoteRound.Mode.SECRET
    )
    if not permissions.can_follow_grading(request.user, vote_round.slot.sitting):
        raise Http404
    return vote_round


def _phase(vote_round: VoteRound) -> str:
    if vote_round.is_closed:
        return "closed"
    return "closing" if vote_round.closing_at else "voting"


@require_GET
@login_required
def ballot_state(request, pk: int):
    """What the browser needs: the phase, the joint key, this member's progress; at the close the ballots' a."""
    vote_round = _secret_round(request, pk)
    trustee = BallotTrustee.objects.filter(round=vote_round, membership__user=request.user).first()
    state = {"round": vote_round.pk, "epoch": vote_round.epoch, "phase": _phase(vote_round), "membership": None}
    voted = set(EncryptedBallot.objects.filter(round=vote_round).values_list("membership_id", flat=True))
    state["progress"] = [  # who has taken part (public to the commission, as on the page), never how
        {"m": m, "key": bool(key), "voted": m in voted, "share": bool(share)}
        for m, key, share in BallotTrustee.objects.filter(round=vote_round).values_list(
            "membership_id", "key_share", "decryption_share"
        )
    ]
    if trustee is not None:
        state.update(
            membership=trustee.membership_id,
            context=votes.ballot_context(vote_round, trustee.membership_id),
            joint_key=vote_round.joint_key,
            me={
                "key": bool(trustee.key_share),
                "voted": EncryptedBallot.objects.filter(round=vote_round, membership_id=trustee.membership_id).exists(),
                "share": bool(trustee.decryption_share),
            },
        )
        if vote_round.closing_at:
            state["tally_a"] = vote_round.tally_a
            state["ballots"] = [
                {"a": a} for a in EncryptedBallot.objects.filter(round=vote_round).values_list("a", flat=True)
            ]
    return JsonResponse(state)


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ValidationError(_("The browser sent something that is not a ballot message."))
    return body


def _answer(request, vote_round: VoteRound, action):
    """Only a voting member of the commission sends a key, a ballot or a share; the service checks the rest."""
    if not permissions.can_grade(request.user, vote_round.slot):
        return JsonResponse({"error": _("Only the chair and the members of the commission vote.")}, status=403)
    try:
        action()
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True})


def _epoch(body: dict) -> int:
    try:
        return int(body.get("epoch"))
    except (TypeError, ValueError):
        return -1


@require_POST
@login_required
def ballot_key(request, pk: int):
    vote_round = _secret_round(request, pk)

    def act():
        body = _json_body(request)
        votes.secret_key_share(
            actor=request.user,
            vote_round=vote_round,
            public=str(body.get("public", "")),
            proof=body.get("proof") if isinstance(body.get("proof"), dict) else {},
            epoch=_epoch(body),
        )

    return _answer(request, vote_round, act)


@require_POST
@login_required
def ballot_cast(request, pk: int):
    vote_round = _secret_round(request, pk)

    def act():
        body = _json_body(request)
        ballot = body.get("ballot")
        if not isinstance(ballot, dict):
            raise ValidationError(_("The browser sent something that is not a ballot message."))
        votes.secret_ballot_cast(actor=request.user, vote_round=vote_round, ballot=ballot, epoch=_epoch(body))

    return _answer(request, vote_round, act)


@require_POST
@login_required
def ballot_share(request, pk: int):
    vote_round = _secret_round(request, pk)

    def act():
        body = _json_body(request)
        votes.secret_decryption_share(
            actor=request.user,
            vote_round=vote_round,
            share=str(body.get("share", "")),
            proof=body.get("proof") if isinstance(body.get("proof"), dict) else {},
            epoch=_epoch(body),
        )

    return _answer(request, vote_round, act)


@require_POST
@login_required
def ballot_rerun(request, pk: int):
    vote_round = _secret_round(request, pk)
    if not permissions.can_run_votes(request.user, vote_round.slot.sitting):
        raise PermissionDenied
    asking = ask_first(
        request,
        question=_("Run the vote again? The votes of this run are set aside and every member votes again."),
        details=[vote_round.slot.student.full_name],
        back=reverse("commissions:slot", args=[vote_round.slot_id]),
    )
    if asking is not None:
        return asking
    try:
        votes.secret_rerun(actor=request.user, vote_round=vote_round, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The vote is run again; the members vote again."))
    return redirect(reverse("commissions:slot", args=[vote_round.slot_id]))


@require_GET
@login_required
def ballot_transcript(request, pk: int):
    """The closed round's transcript (JSON): check it with `manage.py verify_vote <file>`."""
    vote_round = _secret_round(request, pk)
    if not vote_round.is_closed:
        raise Http404
    response = JsonResponse(vote_transcript(vote_round), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="vote-{vote_round.pk}-transcript.json"'
    response["Cache-Control"] = "private, no-store"
    return response
