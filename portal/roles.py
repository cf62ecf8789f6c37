"""Everything a person is, read once per request: the home page and the navigation show it."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from appeals.models import AppealCommission
from attestation.institutions.models import Department, Institution, Programme, Student
from commissions.models import Membership


@dataclass
class Roles:
    student: object | None = None
    memberships: list = field(default_factory=list)
    departments: list = field(default_factory=list)
    admin_of: list = field(default_factory=list)
    registrar_of: list = field(default_factory=list)
    appeal_commissions: list = field(default_factory=list)

    @property
    def runs_sittings(self) -> bool:
        """The secretary or the chair of a commission: their home page leads to the desk for today."""
        return any(m.role in (Membership.Role.SECRETARY, Membership.Role.CHAIR) for m in self.memberships)

    @property
    def is_anyone(self) -> bool:
        return bool(
            self.student
            or self.memberships
            or self.departments
            or self.admin_of
            or self.registrar_of
            or self.appeal_commissions
        )


def roles_for(user) -> Roles:
    if not user.is_authenticated:
        return Roles()
    admin_of = Institution.objects.all() if user.is_superuser else Institution.objects.filter(admins__user=user)
    return Roles(
        student=Student.objects.select_related("group__programme", "institution").filter(user=user).first(),
        memberships=list(Membership.objects.filter(user=user).select_related("commission")),
        departments=list(
            Department.objects.filter(heads__user=user)
            .select_related("institution")
            .annotate(has_arts=Exists(Programme.objects.filter(department=OuterRef("pk"), arts_and_culture=True)))
        ),
        admin_of=list(admin_of),
        registrar_of=list(Institution.objects.filter(registrars__user=user)),
        appeal_commissions=list(AppealCommission.objects.filter(members__user=user)),
    )
