"""On a 390 px phone a page never scrolls sideways as a whole: every Bootstrap table of a page template sits in a
.table-responsive wrapper (it scrolls there) or folds into cards (.table-cards). The PDF templates' tables (no
Bootstrap .table class) are for paper and are not concerned."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TABLE = re.compile(r'<table\b[^>]*\bclass="([^"]*)"[^>]*>')
TRAILING_TAGS = re.compile(r"(\{%[^%]*%\}|\{#.*?#\}|\s)+$")
WRAPPER = re.compile(r'<div\b[^>]*\bclass="[^"]*\btable-responsive\b')


def unwrapped_tables(text: str) -> list[str]:
    found = []
    for match in TABLE.finditer(text):
        classes = match.group(1).split()
        if "table" not in classes or "table-cards" in classes:
            continue
        before = TRAILING_TAGS.sub("", text[: match.start()])  # template tags between the wrapper and the table
        if not WRAPPER.match(before[before.rfind("<") :]):
            found.append(f"line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}")
    return found


def test_the_check_sees_a_bare_table_and_accepts_a_wrapped_one():
    assert unwrapped_tables('<h2>x</h2>\n<table class="table table-sm">')
    assert not unwrapped_tables('<div class="table-responsive">{% if rows %}\n  <table class="table">')
    assert not unwrapped_tables('<table class="table bg-white table-cards">')
    assert not unwrapped_tables('<table class="sheet">')


def test_every_table_of_a_page_scrolls_in_its_wrapper_or_folds_into_cards():
    bare = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        found = unwrapped_tables(path.read_text(encoding="utf-8"))
        if found:
            bare[str(path.relative_to(TEMPLATES))] = found
    assert not bare, bare


GROUP_CELL = re.compile(r"<td(?P<attrs>[^>]*)>\{\{ [\w.]*group(\.name)? \}\}</td>")


def test_a_group_code_in_a_pages_table_stays_on_one_line():
    """«МИС-24-1» broke after its last hyphen ('МИС-24-' / '1') in a narrow column: group cells are text-nowrap."""
    broken = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "pdf" in path.name or path.parent.name in ("pdf", "documents", "email"):
            continue
        cells = [
            m.group(0) for m in GROUP_CELL.finditer(path.read_text(encoding="utf-8")) if "text-nowrap" not in m["attrs"]
        ]
        if cells:
            broken[str(path.relative_to(TEMPLATES))] = cells
    assert not broken, broken


def test_a_definition_list_drawn_as_a_card_keeps_inside_the_page():
    """A .row has negative side margins for its columns: a <dl class="row"> with its own white background stuck out
    12 px on each side, touching the screen's edges on a phone (the slot page, the act). mx-0 keeps it in line."""
    overhanging = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in re.finditer(r'<dl class="([^"]*)"', path.read_text(encoding="utf-8")):
            classes = match.group(1).split()
            if "row" in classes and "bg-white" in classes and "mx-0" not in classes:
                overhanging.setdefault(str(path.relative_to(TEMPLATES)), []).append(match.group(0))
    assert not overhanging, overhanging
