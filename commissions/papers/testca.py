"""A certificate authority shaped like NCA RK's, for the test suite, the benchmark and the demo only.

Root → intermediate → personal certificates whose subject carries the IIN as `serialNumber=IIN…`, with the two
kinds of keys NCA RK issues to a person: a signing key (digitalSignature + nonRepudiation, e-mail protection) and an
authentication key (digitalSignature + keyEncipherment, client authentication). Every name says TEST or DEMO: none
of these is a person's key, and production trusts only the roots its operator installs (SIGNING_TRUST_STORE).

`cms_sign` makes what NCALayer's `kz.gov.pki.knca.basics` `sign` returns for `format: "cms"`, `encapsulate: false`:
a detached CMS (CAdES-BES) with signed attributes over the given bytes, carrying the signer's certificate.
"""

import asyncio
import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from attestation.institutions.validators import iin_with_check_digit
from commissions.papers import signing

KEY_BITS = 2048


@dataclass
class Issued:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass
class CA:
    root: Issued
    intermediate: Issued
    label: str

    def person(
        self,
        *,
        iin: str,
        name: str,
        purpose: str = "sign",
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> Issued:
        """A personal certificate like NCA RK's: `purpose` is "sign" (RSA256_…) or "auth" (AUTH_RSA256_…)."""
        key = _key()
        now = dt.datetime.now(dt.UTC)
        surname, _space, given = name.partition(" ")
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, _fit(name.upper())),
                x509.NameAttribute(NameOID.SURNAME, _fit(surname.upper() or name.upper())),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                x509.NameAttribute(NameOID.GIVEN_NAME, _fit((given or name).upper())),
            ]
        )
        signing = purpose == "sign"
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=signing,
            key_encipherment=not signing,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
        eku = ExtendedKeyUsageOID.EMAIL_PROTECTION if signing else ExtendedKeyUsageOID.CLIENT_AUTH
        certificate = (
            _builder(
                subject=subject,
                issuer=self.intermediate,
                public_key=key.public_key(),
                not_before=not_before or now - dt.timedelta(days=1),
                not_after=not_after or now + dt.timedelta(days=365),
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
            .sign(self.intermediate.key, hashes.SHA256())
        )
        return Issued(certificate, key)

    def write_trust_store(self, directory: Path) -> None:
        """The root and the intermediate as PEM files, as the operator installs NCA RK's."""
        directory.mkdir(parents=True, exist_ok=True)
        for part, issued in (("root", self.root), ("intermediate", self.intermediate)):
            (directory / f"{self.label}-{part}.pem").write_bytes(pem(issued.certificate))


def _fit(text: str) -> str:
    """X.520 names hold at most 64 bytes of UTF-8."""
    while len(text.encode()) > 64:
        text = text[:-1]
    return text


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def _ca_name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")])


def _builder(*, subject, issuer: Issued | None, public_key, not_before, not_after):
    issuer_name = issuer.certificate.subject if issuer else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    authority = issuer.key.public_key() if issuer else public_key
    return builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority), critical=False)


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(label: str = "TEST") -> CA:
    """A fresh root and intermediate named after NCA RK's with `label` (TEST, DEMO, UNTRUSTED) in the names."""
    now = dt.datetime.now(dt.UTC)
    root_key = _key()
    root_name = _ca_name(f"ROOT CA {label} (NOT NCA RK)")
    root_cert = (
        _builder(
            subject=root_name,
            issuer=None,
            public_key=root_key.public_key(),
            not_before=now - dt.timedelta(days=2),
            not_after=now + dt.timedelta(days=3650),
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    root = Issued(root_cert, root_key)
    inter_key = _key()
    inter_cert = (
        _builder(
            subject=_ca_name(f"ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ {label}"),
            issuer=root,
            public_key=inter_key.public_key(),
            not_before=now - dt.timedelta(days=2),
            not_after=now + dt.timedelta(days=1825),
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    return CA(root=root, intermediate=Issued(inter_cert, inter_key), label=label)


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _pyhanko_signer(person: Issued):

    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(person.certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=load_private_key_from_pemder_data(key_pem(person.key), passphrase=None),
        cert_registry=SimpleCertificateStore(),
    )


async def async_cms_sign(data: bytes, person: Issued) -> bytes:
    """A detached CMS with signed attributes over `data`, as NCALayer makes it (asyncio callers)."""
    signed = await _pyhanko_signer(person).async_sign_general_data(data, "sha256", detached=True)
    return signed.dump()


def cms_sign(data: bytes, person: Issued) -> bytes:
    """`async_cms_sign` for synchronous callers outside an event loop."""
    return asyncio.run(async_cms_sign(data, person))


# --- signing as a test or demo person (the same prepare → CMS → finish path the browser takes) --------------------

_SHARED: dict = {}


def iin_for(pk: int) -> str:
    """A valid, made-up IIN for a test or demo account (born 1 January 1980, the account's number after)."""
    for offset in range(0, 100000, 7919):
        iin = iin_with_check_digit(f"800101{(pk + offset) % 100000:05d}")
        if iin:
            return iin
    raise ValueError(pk)


def shared_ca() -> CA:
    """This process's TEST CA, its root and intermediate written into the configured trust store."""
    if "test" not in _SHARED:
        _SHARED["test"] = make_ca("TEST")
    _SHARED["test"].write_trust_store(Path(settings.SIGNING_TRUST_STORE))
    return _SHARED["test"]


def demo_ca() -> CA:
    """The demo's own CA, kept under var/demo-ca so the demo's documents stay valid across restarts; trusted only
    because the demo seed writes its root into the demo's trust store. Its keys sign nothing of a real person."""
    if "demo" not in _SHARED:
        folder = Path(settings.VAR_DIR) / "demo-ca"
        parts = {part: (folder / f"{part}.pem", folder / f"{part}.key") for part in ("root", "intermediate")}
        if all(cert.exists() and key.exists() for cert, key in parts.values()):
            loaded = {
                part: Issued(
                    x509.load_pem_x509_certificate(cert.read_bytes()),
                    load_pem_private_key(key.read_bytes(), password=None),
                )
                for part, (cert, key) in parts.items()
            }
            ca = CA(root=loaded["root"], intermediate=loaded["intermediate"], label="DEMO")
        else:
            ca = make_ca("DEMO")
            folder.mkdir(parents=True, exist_ok=True)
            for part, issued in (("root", ca.root), ("intermediate", ca.intermediate)):
                parts[part][0].write_bytes(pem(issued.certificate))
                parts[part][1].write_bytes(key_pem(issued.key))
                parts[part][1].chmod(0o600)
        _SHARED["demo"] = ca
    _SHARED["demo"].write_trust_store(Path(settings.SIGNING_TRUST_STORE))
    return _SHARED["demo"]


def person_for(ca: CA, user, *, purpose: str = "sign") -> Issued:
    """The user's made-up certificate from `ca` (cached per process); gives the account an IIN if it has none."""
    if not user.iin:
        user.iin = iin_for(user.pk)
        user.save(update_fields=["iin"])
    key = (ca.label, id(ca), user.iin, user.display_name, purpose)  # SQLite reuses ids, hence IINs, across tests
    if key not in _SHARED:
        _SHARED[key] = ca.person(iin=user.iin, name=user.display_name, purpose=purpose)
    return _SHARED[key]


def sign_as(*, actor, paper, ca: CA | None = None):
    """Signs `paper` as `actor` through signing_prepare → a CMS like NCALayer's → signing_finish."""
    person = person_for(ca or shared_ca(), actor)
    pending = signing.signing_prepare(actor=actor, paper=paper)
    cms = cms_sign(signing.signing_payload(pending), person)
    return signing.signing_finish(actor=actor, request=pending, cms_base64=base64.b64encode(cms).decode())
