"""The one way to find the policy that governs something: `policy_for`.

A policy belongs to an institution and an academic year (2019 = 2019-2020, from 1 September). A commission, and
everything under it (its sittings, slots, results), is governed by its own academic year's policy; anything else —
a student's thesis, an application — by the policy of the academic year in force on the day it happens. Never the
latest year: a policy drafted for next year must not change this year's rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.institutions.models import Institution, Policy

YEAR_STARTS_IN_MONTH = 9  # the academic year runs from 1 September to 31 August


class HasAcademicYear(Protocol):
    """A commission (or anything else) that names its institution and its academic year."""

    institution_id: int
    academic_year: int


def academic_year_of(day: dt.date) -> int:
    """The academic year (its first calendar year) that `day` falls in: 2020-05-12 → 2019, 2020-09-01 → 2020."""
    return day.year if day.month >= YEAR_STARTS_IN_MONTH else day.year - 1


def _key(of: Institution | int | HasAcademicYear, on: dt.date | None) -> tuple[int, int]:
    if isinstance(of, Institution):
        return of.pk, academic_year_of(on or timezone.localdate())
    if isinstance(of, int):
        return of, academic_year_of(on or timezone.localdate())
    return of.institution_id, of.academic_year


def policy_find(of: Institution | int | HasAcademicYear, *, on: dt.date | None = None) -> Policy | None:
    """The governing policy, or None when the institution has none for that year (see policy_for)."""
    institution_id, year = _key(of, on)
    return Policy.objects.filter(institution_id=institution_id, academic_year=year).first()


def policy_for(of: Institution | int | HasAcademicYear, *, on: dt.date | None = None) -> Policy:
    """The policy governing `of`: a commission's academic year, or for an institution (or its id) the academic year in
    force on `on` (today by default). A missing policy is refused with a message saying which year to create."""
    policy = policy_find(of, on=on)
    if policy is None:
        _institution_id, year = _key(of, on)
        raise ValidationError(_("The institution has no policy for %(year)s: create it first.") % {"year": year})
    return policy
