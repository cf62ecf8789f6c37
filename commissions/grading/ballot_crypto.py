"""The secret ballot's cryptography (docs/ballot.md): exponential ElGamal over ristretto255 with Chaum-Pedersen
proofs made non-interactive by Fiat-Shamir. Group arithmetic is libsodium's (pysodium); this module only composes it.

The same formulas run in the member's browser (static/js/ballot.js, @noble/curves). The server uses the `verify_*`
functions and `combine`/`tally`; the `member_*` functions are what a browser does, for the demo data, the bench and
the tests — the portal never calls them for a member.

Encodings: a point is its 32-byte ristretto255 encoding in hex; a scalar is 32 bytes little-endian (mod L) in hex.
A challenge is SHA-512(label || 0x00 || the points, 32 bytes each) reduced mod L.
"""

import hashlib
import secrets
from dataclasses import dataclass

import pysodium as na

L = 2**252 + 27742317777372353535851937790883648493  # the order of ristretto255
IDENTITY = bytes(32)
VERSION = "attestation-ballot-v1"


class BadProof(ValueError):
    """A point, scalar or proof that does not check."""


def _scalar(n: int) -> bytes:
    return (n % L).to_bytes(32, "little")


def _num(data: bytes) -> int:
    return int.from_bytes(data, "little")


def scalar_from_hex(text: str) -> int:
    try:
        data = bytes.fromhex(text)
    except (TypeError, ValueError):
        raise BadProof("not hex") from None
    if len(data) != 32 or _num(data) >= L:
        raise BadProof("not a reduced scalar")
    return _num(data)


def scalar_hex(n: int) -> str:
    return _scalar(n).hex()


def point_from_hex(text: str, *, allow_identity: bool = False) -> bytes:
    try:
        data = bytes.fromhex(text)
    except (TypeError, ValueError):
        raise BadProof("not hex") from None
    if len(data) != 32 or not na.crypto_core_ristretto255_is_valid_point(data):
        raise BadProof("not a ristretto255 point")
    if data == IDENTITY and not allow_identity:
        raise BadProof("the identity point")
    return data


def base(n: int) -> bytes:
    n %= L
    return IDENTITY if n == 0 else na.crypto_scalarmult_ristretto255_base(_scalar(n))


def mul(n: int, point: bytes) -> bytes:
    n %= L
    if n == 0 or point == IDENTITY:
        return IDENTITY
    return na.crypto_scalarmult_ristretto255(_scalar(n), point)


def add(p: bytes, q: bytes) -> bytes:
    return na.crypto_core_ristretto255_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    return na.crypto_core_ristretto255_sub(p, q)


G = base(1)


def challenge(label: str, *points: bytes) -> int:
    digest = hashlib.sha512(label.encode() + b"\x00" + b"".join(points)).digest()
    return _num(na.crypto_core_ristretto255_scalar_reduce(digest))


def random_scalar() -> int:
    return secrets.randbelow(L - 1) + 1


def context(*, round_id: int, epoch: int, membership_id: int) -> str:
    """What every proof is bound to: the vote, its run and the member (a copied proof fails anywhere else)."""
    return f"round={round_id}|epoch={epoch}|member={membership_id}"


# ---------------------------------------------------------------- the server checks


def verify_key_share(*, public: str, proof: dict, ctx: str) -> bytes:
    """Schnorr proof that the member knows x with h = x·G. Returns h."""
    h = point_from_hex(public)
    try:
        commitment, s = point_from_hex(proof["R"]), scalar_from_hex(proof["s"])
    except (KeyError, TypeError):
        raise BadProof("incomplete proof") from None
    c = challenge(f"{VERSION}|key|{ctx}", h, commitment)
    if base(s) != add(commitment, mul(c, h)):
        raise BadProof("key proof fails")
    return h


@dataclass(frozen=True)
class Ciphertext:
    a: bytes
    b: bytes


def verify_ballot(*, joint_key: bytes, ballot: dict, ctx: str, choices: int = 2) -> Ciphertext:
    """Disjunctive Chaum-Pedersen proof that (a, b) = (r·G, m·G + r·H) with m in 0..choices-1. Returns (a, b)."""
    try:
        a, b = point_from_hex(ballot["a"]), point_from_hex(ballot["b"], allow_identity=True)
        branches = ballot["proof"]
        if not isinstance(branches, list) or len(branches) != choices:
            raise BadProof("one proof branch per possible vote")
        parsed = [
            (point_from_hex(x["A"]), point_from_hex(x["B"]), scalar_from_hex(x["c"]), scalar_from_hex(x["z"]))
            for x in branches
        ]
    except (KeyError, TypeError):
        raise BadProof("incomplete ballot") from None
    commitments = [p for branch in parsed for p in branch[:2]]
    c = challenge(f"{VERSION}|ballot|{ctx}", joint_key, a, b, *commitments)
    if sum(branch[2] for branch in parsed) % L != c:
        raise BadProof("ballot proof fails")
    for m, (big_a, big_b, c_m, z_m) in enumerate(parsed):
        if base(z_m) != add(big_a, mul(c_m, a)):
            raise BadProof("ballot proof fails")
        if mul(z_m, joint_key) != add(big_b, mul(c_m, sub(b, base(m)))):
            raise BadProof("ballot proof fails")
    return Ciphertext(a, b)


