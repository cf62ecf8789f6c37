"""A slot's case file: what the appeal commission reads about one student's attempt (R48), gathered from the apps
that keep it. exams (answer sheets) and proctoring (incidents, technical-failure acts, recordings) add their
sections with `case_file_section`; appeals says who reads a case file with `case_file_reader`. Each item links to
its app's own permission-checked download view, which lets a case-file reader in through `reads_case_file`."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from commissions.models import Slot


@dataclass(frozen=True)
class CaseItem:
    label: str
    when: dt.datetime | None = None
    url: str = ""  # the permission-checked download view; empty when there is nothing to download
    note: str = ""


@dataclass(frozen=True)
class CaseSection:
    order: int
    title: str
    items: list[CaseItem] = field(default_factory=list)


_SECTIONS: list[Callable[[Slot], CaseSection]] = []
_READERS: list[Callable[[object, Slot], bool]] = []


def case_file_section(provider: Callable[[Slot], CaseSection]) -> Callable[[Slot], CaseSection]:
    """Registers a section of every case file (a decorator, used in an AppConfig.ready hook module)."""
    if provider not in _SECTIONS:
        _SECTIONS.append(provider)
    return provider


def case_file_reader(rule: Callable[[object, Slot], bool]) -> Callable[[object, Slot], bool]:
    """Registers who reads a slot's case file besides the commission (the appeal commission hearing its appeal)."""
    if rule not in _READERS:
        _READERS.append(rule)
    return rule


def case_sections(slot: Slot) -> list[CaseSection]:
    """Every registered section of the slot's case file, in their order."""
    return sorted((provider(slot) for provider in _SECTIONS), key=lambda section: section.order)


def reads_case_file(user, slot: Slot) -> bool:
    """True for someone a registered rule lets read the slot's case file (its download views ask this)."""
    return bool(getattr(user, "is_authenticated", False)) and any(rule(user, slot) for rule in _READERS)
