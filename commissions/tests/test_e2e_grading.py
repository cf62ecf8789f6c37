"""In a real headless Chromium: members grade (the letter appears as they type), vote by secret ballot, the chair
announces, the student sees the result, the secretary draws up and signs, the chair signs, the registrar downloads."""

from pathlib import Path

import pytest
from django.conf import settings

from attestation.institutions.models import Registrar
from attestation.tests.browser import logged_in
from attestation.tests.factories import UserFactory, examined
from commissions.models import EncryptedBallot, MemberGrade, Paper, Result, Signature, Slot
from commissions.papers import testca
from commissions.papers.signing import pdf_verify
from commissions.tests.conftest import everyone_present

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"


def grade(page, live_server, slot, points, letter):
    page.goto(f"{live_server.url}/slots/{slot.pk}/")
    page.fill(f"#points-{slot.pk}", points)
    page.wait_for_selector(f"#preview-{slot.pk} .badge:text-is('{letter}')")  # shown while typing, via htmx
    page.once("dialog", lambda dialog: dialog.accept())  # "a grade is given once" is answered yes
    page.click("text=Submit the grade (once)")
    page.wait_for_selector("text=Your grade is recorded.")


def test_grade_vote_announce_sign_download_in_the_browser(
    live_server, browser, world, settings, tmp_path, eager_celery, ncalayer
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path
    SHOTS.mkdir(parents=True, exist_ok=True)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    examined(world.sitting)  # the examination itself is the live-sitting story's (exams/tests/test_e2e_live_sitting.py)

    secretary = logged_in(browser, live_server, "secretary")
    secretary.goto(f"{live_server.url}/sittings/{world.sitting.pk}/results/")
    for box in secretary.locator("input[name=present]").all():
        box.check()
    secretary.click("text=Record attendance")
    secretary.wait_for_selector("text=Attendance is recorded.")

    member = logged_in(browser, live_server, "member")
    grade(member, live_server, slot, "91", "A-")
    member.screenshot(path=str(SHOTS / "commissions-1-member-graded.png"))
    chair = logged_in(browser, live_server, "chair")
    grade(chair, live_server, slot, "97", "A")
    assert MemberGrade.objects.filter(slot=slot).count() == 2

    secretary.goto(f"{live_server.url}/slots/{slot.pk}/")
    secretary.click("text=Open the vote")
    for page in (member, chair):  # each browser sends its part of the key when the page opens
        page.goto(f"{live_server.url}/slots/{slot.pk}/")
    for page in (member, chair):  # the ballot is encrypted in the browser (static/js/ballot.js)
        page.once("dialog", lambda dialog: dialog.accept())  # "your vote cannot be changed" is answered yes
        page.click("button[data-ballot-choice=for]:not([disabled])")
        page.wait_for_selector("text=Your vote is recorded.")
    # the secretary's page, open since the vote was opened, shows who has voted without a reload
    secretary.wait_for_function(
        "() => [...document.querySelectorAll('td[data-col=voted]')].map(td => td.textContent).join() === '✓,✓'"
    )
    secretary.goto(f"{live_server.url}/slots/{slot.pk}/")
    secretary.once("dialog", lambda dialog: dialog.accept())  # "close and count? it cannot be changed" is answered yes
    secretary.click("text=Close the vote and count")
    secretary.wait_for_selector("text=the degree is awarded")  # once both open pages have sent their shares
    assert EncryptedBallot.objects.count() == 2

    # A fresh tab: the chair's voting page may still reload itself once it has sent its share of the count.
    results = chair.context.new_page()
    results.goto(f"{live_server.url}/sittings/{world.sitting.pk}/results/")
    results.once("dialog", lambda dialog: dialog.accept())  # "announce? this cannot be undone" is answered yes
    results.click("text=Announce the results")
    results.wait_for_selector("text=The results are announced")
    assert Result.objects.get(slot=slot).announced_at is not None

    student = logged_in(browser, live_server, world.student.user.username)
    student.goto(f"{live_server.url}/slots/{slot.pk}/")
    student.wait_for_selector("#result")
    assert "A" in student.inner_text("#result")
    student.screenshot(path=str(SHOTS / "commissions-2-student-result.png"))

    secretary.goto(f"{live_server.url}/sittings/{world.sitting.pk}/documents/")
    secretary.click("text=Draw up the documents")
    secretary.wait_for_selector("text=Ready.")
    secretary.goto(f"{live_server.url}/sittings/{world.sitting.pk}/documents/")
    protocol = Paper.objects.get(kind="protocol", slot=slot)
    for page, user in ((secretary, world.secretary), (chair, world.chair)):
        ncalayer.key = testca.person_for(testca.shared_ca(), user)  # the key the person picks in NCALayer
        page.goto(f"{live_server.url}/sittings/{world.sitting.pk}/documents/")
        page.click(f"[data-sign-url='/papers/{protocol.pk}/sign/']")
        page.wait_for_selector("text=Signed.")
    assert Signature.objects.filter(paper=protocol).count() == 2
    chair.screenshot(path=str(SHOTS / "commissions-3-signed.png"))

    registrar_user = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=registrar_user)
    registrar = logged_in(browser, live_server, "registrar")
    registrar.goto(f"{live_server.url}/registry/{world.institution.pk}/?kind=protocol")
    with registrar.expect_download() as download:
        registrar.click(f"a[href='/papers/{protocol.pk}/download/']")
    data = Path(download.value.path()).read_bytes()

    report = pdf_verify(data)
    assert report["ok"] and len(report["signatures"]) == 2, report
    registrar.goto(f"{live_server.url}/verify/{protocol.pk}/")
    registrar.wait_for_selector(".alert-success")
    registrar.screenshot(path=str(SHOTS / "commissions-4-verified.png"))


def test_the_letter_preview_shows_points_typed_before_htmx_has_wired_the_field(live_server, browser, world, settings):
    """The grading form arrives by htmx; on a busy machine its settle step (which wires hx-trigger) runs late, and
    points typed before it sent no preview request: the chair typed 97 and never saw "A". The field now also asks
    for a preview when htmx wires it, and a newer request replaces an older one (hx-sync), so the letter for what
    is in the field always arrives. The settle step is slowed to 1.5 s here to make the race certain."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    everyone_present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    chair = logged_in(browser, live_server, "chair")
    chair.add_init_script("document.addEventListener('DOMContentLoaded', () => { htmx.config.defaultSettleDelay = 1500; });")
    chair.goto(f"{live_server.url}/slots/{slot.pk}/")
    chair.fill(f"#points-{slot.pk}", "9")
    chair.fill(f"#points-{slot.pk}", "97")  # typed while htmx has not yet wired the field
    chair.wait_for_selector(f"#preview-{slot.pk} .badge:text-is('A')", timeout=10_000)
