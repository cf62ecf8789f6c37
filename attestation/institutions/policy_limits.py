"""The bounds on policy values: the documents' bounds (a policy may tighten a rule, never loosen it) and, for every
number, a lawful range (a 2-minute academic hour or a 0-day appeal window is a typo, not a policy).

Each bound is enforced twice: by the model's clean() (with a message that says why) and by a database
check constraint, so no code path can store a policy that breaks the law or leaves the range.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # lazy messages of the models' clean() (typing only)


# The documents the bounds come from (docs/rules.md), named as a person looks them up.
SOURCE_DOCUMENTS = {
    "000": gettext_lazy("the Ministry's methodological recommendations"),
    "001": gettext_lazy("the Ministry's letter to colleges"),
    "002": gettext_lazy("the instruction for heads of department"),
    "003": gettext_lazy("the final attestation rules"),
    "004": gettext_lazy("the students' guide"),
}
_RULE_CODES = re.compile(r"^R\d+(-R\d+)?$")
_CITED = re.compile(r"^(?P<doc>00\d)(?:\s+(?:§(?P<para>[\d-]+)|(?P<point>\d+(?:\.\d+)+)|step (?P<step>\d+)))?$")


def cite(source: str) -> str:
    """A source such as "R31: 000 §32-33; 003 2.7" in words, in the current language; rule codes are left out."""
    if ": " in source and _RULE_CODES.match(source.split(": ", 1)[0]):
        source = source.split(": ", 1)[1]
    words = []
    for part in (p.strip() for p in source.split(";")):
        match = _CITED.match(part)
        if _RULE_CODES.match(part):
            continue
        if match is None:
            words.append(part)
            continue
        where = match["para"] or match["point"]
        document = str(SOURCE_DOCUMENTS[match["doc"]])
        if where:
            words.append(_("%(document)s, paragraph %(number)s") % {"document": document, "number": where})
        elif match["step"]:
            words.append(_("%(document)s, step %(number)s") % {"document": document, "number": match["step"]})
        else:
            words.append(document)
    return "; ".join(words)


@dataclass(frozen=True)
class Limit:
    kind: str  # "min" (at least) or "max" (at most)
    bound: int | Decimal
    source: "StrOrPromise"

    @property
    def documents(self) -> str:
        """The source in words, in the page's language, without the portal's own rule codes: "R47: 000 §64" →
        "БҒМ әдістемелік ұсынымдары, 64-тармақ" (a page shows what a person can look up, not a seed file's number)."""
        return cite(str(self.source))

    def allows(self, value) -> bool:
        return value >= self.bound if self.kind == "min" else value <= self.bound

    def message(self) -> str:
        if self.kind == "min":
            return _("Cannot be less than %(bound)s: the documents set this minimum (%(source)s).") % {
                "bound": self.bound,
                "source": self.documents,
            }
        return _("Cannot be more than %(bound)s: the documents set this maximum (%(source)s).") % {
            "bound": self.bound,
            "source": self.documents,
        }


POLICY_LIMITS: dict[str, Limit] = {
    "defense_total_minutes": Limit("max", 20, "R31: 000 §32-33; 003 2.7"),
    "defense_questions_max": Limit("max", 3, "R31: 003 2.10"),
    "sitting_max_hours": Limit("max", Decimal(5), "R11: 000 §21"),
    "identification_minutes_before": Limit("min", 30, "R19: 000 §42"),
    "written_exam_academic_hours": Limit("min", 2, "R27: 000 §37; 004 §12"),
    "oral_questioning_delay_minutes": Limit("min", 30, "R28: 004 §13"),
    "written_grading_hours": Limit("max", 2, "R29: 004 §15"),
    "written_questions_max": Limit("max", 3, "R25: 003 2.7"),
    "reminder_days_before": Limit("min", 1, "R12: 004 §5"),
    "appeal_window_working_days": Limit("min", 2, "R47: 000 §64"),
    "appeal_hearing_working_days": Limit("max", 2, "R48: 000 §66"),
    "appeal_answer_working_days": Limit("max", 1, "R49: 000 §67"),
    "documents_due_days_before": Limit("min", 21, "R16: 003 2.6"),
    "thesis_pdf_days_before": Limit("min", 2, "R16: 004 §19"),
    "plagiarism_max_checks": Limit("max", 2, "R17: 003 2.3"),
    "acquaintance_working_days": Limit("min", 20, "R13: 001"),
    "webinar_min_working_days": Limit("min", 3, "R13: 001"),
    "webinar_max_working_days": Limit("max", 5, "R13: 001"),
    "commission_approval_months": Limit("min", 1, "R10: 001"),
    "programme_approval_months": Limit("min", 2, "R14: 002 step 1"),
    "programme_handover_months": Limit("min", 1, "R14: 002 step 2"),
    "portfolio_days": Limit("max", 3, "R39: 002 step 5"),
    # R21 only says "kept"; a recording must outlive any appeal on the sitting (R47-R49), so never under a month.
    "recording_retention_days": Limit("min", 30, "R21: 000 §54; R47-R49"),
    # The quorum is common practice, not a national text (REFERENCE.md); only "a share of the members" is bound here,
    # the numerator not above the denominator is a constraint of its own.
    "quorum_numerator": Limit("min", 1, gettext_lazy("commission practice")),
    "quorum_denominator": Limit("min", 1, gettext_lazy("commission practice")),
    # Order No. 595, as GPA points of the default scale: C+ for every exam, GPA 3.5, A- for the complex exam/thesis.
    "honours_min_gpa": Limit("min", Decimal("3.50"), gettext_lazy("order No. 595")),
    "honours_min_discipline_gpa": Limit("min", Decimal("2.33"), gettext_lazy("order No. 595")),
    "honours_min_attestation_gpa": Limit("min", Decimal("3.67"), gettext_lazy("order No. 595")),
}

# The policy values a new commission copies (commissions.services.commission_create) and whose bounds it keeps.
COMMISSION_LIMITED_FIELDS = (
    "quorum_numerator",
    "quorum_denominator",
    "honours_min_gpa",
    "honours_min_discipline_gpa",
    "honours_min_attestation_gpa",
)


@dataclass(frozen=True)
class Range:
    """The values a policy number may take at all: the documents' bound is one end where they set one."""

    low: int | Decimal
    high: int | Decimal

    def allows(self, value) -> bool:
        return self.low <= value <= self.high

    def message(self) -> str:
        return _("Must be between %(low)s and %(high)s.") % {"low": self.low, "high": self.high}


# Every number of the policy with its lawful range. Where the documents bind a side (POLICY_LIMITS) the range starts or
# ends at that bound; the other side is what an institution could sensibly choose (docs/rules.md, "The policy's ranges").
POLICY_RANGES: dict[str, Range] = {
    "academic_year": Range(2000, 2100),
    "defense_total_minutes": Range(5, 20),
    "speech_min_minutes": Range(1, 20),
    "speech_max_minutes": Range(1, 20),
    "defense_questions_max": Range(1, 3),
    "sitting_max_hours": Range(Decimal(1), Decimal(5)),
    "identification_minutes_before": Range(30, 120),
    "written_exam_academic_hours": Range(2, 6),
    "academic_hour_minutes": Range(40, 60),
    "oral_questioning_delay_minutes": Range(30, 120),
    "written_grading_hours": Range(1, 2),
    "written_questions_max": Range(1, 3),
    "slot_minutes": Range(5, 240),
    "break_minutes": Range(0, 120),
    "break_after_minutes": Range(0, 300),
    "reminder_days_before": Range(1, 14),
    "appeal_window_working_days": Range(2, 10),
    "appeal_hearing_working_days": Range(1, 2),
    "appeal_answer_working_days": Range(1, 1),
    "documents_due_days_before": Range(21, 90),
    "thesis_pdf_days_before": Range(2, 30),
    "plagiarism_max_checks": Range(1, 2),
    "acquaintance_working_days": Range(20, 60),
    "webinar_min_working_days": Range(3, 5),
    "webinar_max_working_days": Range(3, 5),
    "commission_approval_months": Range(1, 6),
    "programme_approval_months": Range(2, 12),
    "programme_handover_months": Range(1, 12),
    "recordings_publish_days_before": Range(1, 60),
    "preparation_reminder_working_days": Range(1, 20),
    "portfolio_days": Range(1, 3),
    "recording_retention_days": Range(30, 3650),
    # Testing (R26, R30; 000 §13, §36; 001): the test's size and time are the institution's; the results are announced
    # the same day, and the secretary is warned this many hours before the testing day ends.
    "testing_questions": Range(10, 200),
    "testing_minutes": Range(20, 240),
    "testing_results_warn_hours": Range(1, 12),
    # Open-book take-home (000 §13, §36): the work is due this many hours after the assignment is drawn; never less
    # than a written exam's time (R27: 2 academic hours).
    "take_home_hours": Range(2, 168),
    "staff_invitation_days": Range(1, 90),
    "quorum_numerator": Range(1, 20),
    "quorum_denominator": Range(1, 20),
    "honours_min_gpa": Range(Decimal("3.50"), Decimal("4.00")),
    "honours_min_discipline_gpa": Range(Decimal("2.33"), Decimal("4.00")),
    "honours_min_attestation_gpa": Range(Decimal("3.67"), Decimal("4.00")),
}


def range_constraints(fields=None, prefix: str = "policy", names: dict[str, str] | None = None):
    """Every policy number's range as a check constraint; or the given ones on another model, whose own field for a
    policy field is named in `names` (a commission's testing numbers stay in the policy's lawful range)."""
    names = names or {}
    constraints = []
    for field in fields or POLICY_RANGES:
        r, column = POLICY_RANGES[field], names.get(field, field)
        constraints.append(
            models.CheckConstraint(
                condition=models.Q(**{f"{column}__range": (r.low, r.high)}) | models.Q(**{f"{column}__isnull": True})
                if column != field
                else models.Q(**{f"{field}__range": (r.low, r.high)}),
                name=f"{prefix}_{column}_range",
            )
        )
    return constraints


def range_errors(obj) -> "dict[str, StrOrPromise]":
    """clean()'s messages for the policy numbers outside their range (the documents' own message wins)."""
    errors: dict[str, StrOrPromise] = {}
    for field, r in POLICY_RANGES.items():
        value = getattr(obj, field)
        if value is not None and not r.allows(value):
            errors[field] = r.message()
    return errors


def limit_constraints(fields=None, prefix: str = "policy") -> list[models.CheckConstraint]:
    """The bounds as check constraints, for every policy field or for the given ones of another model."""
    constraints = []
    for field in fields or POLICY_LIMITS:
        limit = POLICY_LIMITS[field]
        lookup = "gte" if limit.kind == "min" else "lte"
        constraints.append(
            models.CheckConstraint(
                condition=models.Q(**{f"{field}__{lookup}": limit.bound}), name=f"{prefix}_{field}_{limit.kind}"
            )
        )
    return constraints


def limit_errors(obj, fields=None) -> "dict[str, StrOrPromise]":
    """clean()'s messages for the bounds obj's values break."""
    errors = {}
    for field in fields or POLICY_LIMITS:
        value = getattr(obj, field)
        if value is not None and not POLICY_LIMITS[field].allows(value):
            errors[field] = POLICY_LIMITS[field].message()
    return errors
