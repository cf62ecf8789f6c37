"""PAdES signatures made with each signer's own key through NCALayer, checked against the portal's trust store.

The flow (README, "Signatures"):
1. `signing_prepare` adds an empty signature field to the newest state of the paper as an incremental update,
   with a reserved hole for the CMS, and keeps that prepared file (`SigningRequest`).
2. The browser fetches `signing_payload` — the bytes around the hole, i.e. exactly what the signature covers — and
   asks NCALayer (`kz.gov.pki.knca.basics`, `sign`, `format: "cms"`, detached) to sign them with the key the person
   chooses; NCALayer hashes the bytes with the key's own algorithm and returns a CMS (CAdES-BES).
3. `signing_finish` checks the certificate (signing key, not authentication; the IIN of the account whose turn it
   is; valid now; no ГОСТ yet), fills the hole with the CMS, validates the result with pyHanko against the trust
   store (the CMS covers exactly that byte range; the chain ends at a trusted root; revocation where configured)
   and only then keeps it as the paper's newest state.

No private key is on the server. `pdf_verify` checks any PDF the same way for the public verification page.
"""

import asyncio
import base64
import binascii
import datetime as dt
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from asn1crypto import cms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest, SignatureObject
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from attestation.core.audit import audit_record
from attestation.core.notifications import notify
from commissions.models import Membership, Paper, Signature, SigningRequest

# Room for the CMS: NCA RK's certificate (~2 KB), its chain and a time-stamp token (~6 KB) fit with margin.
RESERVED_BYTES = 16 * 1024
MAX_CMS_BYTES = RESERVED_BYTES
# Who signs after whom: members, then the secretary, then the chair (R36, R37).
SIGNING_ORDER = (Membership.Role.MEMBER, Membership.Role.SECRETARY, Membership.Role.CHAIR)
# ГОСТ 34.310-2004 / 34.10-2015 (Kazakhstan, 1.2.398.3.10…) and GOST R 34.10-2012 (1.2.643…): not verifiable here yet.
GOST_OID_PREFIXES = ("1.2.398.3.10.", "1.2.643.")
TRUST_SUFFIXES = (".pem", ".crt", ".cer", ".der")


def current_bytes(paper: Paper) -> bytes:
    """The newest state of the paper: the last signed file, or the rendered PDF."""
    last = paper.signatures.order_by("-signed_at", "-pk").first()
    with (last.file if last else paper.document.file).open("rb") as handle:
        return handle.read()


def mask_iin(iin: str) -> str:
    """An IIN shown publicly: the first two and last two digits only."""
    return f"{iin[:2]}{'•' * 8}{iin[-2:]}" if len(iin) == 12 else ""


# --- the trust store ---------------------------------------------------------------------------------------------


def trust_store() -> tuple[list, list]:
    """(roots, intermediates) read from SIGNING_TRUST_STORE: a directory of certificate files, or one file."""
    path = Path(settings.SIGNING_TRUST_STORE)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in TRUST_SUFFIXES)
    else:
        files = [path] if path.is_file() else []
    roots, intermediates = [], []
    for file in files:
        for certificate in load_certs_from_pemder_data(file.read_bytes()):
            self_signed = certificate.subject == certificate.issuer
            (roots if self_signed else intermediates).append(certificate)
    return roots, intermediates


# --- whose turn --------------------------------------------------------------------------------------------------


def signer_role(user, paper: Paper) -> str | None:
    """The user's role on the paper's commission if that role signs this paper."""
    roles = Membership.objects.filter(commission_id=paper.commission_id, user=user).values_list("role", flat=True)
    return next((r for r in roles if r in paper.signer_roles), None)


def waiting_for(paper: Paper) -> str | None:
    """The first role in the signing order with someone who signs this paper and has not yet (None: nobody)."""
    signed = paper.signatures.values_list("signer_id", flat=True)
    pending = set(
        Membership.objects.filter(commission_id=paper.commission_id, role__in=paper.signer_roles)
        .exclude(user_id__in=signed)
        .values_list("role", flat=True)
    )
    return next((role for role in SIGNING_ORDER if role in pending), None)


def _check_turn(paper: Paper, role: str) -> None:
    first = waiting_for(paper)
    if first is not None and first != role and SIGNING_ORDER.index(first) < SIGNING_ORDER.index(role):
        raise ValidationError(
            _("It is not your turn yet: the %(role)s signs this document first.") % {"role": Membership.Role(first).label},
            code="turn",
        )


# --- 1. prepare --------------------------------------------------------------------------------------------------


