"""The one rule for the language a document is drawn up in.

Documents are issued in Kazakh or Russian (the state and the official language). A student's documents follow the
language of study of their group; a group taught in English gets Russian documents; with no language known, Kazakh.
A paper about many students (a grade sheet) takes the language most of them study in, Kazakh on a tie.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class HasGroups(Protocol):
    """A programme (attestation.institutions.models.Programme, a layer above documents: not imported here)."""

    groups: Any


DOCUMENT_LANGUAGES = ("kk", "ru")
STATE_LANGUAGE = "kk"
OTHERWISE = "ru"  # a language of study documents are not issued in (English)


def document_language(study_language: str | None) -> str:
    """The language of a document for someone studying in `study_language`: kk → kk, ru → ru, en → ru, none → kk."""
    if not study_language:
        return STATE_LANGUAGE
    return study_language if study_language in DOCUMENT_LANGUAGES else OTHERWISE


def majority_language(study_languages: Iterable[str | None]) -> str:
    """The document language of most of these people (ties and nobody: Kazakh)."""
    languages = [document_language(language) for language in study_languages]
    return OTHERWISE if languages.count(OTHERWISE) > languages.count(STATE_LANGUAGE) else STATE_LANGUAGE


def programme_language(programme: HasGroups | None) -> str:
    """A programme's document language: that of its first group by name (Kazakh without groups)."""
    if programme is None:
        return STATE_LANGUAGE
    return document_language(programme.groups.order_by("name").values_list("study_language", flat=True).first())
