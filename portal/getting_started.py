"""The institution administrator's "getting started" checklist: what day one still lacks, each step with its page.

Composition (it asks the core and the commissions), so it lives in the portal. One query for any number
of institutions: every step is an EXISTS on the institution's row.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from attestation.institutions.models import (
    AttestationPeriod,
    Department,
    Group,
    Institution,
    Policy,
    Programme,
    Staff,
    Student,
)
from attestation.institutions.policies import academic_year_of
from commissions.models import Commission, Slot


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    hint: str
    url: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    institution: Institution
    steps: list[Step]

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _exists(model, path: str = "institution", **filters):
    return Exists(model.objects.filter(**{path: OuterRef("pk")}, **filters))


def getting_started(*, institutions, today) -> list[Checklist]:
    """For each institution: policy, structure, students, staff, commissions, timetable — done or not, with links."""
    rows = Institution.objects.filter(pk__in=[i.pk for i in institutions]).annotate(
        has_policy=_exists(Policy, academic_year=academic_year_of(today)),
        has_departments=_exists(Department),
        has_programmes=_exists(Programme, "department__institution"),
        has_groups=_exists(Group, "programme__department__institution"),
        has_periods=_exists(AttestationPeriod),
        has_students=_exists(Student),
        # the administrator's own staff row (from their invitation) is not yet a staff to form commissions of
        has_staff=Exists(Staff.objects.filter(institution=OuterRef("pk")).exclude(roles=["admin"])),
        has_commissions=_exists(Commission),
        has_timetable=_exists(Slot, "sitting__commission__institution"),
    )
    return [Checklist(institution=row, steps=_steps(row)) for row in rows.order_by("pk")]


def _steps(i) -> list[Step]:
    structure = i.has_departments and i.has_programmes and i.has_groups and i.has_periods
    return [
        Step("policy", _("Attestation policy"), _("the numbers of the rules for this academic year"),
             reverse("institutions:policy", args=[i.pk]), i.has_policy),
        Step("structure", _("Structure of the institution"), _("departments, programmes, groups, attestation periods"),
             reverse("institutions:structure", args=[i.pk]), structure),
        Step("students", _("Students"), _("import them from an XLSX or CSV file"),
             reverse("institutions:import_students", args=[i.pk]), i.has_students),
        Step("staff", _("Staff"), _("invite them by e-mail with their roles"),
             reverse("staff", args=[i.pk]), i.has_staff),
        Step("commissions", _("Attestation commissions"), _("chair, members, secretary, the order"),
             reverse("commissions:commission_list", args=[i.pk]), i.has_commissions),
        Step("timetable", _("Timetable"), _("propose it on a commission's page and publish"),
             reverse("commissions:commission_list", args=[i.pk]), i.has_timetable),
    ]  # fmt: skip
