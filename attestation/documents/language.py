"""The one rule for the language a document is drawn up in.

Documents are issued in Kazakh, Russian or English. A student's documents follow the language of study of their group;
a language documents are not issued in gets Russian ones; with no language known, Kazakh. A paper about many students
(a grade sheet) takes the language most of them study in; a tie goes to Kazakh, then Russian.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class HasGroups(Protocol):
    """A programme (attestation.institutions.models.Programme, a layer above documents: not imported here)."""

    groups: Any


DOCUMENT_LANGUAGES = ("kk", "ru", "en")  # a tie between them goes to the first
STATE_LANGUAGE = "kk"
OTHERWISE = "ru"  # a language of study documents are not issued in


def document_language(study_language: str | None) -> str:
    """The language of a document for someone studying in `study_language`: kk, ru and en as they are; none → kk."""
    if not study_language:
        return STATE_LANGUAGE
    return study_language if study_language in DOCUMENT_LANGUAGES else OTHERWISE


def majority_language(study_languages: Iterable[str | None]) -> str:
    """The document language of most of these people (ties: Kazakh first, then Russian; nobody: Kazakh)."""
    languages = [document_language(language) for language in study_languages]
    return max(DOCUMENT_LANGUAGES, key=lambda code: (languages.count(code), -DOCUMENT_LANGUAGES.index(code)))


def programme_language(programme: HasGroups | None) -> str:
    """A programme's document language: that of its first group by name (Kazakh without groups)."""
    if programme is None:
        return STATE_LANGUAGE
    return document_language(programme.groups.order_by("name").values_list("study_language", flat=True).first())
