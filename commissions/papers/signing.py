"""PAdES signatures by pyHanko: the signer's own PKCS#12 if uploaded, else the institution's certificate.

The institution's root and signing certificates are made on first use and kept in the database. Each signer adds
an incremental signature on top of the previous ones; the reason field says who signed and in what role.
"""

import datetime as dt
import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.notifications import notify
from attestation.institutions.models import Institution
from commissions.models import Membership, Paper, Signature, SigningKey

VALID_YEARS = 10


def _name(common_name: str, organisation: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )


def _certificate(*, subject, issuer, public_key, issuer_key, is_ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=not is_ca,
        content_commitment=not is_ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=is_ca,
        crl_sign=is_ca,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if not is_ca:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(certificate=None, key=None) -> str:
    from cryptography.hazmat.primitives import serialization

    if certificate is not None:
        return certificate.public_bytes(serialization.Encoding.PEM).decode()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _create_institution_keys(institution: Institution) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(f"{institution.short_name} attestation root", institution.name_ru)
    ca = _certificate(subject=ca_name, issuer=ca_name, public_key=ca_key.public_key(), issuer_key=ca_key, is_ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(f"{institution.short_name} attestation commission", institution.name_ru)
    certificate = _certificate(subject=subject, issuer=ca_name, public_key=key.public_key(), issuer_key=ca_key, is_ca=False)
    now = timezone.now()
    SigningKey.objects.create(
        kind=SigningKey.Kind.INSTITUTION_CA,
        institution=institution,
        certificate_pem=_pem(ca),
        key_pem=_pem(key=ca_key),
        subject=ca.subject.rfc4514_string(),
        created_at=now,
    )
    SigningKey.objects.create(
        kind=SigningKey.Kind.INSTITUTION,
        institution=institution,
        certificate_pem=_pem(certificate),
        key_pem=_pem(key=key),
        subject=certificate.subject.rfc4514_string(),
        created_at=now,
    )


def institution_keys(institution: Institution) -> tuple[SigningKey, SigningKey]:
    """The institution's root and signing certificates, made once (a concurrent first use keeps one pair)."""
    if not SigningKey.objects.filter(institution=institution, kind=SigningKey.Kind.INSTITUTION).exists():
        try:
            with transaction.atomic():
                _create_institution_keys(institution)
        except IntegrityError:
            pass
    keys = {k.kind: k for k in SigningKey.objects.filter(institution=institution).exclude(kind="personal")}
    return keys[SigningKey.Kind.INSTITUTION_CA], keys[SigningKey.Kind.INSTITUTION]


def _asn1(pem: str):
    from pyhanko.keys import load_certs_from_pemder_data

    return next(iter(load_certs_from_pemder_data(pem.encode())))


def _signer(*, user, institution: Institution, pkcs12_password: str | None):
    """The signer's own certificate if they uploaded one, else the institution's."""
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    personal = SigningKey.objects.filter(user=user, kind=SigningKey.Kind.PERSONAL).first()
    if personal is not None:
        signer = signers.SimpleSigner.load_pkcs12_data(
            bytes(personal.pkcs12), other_certs=[], passphrase=(pkcs12_password or "").encode() or None
        )
        if signer is None:
            raise ValidationError(_("The password of your certificate file is wrong."))
        return signer, personal.subject, True
    ca, own = institution_keys(institution)
    signer = signers.SimpleSigner(
        signing_cert=_asn1(own.certificate_pem),
        signing_key=load_private_key_from_pemder_data(own.key_pem.encode(), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(ca.certificate_pem)]),
    )
    return signer, own.subject, False


def current_bytes(paper: Paper) -> bytes:
    """The newest state of the paper: the last signed file, or the rendered PDF."""
    last = paper.signatures.order_by("-signed_at", "-pk").first()
    with (last.file if last else paper.document.file).open("rb") as handle:
        return handle.read()


def pdf_sign(data: bytes, *, signer, field: str, name: str, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    meta = PdfSignatureMetadata(
        field_name=field, name=name, reason=reason, location=location, subfilter=fields.SigSeedSubFilter.PADES
    )
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer).getvalue()


@transaction.atomic
def paper_sign(*, actor, paper: Paper, password: str, pkcs12_password: str | None = None) -> Signature:
    """Re-authenticates the signer, then adds their incremental PAdES signature (R36, R37)."""
    if not actor.check_password(password):
        raise ValidationError(_("The password is wrong: signing needs you to confirm who you are."), code="reauth")
    role = Membership.objects.filter(commission_id=paper.commission_id, user=actor).values_list("role", flat=True).first()
    if role not in paper.signer_roles:
        raise ValidationError(_("Your role does not sign this document."))
    Paper.objects.select_for_update().filter(pk=paper.pk).first()  # one signer at a time on the same file
    if paper.signatures.filter(signer=actor).exists():
        raise ValidationError(_("You have already signed this document."))
    institution = paper.commission.institution
    signer, subject, own = _signer(user=actor, institution=institution, pkcs12_password=pkcs12_password)
    with translation.override(paper.document.language):  # the reason is part of the document: its language
        role_label = str(Membership.Role(role).label)
        reason = _("Signed by %(name)s, %(role)s of the commission") % {"name": actor.display_name, "role": role_label}
    number = paper.signatures.count() + 1
    data = pdf_sign(
        current_bytes(paper),
        signer=signer,
        field=f"Signature{number}",
        name=actor.display_name,
        reason=reason,
        location=institution.name_ru,
    )
    signature = Signature(
        paper=paper,
        signer=actor,
        role=role,
        signed_at=timezone.now(),
        certificate_subject=subject,
        own_certificate=own,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    signature.file.save(f"{paper.kind}-{number}.pdf", ContentFile(data), save=False)
    signature.save()
    audit_record(actor=actor, verb="paper.sign", obj=paper, after={"role": role, "sha256": signature.sha256})
    if paper.kind != Paper.Kind.VEDOMOST and paper_fully_signed(paper):
        _send_to_members(paper)
    return signature


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


def trust_roots() -> list:
    """The institutions' roots; a person's own certificate is trusted only through a root configured here."""
    return [_asn1(k.certificate_pem) for k in SigningKey.objects.filter(kind=SigningKey.Kind.INSTITUTION_CA)]


def _outside_event_loop(fn, *args):
    """pyHanko calls asyncio.run(); where a loop already runs in this thread (ASGI, tests), use another thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def pdf_verify(data: bytes) -> dict:
    """Each signature's signer, reason and time, and whether the file is intact and the certificate trusted."""
    roots = trust_roots()
    return _outside_event_loop(_verify, data, roots)


def _verify(data: bytes, roots: list) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data))
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        signatures = []
        for embedded in reader.embedded_signatures:
            status = validate_pdf_signature(embedded, context)
            signatures.append(
                {
                    "field": embedded.field_name,
                    "subject": status.signing_cert.subject.human_friendly,
                    "name": str(embedded.sig_object.get("/Name", "")),
                    "reason": str(embedded.sig_object.get("/Reason", "")),
                    "signed_at": status.signer_reported_dt,
                    "intact": status.intact and status.valid,
                    "trusted": status.trusted,
                    "whole_file": status.coverage.name == "ENTIRE_FILE",
                }
            )
    except Exception as exc:  # a damaged file cannot be parsed: that is itself the answer
        return {"ok": False, "damaged": True, "error": str(exc)[:300], "signatures": []}
    ok = bool(signatures) and all(s["intact"] and s["trusted"] for s in signatures) and signatures[-1]["whole_file"]
    return {"ok": ok, "damaged": False, "signatures": signatures}


MAX_PKCS12_BYTES = 64 * 1024


@transaction.atomic
def personal_certificate_upload(*, actor, data: bytes, password: str) -> SigningKey:
    """Keeps the person's PKCS#12 (still protected by its password, which is not stored) for their signatures."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not data or len(data) > MAX_PKCS12_BYTES or data[:1] != b"\x30":
        raise ValidationError(_("This is not a PKCS#12 (.p12 / .pfx) certificate file."))
    try:
        key, certificate, _extra = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError as exc:
        raise ValidationError(_("The file cannot be opened with this password.")) from exc
    if key is None or certificate is None:
        raise ValidationError(_("The file holds no private key and certificate."))
    SigningKey.objects.filter(user=actor, kind=SigningKey.Kind.PERSONAL).delete()
    personal = SigningKey.objects.create(
        kind=SigningKey.Kind.PERSONAL,
        user=actor,
        certificate_pem=_pem(certificate),
        pkcs12=data,
        subject=certificate.subject.rfc4514_string(),
        created_at=timezone.now(),
    )
    audit_record(actor=actor, verb="certificate.upload", obj=personal, after={"subject": personal.subject})
    return personal
