"""Alphabetical order of people's names: the Kazakh alphabet for Kazakh, the Russian for Russian.

PostgreSQL sorts with its ICU collations (kk-KZ-x-icu, ru-RU-x-icu); SQLite gets the same order from
collations registered on each connection with a Python sort key. `name_order()` gives the ORDER BY
expressions for either database.
"""

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate
from django.dispatch import receiver
from django.utils import translation

ALPHABETS = {
    "kk": "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ",
    "ru": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
}
ICU = {"kk": "kk-KZ-x-icu", "ru": "ru-RU-x-icu", "en": "und-x-icu"}
SQLITE = {"kk": "portal_kk", "ru": "portal_ru", "en": "portal_en"}


def sort_key(text: str, language: str = "kk") -> tuple:
    """A key that orders strings by the language's alphabet, case-insensitively; other characters after."""
    alphabet = ALPHABETS.get(language, ALPHABETS["kk"])
    rank = {c: i for i, c in enumerate(alphabet)}
    return tuple((rank.get(c, len(alphabet) + ord(c)), c) for c in (text or "").upper())


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