def _prepare_pdf(data: bytes, *, field: str, name: str, reason: str, location: str):
    """The PDF with an empty signature field and a reserved hole; returns (bytes, PreparedByteRangeDigest)."""

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    embedder = PdfCMSEmbedder(new_field_spec=fields.SigFieldSpec(sig_field_name=field))
    steps = embedder.write_cms(field_name=field, writer=writer)
    next(steps)
    placeholder = SignatureObject(
        timestamp=timezone.now(),
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location,
        bytes_reserved=RESERVED_BYTES,
    )
    steps.send(SigObjSetup(sig_placeholder=placeholder))
    prepared_digest, output = steps.send(SigIOSetup(md_algorithm="sha256", in_place=False))
    return output.getvalue(), prepared_digest


@transaction.atomic
def signing_prepare(*, actor, paper: Paper) -> SigningRequest:
    """Prepares the paper for the actor's signature; what NCALayer must sign is `signing_payload` of the result."""
    role = signer_role(actor, paper)
    if role is None:
        raise ValidationError(_("Your role does not sign this document."), code="role")
    Paper.objects.select_for_update().filter(pk=paper.pk).first()  # one signer at a time on the same file
    if paper.signatures.filter(signer=actor).exists():
        raise ValidationError(_("You have already signed this document."), code="already")
    if not actor.iin:
        raise ValidationError(
            _("Your account has no IIN, so your signature cannot be matched to you: ask the portal's administrator.")
        )
    _check_turn(paper, role)
    base = current_bytes(paper)
    number = paper.signatures.count() + 1
    with translation.override(paper.document.language):  # the reason is part of the document: its language
        role_label = str(Membership.Role(role).label)
        reason = _("Signed by %(name)s, %(role)s of the commission") % {"name": actor.display_name, "role": role_label}
    prepared, digest = _prepare_pdf(
        base,
        field=f"Signature{number}",
        name=actor.display_name,
        reason=reason,
        location=paper.commission.institution.name_ru,
    )
    for old in SigningRequest.objects.filter(paper=paper, signer=actor):
        old.prepared.delete(save=False)
        old.delete()
    request = SigningRequest(
        paper=paper,
        signer=actor,
        role=role,
        region_start=digest.reserved_region_start,
        region_end=digest.reserved_region_end,
        digest=digest.document_digest.hex(),
        base_sha256=hashlib.sha256(base).hexdigest(),
        created_at=timezone.now(),
    )
    request.prepared.save(f"{paper.kind}-{number}-{actor.pk}.pdf", ContentFile(prepared), save=False)
    request.full_clean()
    request.save()
    audit_record(actor=actor, verb="paper.sign_prepare", obj=paper, after={"role": role})
    return request


def signing_payload(request: SigningRequest) -> bytes:
    """Exactly the bytes the signature covers: the prepared file without the reserved hole."""
    with request.prepared.open("rb") as handle:
        data = handle.read()
    return data[: request.region_start] + data[request.region_end :]


# --- 3. check and embed ------------------------------------------------------------------------------------------


def _load_cms(cms_base64: str):
    text = "".join(
        line for line in (cms_base64 or "").strip().splitlines() if not line.startswith("-----")
    )  # NCALayer may wrap it in PEM armour
    try:
        der = base64.b64decode(text, validate=True)
        if not der or len(der) > MAX_CMS_BYTES:
            raise ValueError
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data" or len(info["content"]["signer_infos"]) != 1:
            raise ValueError
        info.native  # noqa: B018 — parses everything now, so a malformed structure fails here and not later
    except (ValueError, TypeError, binascii.Error):
        raise ValidationError(
            _("NCALayer did not return a signature the portal can read. Sign again."), code="cms"
        ) from None
    return info


