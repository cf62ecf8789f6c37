"""WCAG 2.1 AA in a real browser: axe-core (attestation/tests/node) on each demo role's main pages in Kazakh and
Russian finds no serious or critical violation; the page language is set; a student's pages fit a 390 px phone."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from attestation.tests.browser import close_bounded
from portal.demo import DEMO_LOGINS, PASSWORD, demo_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[1] / "node" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "a11y"
PAGES_PER_ROLE = 5  # the home page and the first pages it links to: each role's main pages
SKIP = ("logout", "/static/", "/media/", "/admin/", "/i18n/", "download", ".pdf", ".xlsx", ".ics", ".zip", "/api/v1/")
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                          resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.slice(0, 200))}));
}"""


@pytest.fixture
def demo(settings, tmp_path):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_create()
    SHOTS.mkdir(parents=True, exist_ok=True)


def _log_in(browser, live_server, username: str, language: str, **context):
    page = browser.new_context(bypass_csp=True, **context).new_page()  # axe is injected as a script tag
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def _main_pages(page, live_server) -> list[str]:
    links = page.eval_on_selector_all("main a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    pages = ["/"]
    for link in links:
        if link not in pages and not any(s in link for s in SKIP):
            pages.append(link)
    return pages[:PAGES_PER_ROLE]


def _violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_serious_accessibility_violation_on_any_roles_main_pages(demo, live_server, browser, language):
    found = {}
    for username in DEMO_LOGINS.values():
        page = _log_in(browser, live_server, username, language)
        for url in _main_pages(page, live_server):
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.lang") == language, url
            violations = _violations(page)
            if violations:
                found[f"{username} {url}"] = violations
        close_bounded(page.context)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_a_students_pages_fit_a_phone_without_sideways_scrolling(demo, live_server, browser):
    page = _log_in(browser, live_server, "student", "kk", viewport={"width": 390, "height": 844}, is_mobile=True)
    too_wide, small_targets = {}, {}
    for url in _main_pages(page, live_server):
        page.goto(live_server.url + url)
        name = url.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[url] = width
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                'main button, main .btn, main input:not([type=hidden]), main select, nav a, nav button')]
              .filter(e => e.offsetParent !== null)
              .map(e => [e.textContent.trim().slice(0, 30) || e.name || e.type, e.getBoundingClientRect().height])
              .filter(([, h]) => h < 44)"""
        )
        if small:
            small_targets[url] = small
    assert not too_wide, too_wide
    assert not small_targets, small_targets
