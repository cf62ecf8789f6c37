"""What a person reads on a page, and what must not be in it on a Kazakh page: English words, the portal's own rule
codes (R12), seed-file citations (000 §7) instead of a citation in words, Russian sentences, or Kazakh text without
a single Kazakh letter. Shared by the Kazakh-first tests (test_kazakh_first.py)."""

import re
from html.parser import HTMLParser

# Elements whose text is a code by markup (an OpenID field name, a file format): not words to translate.
CODE_TAGS = ("code", "kbd", "samp")


class _Text(HTMLParser):
    """The text a person reads: element text and the attributes a browser shows; no scripts, styles or codes."""

    SHOWN = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", *CODE_TAGS):
            self._skip += 1
        values = dict(attrs)
        for attribute in ("href", "hx-get"):
            if tag in ("a", "div", "span", "section", "tbody", "button") and values.get(attribute):
                self.links.append(values[attribute])
        self.parts += [values[a] for a in self.SHOWN if values.get(a)]
        # A button's value is sent, not shown; an input button shows its value.
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", *CODE_TAGS):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def visible_text(html: str) -> str:
    return " ".join(" ".join(parse(html).parts).split())


# --- English words ---------------------------------------------------------------------------------------------------

# Proper names a Kazakh text writes in Latin letters: systems and products a person must recognise, the names of the
# languages in their own language (a language menu), and the terms of the demo's exam questions (data).
PROPER_NAMES = {
    "English",
    "Excel",
    "NCALayer",
    "Platonus",
    "Univer",
    "OpenID",
    "Connect",
    "WebM",
    "Zoom",
    "Webex",
    "Teams",
    "Kaspi",
    "Kcell",
    "Agile",
    "Scrum",
    "Singleton",
    "Factory",
    "Observer",
    "NoSQL",
}
_TOKEN = re.compile(r"[^\s,;!?()\[\]{}«»\"“”„<>|·—–…]+")  # not at ":" — it would cut a URL
_FILE = re.compile(r"\.(pdf|docx?|xlsx|csv|zip|png|jpe?g|mp4|webm|mov|ics|txt|json)$", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")


def _is_code(token: str) -> bool:
    """A code a page may show as it is: an e-mail, a URL, a file or path, an IIN, a group or discipline code (with a
    digit or an underscore), an abbreviation or a letter grade (capitals: PDF, ZIP, DEMO-U, B+, FX)."""
    bare = token.strip(".:'’*-")
    return (
        "@" in bare
        or "://" in bare
        or bare.startswith("www.")
        or bool(_FILE.search(token.strip(":'’*-")))  # a file, or a file type such as «(.ics)»
        or any(c.isdigit() or c == "_" for c in bare)
        or bool(re.fullmatch(r"[A-Z][A-Z+\-./]*", bare))
    )


def english_words(text: str) -> list[str]:
    """Latin-script words that are not codes or proper names: untranslated English."""
    found = []
    for token in _TOKEN.findall(text):
        if not _LATIN.search(token) or _is_code(token):
            continue
        for word in re.split(r"[-/.:’']", token.strip(".:'’*-")):
            if _LATIN.search(word) and word not in PROPER_NAMES and not _is_code(word):
                found.append(word)
    return found


# --- rule codes and citations ----------------------------------------------------------------------------------------

RULE_CODE = re.compile(r"\bR\d+\b")
# A seed file's number with a paragraph ("000 §7", "003 2.7", "002 step 1"), or a bare paragraph sign: a Kazakh page
# cites a document in words ("БҒМ ұсынымдары, 7-тармақ").
SEED_CITATION = re.compile(r"\b00\d\s*(§\s*\d+|\d+\.\d+|step)|§\s*\d+")


def rule_codes(text: str) -> list[str]:
    return RULE_CODE.findall(text) + [m.group(0) for m in SEED_CITATION.finditer(text)]


# --- Russian on a Kazakh page, Kazakh letters ------------------------------------------------------------------------

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Short Russian words Kazakh does not use on its own: a text chunk with one and no Kazakh letter is Russian.
RUSSIAN_WORDS = {"и", "в", "во", "на", "для", "по", "от", "из", "что", "или", "при", "за", "до", "без", "под", "это"}
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+")


def russian_sentences(parts: list[str], exempt: set[str]) -> list[str]:
    """Text chunks written in Russian: Russian words, no Kazakh letter; names and other data given in `exempt`."""
    found = []
    for part in parts:
        chunk = " ".join(part.split())
        if not chunk or chunk in exempt or KAZAKH_LETTERS & set(chunk):
            continue
        words = [w.lower() for w in _CYRILLIC_WORD.findall(chunk)]
        if len(words) >= 3 and RUSSIAN_WORDS & set(words):
            found.append(chunk[:80])
    return found


def lacks_kazakh_letters(text: str) -> bool:
    """A page with Kazakh text (a dozen Cyrillic words) and not one Kazakh letter: Russian, or Kazakh typed with
    Russian look-alikes (к for қ)."""
    return len(_CYRILLIC_WORD.findall(text)) >= 12 and not KAZAKH_LETTERS & set(text)


def kazakh_page_problems(html: str, exempt: set[str] = frozenset()) -> list[str]:
    """Everything on a Kazakh page that is not Kazakh, each as «what: the words»; empty when the page is clean."""
    parsed = parse(html)
    text = " ".join(" ".join(parsed.parts).split())
    problems = []
    if english := english_words(text):
        problems.append(f"English words: {sorted(set(english))}")
    if codes := rule_codes(text):
        problems.append(f"rule codes or seed citations: {sorted(set(codes))}")
    if russian := russian_sentences(parsed.parts, set(exempt)):
        problems.append(f"Russian text: {russian[:5]}")
    if lacks_kazakh_letters(text):
        problems.append("Kazakh text without a single Kazakh letter")
    return problems
