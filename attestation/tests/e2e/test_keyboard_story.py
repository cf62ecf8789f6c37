"""Keyboard only: a student logs in, finds their results, files an appeal with a file, and meets a form error tied to
its field — with Tab, Shift+Tab, Enter and Space, never the mouse."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from appeals.models import Appeal
from portal.demo import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MAX_TABS = 80


@pytest.fixture
def full_demo(settings, tmp_path):
    """The whole demo as scripts/start seeds it: the demo student's result is announced and may be appealed."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


def tab_to(page, condition: str) -> None:
    """Presses Tab until the focused element satisfies the JavaScript condition on `el`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_a_student_files_an_appeal_with_a_file_using_only_the_keyboard(full_demo, live_server, browser, tmp_path):
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
        b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
        b"startxref\n160\n%%EOF\n"
    )
    page = browser.new_page()
    # Listening for the file chooser from the start: Playwright asks the browser to intercept file choosers only when
    # the first listener is added, without waiting for it, so a listener added just before the key press can lose the
    # race and the chooser opens unseen (one CI run timed out so).
    page.on("filechooser", lambda _chooser: None)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "kk", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "el.name === 'username'")
    page.keyboard.type("student")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    tab_to(page, "el.tagName === 'A' && el.getAttribute('href') === '/appeals/my/'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/my/")
    tab_to(page, "el.tagName === 'A' && el.getAttribute('href').endsWith('/file/')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/file/")

    # Submitting without a reason: the error is announced and tied to its field.
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    field = page.locator("textarea[name=reasons]")
    if field.evaluate("el => el.validity.valueMissing"):  # the browser's own check stopped it: also tied to the field
        assert field.evaluate("el => el.required")
    else:
        assert field.get_attribute("aria-invalid") == "true"
        described = field.get_attribute("aria-describedby")
        assert described and page.locator(f"#{described.split()[0]}").inner_text().strip()

    tab_to(page, "el.name === 'reasons'")
    page.keyboard.type("Сұрақтардың бірі бағдарламада жоқ.")
    tab_to(page, "el.type === 'file'")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(evidence))
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/my/")
    appeal = Appeal.objects.get(result__slot__student__user__username="student")
    assert "бағдарламада жоқ" in appeal.reasons
    assert appeal.attachments.count() == 1
