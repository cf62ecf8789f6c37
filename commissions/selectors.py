"""Reads on commissions and the schedule, scoped to the person asking."""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from attestation.core.collation import name_order
from attestation.core.prepared import PreparedQuery
from attestation.institutions.models import AttestationPeriod, Institution, Programme, Staff
from attestation.institutions.permissions import is_institution_admin
from commissions import permissions
from commissions.models import Commission, Membership, Sitting, Slot

User = get_user_model()


def _student_slots(user_id: int):
    return (
        Slot.objects.filter(student__user_id=user_id)
        .select_related("sitting__commission__institution", "sitting__commission__exam_settings")
        .order_by("starts_at")
    )


_STUDENT_SLOTS = PreparedQuery(_student_slots)


def slots_for_student(*, user) -> list[Slot]:
    """The student's own schedule, oldest first; nobody else's. Built and compiled once per process
    (attestation/core/prepared.py): every miss of the schedule page runs it."""
    return _STUDENT_SLOTS.list(user.pk)


def slot_get_for_user(*, user, pk: int) -> Slot:
    # the exam's format (exams.ExamSettings, joined by name) is shown beside the form: no query of its own
    slot = Slot.objects.select_related("student", "sitting__commission__exam_settings").filter(pk=pk).first()
    if slot is None or not permissions.can_view_slot(user, slot):
        raise Http404
    return slot


def commission_get_for_user(*, user, pk: int) -> Commission:
    commission = Commission.objects.select_related("institution", "exam_settings").filter(pk=pk).first()
    if commission is None or not permissions.can_view_commission(user, commission):
        raise Http404
    return commission


def commission_members(*, commission: Commission) -> list[Membership]:
    """Chair, members, secretary; within a role in the alphabet of the page's language (Kazakh or Russian)."""
    return list(
        commission.memberships.select_related("user").order_by(
            "role", *name_order("user__last_name", "user__first_name", "user__patronymic")
        )
    )


def commission_sittings(*, commission: Commission) -> list[Sitting]:
    """Sittings with their slots and students: a fixed number of queries however many students."""
    slots = Slot.objects.select_related("student__group").order_by("starts_at")
    return list(commission.sittings.prefetch_related(Prefetch("slots", queryset=slots)).order_by("date", "starts_at"))


def commissions_for_user(*, user):
    return (
        Membership.objects.filter(user=user)
        .select_related("commission")
        .order_by("-commission__academic_year", "commission__name_kk")
    )


def institution_for_forming(*, user, pk: int) -> Institution:
    """The institution whose commissions the user forms (its administrator or one of its department heads)."""
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_form_commissions(user, institution):
        raise Http404
    return institution


def commission_get_for_editing(*, user, pk: int) -> Commission:
    commission = Commission.objects.select_related("institution", "period").filter(pk=pk).first()
    if commission is None or not permissions.can_edit_commission(user, commission):
        raise Http404
    return commission


def commissions_formed_by(*, user, institution: Institution) -> list[Commission]:
    """The commissions the user may edit: all of the institution's for its administrator, the department's for a head;
    with programmes and people in a fixed number of queries."""
    found = Commission.objects.filter(institution=institution)
    if not is_institution_admin(user, institution.pk):
        found = found.filter(programmes__department__heads__user=user).distinct()
    members = Membership.objects.select_related("user").order_by("role", "user__last_name")
    return list(
        found.select_related("period")
        .prefetch_related("programmes", Prefetch("memberships", queryset=members))
        .order_by("-academic_year", "name_kk")
    )


def commission_form_choices(*, user, institution: Institution, commission: Commission | None = None) -> dict:
    """What the commission form offers: the institution's periods, the programmes the user forms commissions for,
    and the institution's staff (with the commission's present people, staff or not)."""
    programmes = Programme.objects.filter(department__institution=institution)
    if not is_institution_admin(user, institution.pk):
        programmes = programmes.filter(department__heads__user=user)
    people = User.objects.filter(staff_posts__institution=institution)
    if commission is not None:
        programmes = programmes | Programme.objects.filter(commissions=commission)
        people = people | User.objects.filter(memberships__commission=commission)
    position = Staff.objects.filter(user=OuterRef("pk"), institution=institution).values("position")[:1]
    return {
        "period": AttestationPeriod.objects.filter(institution=institution),
        "programmes": programmes.distinct().order_by("code"),
        "people": people.distinct().annotate(position=Subquery(position)).order_by("last_name", "first_name"),
    }


def commissions_of_department(*, department) -> list[Commission]:
    """The commissions examining the department's programmes, with their members and invitation state."""
    members = Membership.objects.select_related("user").prefetch_related("user__invitations").order_by("role")
    return list(
        Commission.objects.filter(programmes__department=department)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("-academic_year", "name_kk")
    )
