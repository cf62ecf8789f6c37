"""Who may see and decide which application (R41 chair; R42 department or institution; R44, R45 department)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from attestation.institutions.permissions import heads_department, is_institution_admin, is_registrar
from commissions.models import Membership
from exams.applications.models import Application

Kind = Application.Kind


def _department_id(application: Application) -> int:
    return application.student.group.programme.department_id


def _chairs_commission_of(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.slot is not None
        and Membership.objects.filter(
            commission_id=application.slot.sitting.commission_id, user=user, role=Membership.Role.CHAIR
        ).exists()
    )


def can_decide(user, application: Application) -> bool:
    if application.kind == Kind.MISSED:
        return _chairs_commission_of(user, application)
    if application.kind == Kind.POSTPONEMENT:
        return heads_department(user, _department_id(application)) or is_institution_admin(
            user, application.student.institution_id
        )
    return heads_department(user, _department_id(application))


def can_view_application(user, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return application.student.user_id == user.pk or can_decide(user, application)


def can_import_transcripts(user, institution) -> bool:
    return is_institution_admin(user, institution.pk) or is_registrar(user, institution.pk)


def can_make_summative_decision(user, institution) -> bool:
    """R44: the institution's own decision for a list of disciplines is its administration's."""
    return is_institution_admin(user, institution.pk)


def can_set_due_date(user, result) -> bool:
    """R43: the commission's chair or the student's department sets an "I" grade's due date."""
    if not user.is_authenticated:
        return False
    return (
        heads_department(user, result.slot.student.group.programme.department_id)
        or Membership.objects.filter(
            commission_id=result.slot.sitting.commission_id, user=user, role=Membership.Role.CHAIR
        ).exists()
    )


def can_set_arts_result(user, student) -> bool:
    """R46: the student's department sets the arts and culture result."""
    return heads_department(user, student.group.programme.department_id)


def decider_filter(user) -> Q:
    """The applications `user` may decide, as one filter (the queue is one query)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    department = Q(student__group__programme__department__heads__user=user)
    chair = Q(
        slot__sitting__commission__memberships__user=user, slot__sitting__commission__memberships__role=Membership.Role.CHAIR
    )
    admin = Q(pk__isnull=False) if user.is_superuser else Q(student__institution__admins__user=user)
    return (
        (Q(kind=Kind.MISSED) & chair)
        | (Q(kind=Kind.POSTPONEMENT) & (department | admin))
        | (Q(kind__in=[Kind.SUMMATIVE, Kind.RESTUDY]) & department)
    )


def deciders_for(application: Application):
    """The people told that an application waits for them."""
    users = get_user_model().objects.filter(is_active=True)
    if application.kind == Kind.MISSED:
        return users.filter(
            memberships__commission_id=application.slot.sitting.commission_id, memberships__role=Membership.Role.CHAIR
        )
    department = Q(department_headships__department_id=_department_id(application))
    if application.kind == Kind.POSTPONEMENT:
        department |= Q(institution_admin_posts__institution_id=application.student.institution_id)
    return users.filter(department).distinct()
