"""The admission conditions of one student (R16-R18), computed in memory from prefetched rows.

The table, the student's page and `admission_refusal` all read these, so a red light means the same everywhere.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from exams.admission.models import AdmissionDecision, ClearanceLine, Conclusion, Review


@dataclass
class Condition:
    key: str
    label: str
    ok: bool
    detail: str = ""
    blocking: bool = False  # red for good: waiting will not turn it green


@dataclass
class StudentAdmission:
    student: object
    thesis: object | None
    conditions: list[Condition] = field(default_factory=list)
    decision: AdmissionDecision | None = None

    @property
    def green(self) -> bool:
        return not self.refused and all(c.ok for c in self.conditions)

    @property
    def refused(self) -> bool:
        return self.decision is not None and self.decision.outcome == AdmissionDecision.Outcome.NOT_ADMITTED

    @property
    def admitted(self) -> bool:
        return self.decision is not None and self.decision.outcome == AdmissionDecision.Outcome.ADMITTED

    @property
    def blocked(self) -> bool:
        return self.refused or any(c.blocking for c in self.conditions)

    @property
    def missing(self) -> list[Condition]:
        return [c for c in self.conditions if not c.ok]


def _review(thesis, kind: str) -> Review | None:
    return next((r for r in thesis.reviews.all() if r.kind == kind), None) if thesis else None


def _supervisor(thesis) -> Condition:
    review = _review(thesis, Review.Kind.SUPERVISOR)
    label = _("Supervisor's review")
    if review is None:
        return Condition("supervisor_review", label, False, _("not submitted"))
    if review.conclusion == Conclusion.NOT_ADMITTED:
        return Condition(
            "supervisor_review", label, False, _("the supervisor concluded: not admitted to defense"), blocking=True
        )
    return Condition("supervisor_review", label, True, review.get_conclusion_display())


def _external(thesis) -> Condition:
    review = _review(thesis, Review.Kind.EXTERNAL)
    label = _("External review")
    if review is None:
        return Condition("external_review", label, False, _("not submitted"))
    return Condition("external_review", label, True, f"{review.letter} · {review.get_conclusion_display()}")


def _plagiarism(thesis) -> Condition:
    label = _("Plagiarism check")
    checks = list(thesis.plagiarism_checks.all()) if thesis else []
    passed = next((c for c in checks if c.passed), None)
    if passed:
        return Condition(
            "plagiarism", label, True, _("originality %(pct)s%%") % {"pct": number_format(passed.originality_percent, 2)}
        )
    if checks:
        return Condition("plagiarism", label, False, _("failed check No. %(n)s") % {"n": checks[-1].attempt_number})
    return Condition("plagiarism", label, False, _("not checked"))


def _certificate(thesis) -> Condition:
    present = thesis is not None and hasattr(thesis, "plagiarism_certificate")
    return Condition(
        "certificate", _("Supervisor's certificate of the check"), present, "" if present else _("not submitted")
    )


def _electronic(thesis) -> Condition:
    versions = list(thesis.versions.all()) if thesis else []
    label = _("Electronic thesis")
    if not versions:
        return Condition("electronic_thesis", label, False, _("not uploaded"))
    return Condition("electronic_thesis", label, True, _("version %(n)s") % {"n": max(v.number for v in versions)})


def _formatting(thesis) -> Condition:
    label = _("Formatting check")
    if thesis is None or thesis.formatting_passed is None:
        return Condition("formatting", label, False, _("not checked"))
    if not thesis.formatting_passed:
        return Condition("formatting", label, False, thesis.formatting_comments or _("failed"))
    return Condition("formatting", label, True)


def _clearance(student) -> Condition:
    lines = {c.line: c for c in student.clearance_lines.all()}
    pending = [str(label) for key, label in ClearanceLine.Line.choices if not (key in lines and lines[key].cleared)]
    return Condition("clearance", _("Clearance sheet"), not pending, ", ".join(pending))


def student_admission(student) -> StudentAdmission:
    """Every condition of R16-R18 for a student whose thesis rows are prefetched (see selectors)."""
    thesis = getattr(student, "thesis", None)
    conditions = [
        _supervisor(thesis),
        _external(thesis),
        _plagiarism(thesis),
        _certificate(thesis),
        _electronic(thesis),
        _formatting(thesis),
        _clearance(student),
    ]
    decision = getattr(student, "admission_decision", None)
    return StudentAdmission(student=student, thesis=thesis, conditions=conditions, decision=decision)


def missing_documents(thesis) -> list[str]:
    """The papers due three weeks before the defense that have not arrived at all (their content aside)."""
    kinds = {r.kind for r in thesis.reviews.all()}
    missing = []
    if Review.Kind.SUPERVISOR not in kinds:
        missing.append(_("Supervisor's review"))
    if Review.Kind.EXTERNAL not in kinds:
        missing.append(_("External review"))
    if not hasattr(thesis, "plagiarism_certificate"):
        missing.append(_("Supervisor's certificate of the check"))
    if not thesis.versions.exists():
        missing.append(_("Electronic thesis"))
    return missing