def _signer_certificate(info):
    signer = info["content"]["signer_infos"][0]
    sid = signer["sid"]
    for choice in info["content"]["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.issuer == wanted["issuer"] and cert.serial_number == wanted["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise ValidationError(_("The signature does not carry the signer's certificate. Sign again."), code="cms")


def is_gost(info, cert) -> bool:
    signer = info["content"]["signer_infos"][0]
    oids = (
        signer["signature_algorithm"]["algorithm"].dotted,
        signer["digest_algorithm"]["algorithm"].dotted,
        cert.public_key["algorithm"]["algorithm"].dotted,
    )
    return any(oid.startswith(GOST_OID_PREFIXES) for oid in oids)


def certificate_iin(cert) -> str:
    serial = cert.subject.native.get("serial_number", "") or ""
    return serial[3:] if serial.upper().startswith("IIN") else ""


def _check_certificate(cert, *, actor, at: dt.datetime) -> None:
    """The checks a secretary can act on, each with its own words; the chain and the bytes come after."""
    usage = set(cert.key_usage_value.native) if cert.key_usage_value is not None else set()
    if "non_repudiation" not in usage:
        raise ValidationError(
            _(
                "You chose your authentication key (AUTH_…). Documents are signed with the signing key: "
                "in NCALayer choose the file whose name starts with RSA256_ (or GOSTKNCA_)."
            ),
            code="auth_key",
        )
    iin = certificate_iin(cert)
    if iin != actor.iin:
        raise ValidationError(
            _(
                "This key belongs to someone else (IIN %(iin)s), not to %(name)s whose turn it is. "
                "Choose your own key in NCALayer."
            )
            % {"iin": mask_iin(iin) or _("none"), "name": actor.display_name},
            code="wrong_person",
        )
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if at > not_after:
        raise ValidationError(
            _("Your certificate expired on %(date)s. Get a new one from NCA RK (pki.gov.kz), then sign again.")
            % {"date": date_format(timezone.localtime(not_after), "DATE_FORMAT")},
            code="expired",
        )
    if at < not_before:
        raise ValidationError(_("Your certificate is not valid yet. Try again later."), code="not_yet_valid")


@transaction.atomic
def signing_finish(*, actor, request: SigningRequest, cms_base64: str) -> Signature:
    """Checks the CMS NCALayer made and, only if everything holds, keeps the signed file as the paper's newest state."""
    if request.signer_id != actor.pk:
        raise ValidationError(_("This signing was started by someone else."), code="role")
    paper = request.paper
    Paper.objects.select_for_update().filter(pk=paper.pk).first()
    if hashlib.sha256(current_bytes(paper)).hexdigest() != request.base_sha256:
        raise ValidationError(_("Someone signed the document meanwhile. Press «Sign» again."), code="stale")
    info = _load_cms(cms_base64)
    cert = _signer_certificate(info)
    if is_gost(info, cert):
        raise ValidationError(
            _(
                "The portal cannot check ГОСТ signatures yet. In NCALayer choose your RSA signing key "
                "(the file whose name starts with RSA256_)."
            ),
            code="gost",
        )
    now = timezone.now()
    _check_certificate(cert, actor=actor, at=now)

    with request.prepared.open("rb") as handle:
        output = io.BytesIO(handle.read())
    if len(info.dump()) * 2 > request.region_end - request.region_start - 2:
        raise ValidationError(_("The signature is too large for the document. Sign again without a time-stamp."))
    PreparedByteRangeDigest(bytes.fromhex(request.digest), request.region_start, request.region_end).fill_with_cms(
        output, info
    )
    data = output.getvalue()
    check = _outside_event_loop(_check_last, data)
    if check["error"]:
        raise ValidationError(check["error"], code=check["code"])
    signature = Signature(
        paper=paper,
        signer=actor,
        role=request.role,
        signed_at=now,
        certificate_subject=cert.subject.human_friendly[:500],
        certificate_issuer=cert.issuer.human_friendly[:500],
        certificate_serial=format(cert.serial_number, "x")[:64],
        signer_iin=certificate_iin(cert),
        revocation_checked=check["revocation"] == "checked",
        timestamp_at=check["timestamp_at"],
        sha256=hashlib.sha256(data).hexdigest(),
    )
    number = paper.signatures.count() + 1
    signature.file.save(f"{paper.kind}-{number}.pdf", ContentFile(data), save=False)
    signature.full_clean()
    signature.save()
    request.prepared.delete(save=False)
    request.delete()
    audit_record(
        actor=actor,
        verb="paper.sign",
        obj=paper,
        after={"role": signature.role, "sha256": signature.sha256, "certificate": signature.certificate_serial},
    )
    if paper.kind != Paper.Kind.VEDOMOST and paper_fully_signed(paper):
        _send_to_members(paper)
    return signature


def _check_last(data: bytes) -> dict:
    """pyHanko's verdict on the newest signature of `data`, as a refusal a secretary understands (or none)."""
    roots, intermediates = trust_store()
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[-1]
    result = _signature_result(embedded, roots, intermediates)
    error, code = None, None
    if not result["intact"]:
        error, code = _("The signature was made over different data than this document. Press «Sign» again."), "bytes"
    elif not result["trusted"]:
        if result["revocation"] == "revoked":
            error, code = _("Your certificate has been revoked. Get a new one from NCA RK (pki.gov.kz)."), "revoked"
        else:
            error, code = (
                _(
                    "Your certificate was not issued by a certification authority the portal trusts (NCA RK). "
                    "Sign with a key issued by NCA RK."
                ),
                "untrusted",
            )
    elif result["revocation"] != "checked" and settings.SIGNING_REVOCATION == "require":
        error, code = _("It could not be checked whether your certificate is revoked. Try again later."), "revocation"
    return {**result, "error": error, "code": code}


def _validation_context(roots, intermediates, *, hard: bool, fetch: bool):
    return ValidationContext(
        trust_roots=roots,
        other_certs=intermediates,
        allow_fetching=fetch,
        revocation_mode="require" if hard else "soft-fail",
    )


def _signature_result(embedded, roots, intermediates) -> dict:
    """One embedded signature: intact, trusted, revocation ("checked" / "unchecked" / "revoked"), the signer."""
    cert = embedded.signer_cert
    base = {
        "field": embedded.field_name,
        "name": str(embedded.sig_object.get("/Name", "")),
        "reason": str(embedded.sig_object.get("/Reason", "")),
        "issuer": cert.issuer.native.get("common_name", ""),
        "common_name": cert.subject.native.get("common_name", ""),
        "iin_masked": mask_iin(certificate_iin(cert)),
        "signed_at": embedded.self_reported_timestamp,
        "timestamp_at": None,
        "unsupported": False,
    }
    if _gost_embedded(embedded):
        return {**base, "intact": False, "trusted": False, "unsupported": True, "revocation": "unchecked", "whole": False}
    mode = settings.SIGNING_REVOCATION
    fetch = mode != "off"
    status = validate_pdf_signature(embedded, _validation_context(roots, intermediates, hard=fetch, fetch=fetch))
    revocation = "checked" if fetch and status.trusted else "unchecked"
    if fetch and not status.trusted:
        status = validate_pdf_signature(embedded, _validation_context(roots, intermediates, hard=False, fetch=True))
        if status.revocation_details is not None:
            revocation = "revoked"
    timestamp = status.timestamp_validity
    return {
        **base,
        "intact": bool(status.intact and status.valid),
        "trusted": bool(status.trusted),
        "revocation": revocation,
        "signed_at": status.signer_reported_dt or base["signed_at"],
        "timestamp_at": timestamp.timestamp if timestamp is not None else None,
        "whole": status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        "modified": status.docmdp_ok is False,
    }


def _gost_embedded(embedded) -> bool:
    info = cms.ContentInfo({"content_type": "signed_data", "content": embedded.signed_data})
    return is_gost(info, embedded.signer_cert)


def _send_to_members(paper: Paper) -> None:
    """The signed protocol goes to every member of the commission: their page and e-mail (R36)."""
    url = reverse("commissions:paper_download", args=[paper.pk])
    for membership in Membership.objects.filter(commission_id=paper.commission_id).select_related("user"):
        notify(
            user=membership.user,
            kind="protocol_signed",
            template="commissions/email/protocol_signed",
            context={"paper": paper, "commission": paper.commission},
            url=url,
        )


def paper_fully_signed(paper: Paper) -> bool:
    signed = set(paper.signatures.values_list("role", flat=True))
    needed = set(
        Membership.objects.filter(commission_id=paper.commission_id, role__in=paper.signer_roles).values_list(
            "role", flat=True
        )
    )
    return needed <= signed and bool(signed)


# --- verification anyone can run ---------------------------------------------------------------------------------


def _outside_event_loop(fn, *args):
    """pyHanko calls asyncio.run(); where a loop already runs in this thread (ASGI, tests), use another thread."""

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def pdf_verify(data: bytes) -> dict:
    """The verdict on a PDF: valid / altered / untrusted / unsigned / unsupported (ГОСТ), and each signature."""
    return _outside_event_loop(_verify, data)


VERDICTS = ("valid", "altered", "untrusted", "unsigned", "unsupported")


def _verify(data: bytes) -> dict:
    roots, intermediates = trust_store()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = [_signature_result(embedded, roots, intermediates) for embedded in reader.embedded_signatures]
    except Exception:  # noqa: BLE001 — a file whose structure no longer parses was damaged or altered
        return {"verdict": "altered", "ok": False, "damaged": True, "signatures": [], "revocation_unchecked": False}
    if not signatures:
        verdict = "unsigned"
    elif any(not s["unsupported"] and (not s["intact"] or s.get("modified")) for s in signatures):
        verdict = "altered"
    elif not signatures[-1]["unsupported"] and not signatures[-1]["whole"]:
        verdict = "altered"  # something was added after the last signature
    elif any(s["unsupported"] for s in signatures):
        verdict = "unsupported"
    elif not all(s["trusted"] for s in signatures):
        verdict = "untrusted"
    else:
        verdict = "valid"
    return {
        "verdict": verdict,
        "ok": verdict == "valid",
        "damaged": False,
        "signatures": signatures,
        "revocation_unchecked": any(s["revocation"] != "checked" for s in signatures),
    }
