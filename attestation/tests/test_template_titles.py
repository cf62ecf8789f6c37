import re
from pathlib import Path

from django.conf import settings

BLOCK_TITLE = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)


def test_every_page_title_block_closes_on_its_line_and_holds_no_html():
    """An unclosed title block swallows the page into the browser tab's title (the admission table did)."""
    bad = []
    for root in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(root).rglob("*.html"):
            for body in BLOCK_TITLE.findall(path.read_text(encoding="utf-8")):
                if "\n" in body or "<" in body:
                    bad.append(str(path))
    assert not bad
