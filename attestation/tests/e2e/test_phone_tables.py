"""A secretary runs a sitting from a 390 px phone: the console's table scrolls sideways in its wrapper instead of
folding each word letter by letter, the header's buttons wrap below the title instead of breaking their words, and a
long badge (an accommodation's devices on the student's desk) wraps instead of running off the screen."""

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
