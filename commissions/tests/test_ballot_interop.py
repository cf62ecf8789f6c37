"""The browser's code (static/js/ballot.js on the vendored @noble/curves) and the server's checks (libsodium through
pysodium) agree: what Node runs from the very file the page loads passes the server's verification."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from commissions.grading import ballot_crypto as crypto

SCRIPT = """
import { keyShare, encryptBallot, decryptionShare } from "%s";
const ctx = process.argv[1];
const key = keyShare(ctx);
const ballots = [encryptBallot(key.public, 0, ctx), encryptBallot(key.public, 1, ctx)];
const share = decryptionShare(key.secret, key.public, ballots[1].a, ctx);
console.log(JSON.stringify({ key, ballots, share }));
"""


@pytest.fixture
def browser_output():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    module = Path(settings.BASE_DIR) / "static" / "js" / "ballot.js"
    ctx = crypto.context(round_id=7, epoch=0, membership_id=3)
    run = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT % module.as_uri(), ctx], capture_output=True, text=True, check=True
    )
    return ctx, json.loads(run.stdout)


def test_the_browsers_key_ballots_and_share_pass_the_servers_checks(browser_output):
    ctx, out = browser_output
    h = crypto.verify_key_share(public=out["key"]["public"], proof=out["key"]["proof"], ctx=ctx)
    against, favour = (crypto.verify_ballot(joint_key=h, ballot=b, ctx=ctx) for b in out["ballots"])
    d = crypto.verify_decryption_share(
        public=h, aggregate_a=favour.a, share=out["share"]["d"], proof=out["share"]["proof"], ctx=ctx
    )
    assert crypto.tally(aggregate=favour, shares=[d], ballots=1) == 1  # the browser's "for" opens as 1
    x = int.from_bytes(bytes.fromhex(out["key"]["secret"]), "little")
    assert crypto.sub(against.b, crypto.mul(x, against.a)) == crypto.IDENTITY  # and its "against" as 0


def test_a_browser_proof_is_bound_to_its_member(browser_output):
    ctx, out = browser_output
    h = crypto.point_from_hex(out["key"]["public"])
    other = crypto.context(round_id=7, epoch=0, membership_id=4)
    with pytest.raises(crypto.BadProof):
        crypto.verify_key_share(public=out["key"]["public"], proof=out["key"]["proof"], ctx=other)
    with pytest.raises(crypto.BadProof):
        crypto.verify_ballot(joint_key=h, ballot=out["ballots"][0], ctx=other)