def verify_decryption_share(*, public: bytes, aggregate_a: bytes, share: str, proof: dict, ctx: str) -> bytes:
    """Chaum-Pedersen proof that log_G h = log_A d: the share d = x·A was made with the member's own key."""
    d = point_from_hex(share)
    try:
        r1, r2, s = point_from_hex(proof["R1"]), point_from_hex(proof["R2"]), scalar_from_hex(proof["s"])
    except (KeyError, TypeError):
        raise BadProof("incomplete proof") from None
    c = challenge(f"{VERSION}|decrypt|{ctx}", public, aggregate_a, d, r1, r2)
    if base(s) != add(r1, mul(c, public)) or mul(s, aggregate_a) != add(r2, mul(c, d)):
        raise BadProof("decryption proof fails")
    return d


def joint_key(publics: list[bytes]) -> bytes:
    total = IDENTITY
    for h in publics:
        total = add(total, h)
    return total


def combine(ciphertexts: list[Ciphertext]) -> Ciphertext:
    """The encrypted tally: the product (here: sum) of the ballots; no ballot is opened."""
    a, b = IDENTITY, IDENTITY
    for ct in ciphertexts:
        a, b = add(a, ct.a), add(b, ct.b)
    return Ciphertext(a, b)


def tally(*, aggregate: Ciphertext, shares: list[bytes], ballots: int) -> int:
    """B − Σ d_i = t·G: the number of "for" ballots t, found by counting up (t ≤ the number of ballots)."""
    message = aggregate.b
    for d in shares:
        message = sub(message, d)
    point = IDENTITY
    for t in range(ballots + 1):
        if point == message:
            return t
        point = add(point, G)
    raise BadProof("the decryption shares do not open the tally")


# ---------------------------------------------------------------- what a member's browser does


@dataclass(frozen=True)
class MemberKey:
    secret: int
    public: str
    proof: dict


def member_key_share(*, ctx: str) -> MemberKey:
    x, k = random_scalar(), random_scalar()
    h, commitment = base(x), base(k)
    c = challenge(f"{VERSION}|key|{ctx}", h, commitment)
    return MemberKey(x, h.hex(), {"R": commitment.hex(), "s": scalar_hex(k + c * x)})


def member_ballot(*, joint_key: bytes, vote: int, ctx: str, choices: int = 2) -> dict:
    r = random_scalar()
    a, b = base(r), add(base(vote), mul(r, joint_key))
    branches: list[dict] = [{} for _ in range(choices)]
    w = random_scalar()
    for m in range(choices):
        if m == vote:
            branches[m] = {"A": base(w), "B": mul(w, joint_key)}
        else:
            c_m, z_m = random_scalar(), random_scalar()
            big_a = sub(base(z_m), mul(c_m, a))
            big_b = sub(mul(z_m, joint_key), mul(c_m, sub(b, base(m))))
            branches[m] = {"A": big_a, "B": big_b, "c": c_m, "z": z_m}
    c = challenge(f"{VERSION}|ballot|{ctx}", joint_key, a, b, *[p for br in branches for p in (br["A"], br["B"])])
    c_vote = (c - sum(br["c"] for m, br in enumerate(branches) if m != vote)) % L
    branches[vote].update(c=c_vote, z=(w + c_vote * r) % L)
    proof = [{"A": br["A"].hex(), "B": br["B"].hex(), "c": scalar_hex(br["c"]), "z": scalar_hex(br["z"])} for br in branches]
    return {"a": a.hex(), "b": b.hex(), "proof": proof}


def member_decryption_share(*, key: MemberKey, aggregate_a: bytes, ctx: str) -> dict:
    h = point_from_hex(key.public)
    d, k = mul(key.secret, aggregate_a), random_scalar()
    r1, r2 = base(k), mul(k, aggregate_a)
    c = challenge(f"{VERSION}|decrypt|{ctx}", h, aggregate_a, d, r1, r2)
    return {"d": d.hex(), "proof": {"R1": r1.hex(), "R2": r2.hex(), "s": scalar_hex(k + c * key.secret)}}
