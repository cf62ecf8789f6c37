"""Alphabetical order of people's names: the Kazakh alphabet for Kazakh, the Russian for Russian.

PostgreSQL sorts with its ICU collations (kk-KZ-x-icu, ru-RU-x-icu, und-x-icu); SQLite gets the same order from
collations registered on each connection with a Python sort key that follows ICU. `name_order()` gives the
ORDER BY expressions for either database.
"""

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate
from django.dispatch import receiver
from django.utils import translation

ALPHABETS = {
    "kk": "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ",
    # Russian; the Kazakh letters a Russian spelling may keep stand where ICU puts them, each after its base letter.
    "ru": "АӘБВГҒДЕЁЖЗИІЙКҚЛМНҢОӨПРСТУҮҰФХҺЦЧШЩЪЫЬЭЮЯ",
}
ALPHABETS["en"] = ALPHABETS["ru"]  # ICU's root order for Cyrillic
# Letters ICU treats as a variant of another at the primary level: in Russian (and the root order) Ё sorts with Е
# (Ежов, Ёлкин, Ершов) and only breaks a tie; in Kazakh Ё is a letter of its own after Е.
VARIANTS = {"ru": {"Ё": "Е"}, "en": {"Ё": "Е"}}
LATIN_FIRST = {"en"}  # the root order puts Latin before Cyrillic; Kazakh and Russian put Cyrillic first
ICU = {"kk": "kk-KZ-x-icu", "ru": "ru-RU-x-icu", "en": "und-x-icu"}
SQLITE = {"kk": "portal_kk", "ru": "portal_ru", "en": "portal_en"}
_BEFORE_LETTERS = -0x200000  # spaces, hyphens and digits sort before letters in ICU ("Ан Б" before "Ана")
_BEFORE_ALPHABET = -0x100000


def sort_key(text: str, language: str = "kk") -> tuple:
    """A key that orders strings like ICU: by the language's alphabet first (case and variant letters ignored),
    then by variant letters (Е before Ё in Russian), then lower case before upper. Spaces, punctuation and digits
    come before letters; other letters (Latin) after the alphabet, or before it in the root order."""
    alphabet = ALPHABETS.get(language, ALPHABETS["kk"])
    rank = {c: i for i, c in enumerate(alphabet)}
    variants = VARIANTS.get(language, {})
    other = _BEFORE_ALPHABET if language in LATIN_FIRST else len(alphabet)
    upper = (text or "").upper()
    primary = tuple(
        rank[variants.get(c, c)]
        if variants.get(c, c) in rank
        else other + ord(c)
        if c.isalpha()
        else _BEFORE_LETTERS + ord(c)
        for c in upper
    )
    secondary = tuple(c in variants for c in upper)
    tertiary = tuple(not c.islower() for c in text or "")
    return primary, secondary, tertiary


def _sqlite_collation(language: str):
    def compare(a: str, b: str) -> int:
        ka, kb = sort_key(a, language), sort_key(b, language)
        return (ka > kb) - (ka < kb)

    return compare


@receiver(connection_created)
def _register_sqlite_collations(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        for language, name in SQLITE.items():
            connection.connection.create_collation(name, _sqlite_collation(language))


def collation_for(language: str) -> str:
    table = ICU if connection.vendor == "postgresql" else SQLITE
    return table.get(language, table["kk"])


def name_order(*fields: str, language: str | None = None) -> list:
    """ORDER BY expressions for name fields (`last_name_kk`, `user__last_name`...) in the alphabet of `language`."""
    language = (language or translation.get_language() or "kk")[:2]
    collation = collation_for(language)
    return [Collate(F(field), collation) for field in fields]


def student_name_fields(language: str | None = None) -> tuple[str, ...]:
    """Students' names: the Russian spelling on a Russian page, the Kazakh one otherwise."""
    language = (language or translation.get_language() or "kk")[:2]
    suffix = "ru" if language == "ru" else "kk"
    return (f"last_name_{suffix}", f"first_name_{suffix}", f"patronymic_{suffix}")
