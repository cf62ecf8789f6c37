"""In a real headless Chromium, with the production NCALayer client (static/js/ncalayer.js) talking to the stand-in
NCALayer: NCALayer not running is explained; a wrong key is refused in words; the member signs the vedomost, the
secretary and the chair sign the protocol (R36: protocols are the chair's and the secretary's, vedomosti the
members' and the chair's); one altered byte makes the public verification page say so."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from commissions.models import Paper, Signature
from commissions.papers import services, signing, testca

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"


def open_as(browser, live_server, user, *, width=1280, language="en"):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language, accept_downloads=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw-attest-1")
    page.click("form[method=post] button[type=submit].w-100")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
    return page


def sign_in_page(page, live_server, world, paper):
    page.goto(f"{live_server.url}/sittings/{world.sitting.pk}/documents/")
    page.click(f"[data-sign-url='/papers/{paper.pk}/sign/']")


def test_member_secretary_and_chair_sign_in_the_browser_and_an_altered_byte_is_caught(
    live_server, browser, world, slot, announced, ncalayer, settings, tmp_path
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path
    SHOTS.mkdir(parents=True, exist_ok=True)
    ca = testca.shared_ca()
    for user in (world.member, world.secretary, world.chair):
        user.iin = testca.iin_for(user.pk)
        user.save()
    protocol = services.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot)
    vedomost = services.paper_render(actor=world.secretary, kind=Paper.Kind.VEDOMOST, sitting=world.sitting)

    member = open_as(browser, live_server, world.member)
    # NCALayer not running: the page says how to start it.
    stand_in_url, policy = settings.NCALAYER_URL, settings.CONTENT_SECURITY_POLICY
    settings.NCALAYER_URL = "ws://127.0.0.1:9/"
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "connect-src": ["'self'", "ws://127.0.0.1:9/"]}
    }
    sign_in_page(member, live_server, world, vedomost)
    member.wait_for_selector("#ncalayer-status:has-text('NCALayer is not running')")
    member.screenshot(path=str(SHOTS / "signing-1-ncalayer-not-running.png"))
    settings.NCALAYER_URL, settings.CONTENT_SECURITY_POLICY = stand_in_url, policy

    # The chair picks the member's key in NCALayer: refused, with whose key it is.
    ncalayer.key = testca.person_for(ca, world.member)
    chair = open_as(browser, live_server, world.chair)
    sign_in_page(member, live_server, world, vedomost)
    member.wait_for_selector("text=Signed.")
    assert Signature.objects.get(paper=vedomost).signer == world.member
    request = ncalayer.requests[-1]
    assert request["module"] == "kz.gov.pki.knca.basics" and request["args"]["signingParams"]["encapsulate"] is False

    sign_in_page(chair, live_server, world, vedomost)  # still the member's key chosen
    chair.wait_for_selector("#ncalayer-status:has-text('belongs to someone else')")
    chair.screenshot(path=str(SHOTS / "signing-2-wrong-key-refused.png"))
    ncalayer.key = testca.person_for(ca, world.chair, purpose="auth")
    sign_in_page(chair, live_server, world, vedomost)
    chair.wait_for_selector("#ncalayer-status:has-text('authentication key')")
    ncalayer.key = None  # the person closes NCALayer's window
    sign_in_page(chair, live_server, world, vedomost)
    chair.wait_for_selector("#ncalayer-status:has-text('without signing')")

    ncalayer.key = testca.person_for(ca, world.chair)
    sign_in_page(chair, live_server, world, vedomost)
    chair.wait_for_selector("text=Signed.")

    ncalayer.key = testca.person_for(ca, world.secretary)
    secretary = open_as(browser, live_server, world.secretary, width=390)
    sign_in_page(secretary, live_server, world, protocol)
    secretary.wait_for_selector("text=Signed.")
    secretary.screenshot(path=str(SHOTS / "signing-3-secretary-signed-390.png"), full_page=True)
    ncalayer.key = testca.person_for(ca, world.chair)
    sign_in_page(chair, live_server, world, protocol)
    chair.wait_for_selector("text=Signed.")
    chair.screenshot(path=str(SHOTS / "signing-4-chair-signed.png"), full_page=True)
    assert list(Signature.objects.filter(paper=protocol).values_list("role", flat=True)) == ["secretary", "chair"]
    assert list(Signature.objects.filter(paper=vedomost).values_list("role", flat=True)) == ["member", "chair"]

    anyone = chair.context.browser.new_context(locale="en").new_page()
    anyone.goto(f"{live_server.url}/verify/{protocol.pk}/")
    anyone.wait_for_selector(".alert-success")
    assert world.secretary.display_name in anyone.content() and world.chair.display_name in anyone.content()
    anyone.screenshot(path=str(SHOTS / "signing-5-verified.png"), full_page=True)

    data = bytearray(signing.current_bytes(protocol))
    data[data.index(b"stream", data.index(b"/Contents")) + 40] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(data))
    anyone.goto(f"{live_server.url}/verify/")
    anyone.set_input_files("input[name=pdf]", str(altered))
    anyone.click("form[enctype='multipart/form-data'] button")
    anyone.wait_for_selector("text=Altered after signing")
    anyone.screenshot(path=str(SHOTS / "signing-6-altered.png"), full_page=True)
