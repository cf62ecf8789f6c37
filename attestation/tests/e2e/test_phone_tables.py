"""A secretary runs a sitting from a 390 px phone: the console's table scrolls sideways in its wrapper instead of
folding each word letter by letter, the header's buttons wrap below the title instead of breaking their words, and a
long badge (an accommodation's devices on the student's desk) wraps instead of running off the screen. A student
waiting to be admitted can read the disabled Enter button that tells them so."""

import pytest
from django.contrib.auth import get_user_model

from attestation.tests.browser import logged_in
from commissions.models import Sitting
from exams.yearend.services import accommodation_set
from portal.demo import PASSWORD, demo_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Words in the tables and buttons of <main> that are split over two lines or more.
WORDS_BROKEN = """() => [...document.querySelectorAll('main table:not(.table-cards) :is(th, td), main .btn')]
 .flatMap(cell => {
  const out = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    for (const word of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) out.push(word[0] + ' / ' + lines.size + ' lines');
    }
  }
  return out;
})"""


@pytest.fixture
def demo(settings, tmp_path):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_create()


def test_the_console_on_a_phone_scrolls_its_table_and_wraps_long_badges(demo, live_server, browser):
    sitting = Sitting.objects.filter(slots__isnull=False).order_by("date", "pk").first()
    slot = sitting.slots.select_related("student").order_by("starts_at").first()
    accommodation_set(
        actor=get_user_model().objects.get(username="head"),
        student=slot.student,
        extra_minutes=20,
        device_loan="Ноутбук, экранды оқу бағдарламасы, үлкейтілген пернетақта",
    )
    page = logged_in(browser, live_server, "secretary", language="kk", width=390, height=844, password=PASSWORD)

    page.goto(f"{live_server.url}/sittings/{sitting.pk}/console/")
    assert page.locator("#console-table tbody tr").count() > 1
    assert page.evaluate(WORDS_BROKEN) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/console/slots/{slot.pk}/")
    assert "Ноутбук" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def test_a_waiting_students_enter_button_is_readable(demo, live_server, browser):
    page = logged_in(browser, live_server, "student17", language="kk", width=390, height=844, password=PASSWORD)
    slot = Sitting.objects.get(slots__student__user__username="student17").slots.get(student__user__username="student17")
    page.goto(f"{live_server.url}/exam/{slot.pk}/")
    button = page.locator("#enter-button")
    assert button.is_disabled()
    style = button.evaluate("e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor, s.opacity]; }")
    opacity = float(style[2])
    # Seen through its opacity on the white card: both colours are blended with white.
    fg, bg = ([opacity * c + (1 - opacity) * 255 for c in _rgb(css)] for css in style[:2])
    light, dark = sorted((_luminance(tuple(fg)), _luminance(tuple(bg))), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, style
