"""The documents' bounds on policy values: a policy may tighten a rule, never loosen it.

Each bound is enforced twice: by the model's clean() (with a message that says why) and by a database
check constraint, so no code path can store a policy that breaks the law.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # lazy messages of the models' clean() (typing only)


@dataclass(frozen=True)
class Limit:
    kind: str  # "min" (at least) or "max" (at most)
    bound: int | Decimal
    source: str

    def allows(self, value) -> bool:
        return value >= self.bound if self.kind == "min" else value <= self.bound

    def message(self) -> str:
        if self.kind == "min":
            return _("Cannot be less than %(bound)s: the documents set this minimum (%(source)s).") % {
                "bound": self.bound,
                "source": self.source,
            }
        return _("Cannot be more than %(bound)s: the documents set this maximum (%(source)s).") % {
            "bound": self.bound,
            "source": self.source,
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
    "quorum_numerator": Limit("min", 1, "REFERENCE: commission practice"),
    "quorum_denominator": Limit("min", 1, "REFERENCE: commission practice"),
    # Order No. 595, as GPA points of the default scale: C+ for every exam, GPA 3.5, A- for the complex exam/thesis.
    "honours_min_gpa": Limit("min", Decimal("3.50"), "order No. 595"),
    "honours_min_discipline_gpa": Limit("min", Decimal("2.33"), "order No. 595"),
    "honours_min_attestation_gpa": Limit("min", Decimal("3.67"), "order No. 595"),
}

# The policy values a new commission copies (commissions.services.commission_create) and whose bounds it keeps.
COMMISSION_LIMITED_FIELDS = (
    "quorum_numerator",
    "quorum_denominator",
    "honours_min_gpa",
    "honours_min_discipline_gpa",
    "honours_min_attestation_gpa",
)


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
