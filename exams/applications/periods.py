"""Study periods as registrars write them: "2019-1", "2019-2" (academic year 2019-2020, its terms) and "2019-S" (summer)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERIOD_RE = re.compile(r"^(\d{4})-([12S])$")


def period_parse(period: str) -> tuple[int, str]:
    match = PERIOD_RE.match(period.strip().upper())
    if match is None:
        raise ValidationError(
            _("Not a period: %(period)s (write 2019-1, 2019-2 or 2019-S for summer).") % {"period": period}, code="period"
        )
    return int(match.group(1)), match.group(2)


def period_next(period: str) -> str:
    """The period after `period`: term 1 → term 2 → summer → next year's term 1 (R45)."""
    year, term = period_parse(period)
    return {"1": f"{year}-2", "2": f"{year}-S", "S": f"{year + 1}-1"}[term]


def period_year(period: str) -> int:
    return period_parse(period)[0]


def period_key(period: str) -> tuple[int, int]:
    """Sorts periods in time: term 1, term 2, then the summer."""
    year, term = period_parse(period)
    return year, "12S".index(term)
