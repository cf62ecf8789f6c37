"""Signatures with the signer's own key (NCALayer's CMS), checked before they count; verification anyone can run."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commissions.models import Paper, Signature, SigningRequest
from commissions.papers import services, signing, testca

pytestmark = pytest.mark.django_db


@pytest.fixture
def protocol(world, slot, announced, media):
    for user in (world.chair, world.secretary, world.member):
        user.iin = testca.iin_for(user.pk)
        user.save()
    return services.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)


def finish_with(actor, paper, person, *, payload: bytes | None = None):
    pending = signing.signing_prepare(actor=actor, paper=paper)
    cms = testca.cms_sign(payload if payload is not None else signing.signing_payload(pending), person)
    return signing.signing_finish(actor=actor, request=pending, cms_base64=base64.b64encode(cms).decode())


def test_secretary_then_chair_sign_and_the_file_verifies_with_both(world, protocol):
    testca.sign_as(actor=world.secretary, paper=protocol)
    testca.sign_as(actor=world.chair, paper=protocol)
    report = signing.pdf_verify(signing.current_bytes(protocol))
    assert report["verdict"] == "valid", report
    assert [s["common_name"] for s in report["signatures"]] == [
        world.secretary.display_name.upper(),
        world.chair.display_name.upper(),
    ]
    assert all(s["intact"] and s["trusted"] for s in report["signatures"])
    assert report["signatures"][1]["iin_masked"] == f"{world.chair.iin[:2]}••••••••{world.chair.iin[-2:]}"
    chair_signature = Signature.objects.get(signer=world.chair)
    assert chair_signature.signer_iin == world.chair.iin and "TEST" in chair_signature.certificate_issuer
    assert not SigningRequest.objects.exists()
    assert signing.paper_fully_signed(protocol)
    assert world.member.notifications.filter(kind="protocol_signed").count() == 1  # R36: to every member


def test_the_chair_waits_for_the_secretary(world, protocol):
    with pytest.raises(ValidationError, match="not your turn"):
        signing.signing_prepare(actor=world.chair, paper=protocol)
    with pytest.raises(ValidationError, match="does not sign"):
        signing.signing_prepare(actor=world.member, paper=protocol)  # members sign vedomosti


def test_a_second_signature_by_the_same_person_is_refused(world, protocol):
    testca.sign_as(actor=world.secretary, paper=protocol)
    with pytest.raises(ValidationError, match="already"):
        signing.signing_prepare(actor=world.secretary, paper=protocol)


def test_another_persons_key_is_refused(world, protocol):
    someone = testca.shared_ca().person(iin=testca.iin_for(world.chair.pk + 500), name="Бөтен Адам")
    with pytest.raises(ValidationError, match="belongs to someone else") as refused:
        finish_with(world.secretary, protocol, someone)
    assert refused.value.error_list[0].code == "wrong_person"
    assert not Signature.objects.exists()


def test_an_expired_certificate_is_refused(world, protocol):
    now = dt.datetime.now(dt.UTC)
    expired = testca.shared_ca().person(
        iin=world.secretary.iin,
        name="Хатшы Айгүл",
        not_before=now - dt.timedelta(days=400),
        not_after=now - dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="expired on"):
        finish_with(world.secretary, protocol, expired)
    assert not Signature.objects.exists()


def test_the_authentication_key_is_refused(world, protocol):
    auth = testca.shared_ca().person(iin=world.secretary.iin, name="Хатшы Айгүл", purpose="auth")
    with pytest.raises(ValidationError, match="authentication key"):
        finish_with(world.secretary, protocol, auth)


def test_a_key_from_an_untrusted_root_is_refused(world, protocol):
    stranger = testca.make_ca("UNTRUSTED").person(iin=world.secretary.iin, name="Хатшы Айгүл")
    with pytest.raises(ValidationError, match="not issued by a certification authority the portal trusts"):
        finish_with(world.secretary, protocol, stranger)
    assert not Signature.objects.exists()


def test_a_cms_over_different_bytes_is_refused(world, protocol):
    own = testca.person_for(testca.shared_ca(), world.secretary)
    with pytest.raises(ValidationError, match="different data"):
        finish_with(world.secretary, protocol, own, payload=b"%PDF-1.7 some other document")
    assert not Signature.objects.exists()


def test_garbage_instead_of_a_cms_is_refused(world, protocol):
    pending = signing.signing_prepare(actor=world.secretary, paper=protocol)
    for junk in ("", "not base64!", base64.b64encode(b"\x30\x03\x02\x01\x01").decode()):
        with pytest.raises(ValidationError, match="did not return a signature"):
            signing.signing_finish(actor=world.secretary, request=pending, cms_base64=junk)


def test_an_account_without_an_iin_cannot_start_signing(world, protocol):
    world.secretary.iin = ""
    world.secretary.save()
    with pytest.raises(ValidationError, match="no IIN"):
        signing.signing_prepare(actor=world.secretary, paper=protocol)


def test_a_signature_started_before_someone_else_signed_must_start_again(world, protocol, member2):
    vedomost = services.paper_render(actor=world.secretary, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)
    member2.iin = testca.iin_for(member2.pk)
    member2.save()
    first = signing.signing_prepare(actor=world.member, paper=vedomost)
    testca.sign_as(actor=member2, paper=vedomost)
    person = testca.person_for(testca.shared_ca(), world.member)
    cms = base64.b64encode(testca.cms_sign(signing.signing_payload(first), person)).decode()
    with pytest.raises(ValidationError, match="meanwhile"):
        signing.signing_finish(actor=world.member, request=first, cms_base64=cms)
    testca.sign_as(actor=world.member, paper=vedomost)
    testca.sign_as(actor=world.chair, paper=vedomost)
    assert signing.pdf_verify(signing.current_bytes(vedomost))["verdict"] == "valid"


def test_one_changed_byte_shows_as_altered(world, protocol):
    testca.sign_as(actor=world.secretary, paper=protocol)
    data = bytearray(signing.current_bytes(protocol))
    start = data.index(b"stream", data.index(b"/Contents")) + 40  # inside a signed content stream
    data[start] ^= 0x01
    assert signing.pdf_verify(bytes(data))["verdict"] == "altered"


def test_a_pdf_without_signatures_is_not_signed(world, protocol):
    assert signing.pdf_verify(protocol.document.file.read())["verdict"] == "unsigned"


def test_a_root_removed_from_the_trust_store_makes_the_signer_untrusted(world, protocol, settings, tmp_path):
    testca.sign_as(actor=world.secretary, paper=protocol)
    settings.SIGNING_TRUST_STORE = tmp_path / "empty"
    assert signing.pdf_verify(signing.current_bytes(protocol))["verdict"] == "untrusted"


def test_revocation_that_cannot_be_checked_is_said_not_hidden(world, protocol, settings):
    testca.sign_as(actor=world.secretary, paper=protocol)
    report = signing.pdf_verify(signing.current_bytes(protocol))
    assert report["revocation_unchecked"] and report["signatures"][0]["revocation"] == "unchecked"
    settings.SIGNING_REVOCATION = "require"
    with pytest.raises(ValidationError, match="could not be checked whether"):
        testca.sign_as(actor=world.chair, paper=protocol)


def test_verification_pages_say_valid_altered_and_refuse_hostile_files(client, world, protocol, settings):
    client.cookies["django_language"] = "en"
    testca.sign_as(actor=world.secretary, paper=protocol)
    page = client.get(reverse("commissions:verify_paper", args=[protocol.pk])).content.decode()
    assert "alert-success" in page and world.secretary.display_name in page
    assert "technical secretary" in page and world.secretary.iin not in page and world.secretary.iin[-2:] in page
    assert "revocation not checked" in page
    data = signing.current_bytes(protocol)
    url = reverse("commissions:verify_upload")
    ok = client.post(url, {"pdf": SimpleUploadedFile("p.pdf", data)}).content.decode()
    assert "alert-success" in ok and "portal" in ok
    bad = bytearray(data)
    bad[bad.index(b"stream", bad.index(b"/Contents")) + 40] ^= 0x01  # inside a signed content stream
    altered = client.post(url, {"pdf": SimpleUploadedFile("p.pdf", bytes(bad))}).content.decode()
    assert "Altered after signing" in altered
    not_pdf = client.post(url, {"pdf": SimpleUploadedFile("p.pdf", b"MZ\x90\x00 not a pdf")}).content.decode()
    assert "alert-danger" in not_pdf and "Valid" not in not_pdf
    script = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"
    scripted = client.post(url, {"pdf": SimpleUploadedFile("p.pdf", script)}).content.decode()
    assert "scripts" in scripted
    settings.SIGNING_MAX_VERIFY_BYTES = 1024
    huge = client.post(url, {"pdf": SimpleUploadedFile("p.pdf", data)}).content.decode()
    assert "alert-danger" in huge and "Valid" not in huge


def test_sign_endpoints_prepare_then_accept_the_cms(client, world, protocol):
    client.cookies["django_language"] = "en"
    client.force_login(world.secretary)
    prepared = client.post(reverse("commissions:paper_sign", args=[protocol.pk])).json()
    payload = base64.b64decode(prepared["data"])
    cms = testca.cms_sign(payload, testca.person_for(testca.shared_ca(), world.secretary))
    client.force_login(world.chair)
    assert client.post(prepared["finish"], {"cms": base64.b64encode(cms).decode()}).status_code == 404  # not theirs
    client.force_login(world.secretary)
    assert client.post(prepared["finish"], {"cms": base64.b64encode(cms).decode()}).json() == {"ok": True}
    assert Signature.objects.get().signer == world.secretary
    refused = client.post(reverse("commissions:paper_sign", args=[protocol.pk]))
    assert refused.status_code == 400 and "already" in refused.json()["error"]
