"""Names that users enter in several languages live in `<field>_kk`, `_ru`, `_en`; this picks the current one."""

from django.utils import translation

FALLBACK = ("kk", "ru", "en")


def localized(obj, field: str, language: str | None = None) -> str:
    lang = (language or translation.get_language() or "kk")[:2]
    for code in (lang, *FALLBACK):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class LocalizedName:
    """Mixin for models with name_kk / name_ru / name_en."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name
