"""Reads on appeals, scoped to the person asking."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, FilteredRelation, Prefetch, Q, When
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from appeals import permissions
from appeals.models import Appeal, AppealCommission, AppealMember
from appeals.services import appeal_window_closes
from attestation.core.prepared import PreparedQuery
from attestation.documents.models import Document
from attestation.institutions.models import Institution, Policy
from attestation.workcal.calendar import overrides_ahead, with_overrides_ahead
from commissions.case_file import case_sections
from commissions.models import Commission, MemberGrade, Result

User = get_user_model()

_APPEAL_RELATED = (
    "result__slot__student__user",
    "result__slot__sitting__commission__institution",
    "appeal_commission__institution",
)


# What the results page shows and its appeal windows read, and no more: every column of five joined models was
# compiled and read on each student's first visit (issue 18).
_RESULTS_PAGE_FIELDS = (
    "letter",
    "points",
    "traditional",
    "announced_at",
    "slot__sitting__date",
    "slot__sitting__commission__name_kk",
    "slot__sitting__commission__name_ru",
    "slot__sitting__commission__name_en",
    "slot__sitting__commission__academic_year",
    "slot__sitting__commission__institution__time_zone",
    "slot__sitting__commission__institution__short_name",
    "appeal__state",
)


def _results_page_rows(user_id: int):
    policy = FilteredRelation(
        "slot__sitting__commission__institution__policies",
        condition=Q(
            slot__sitting__commission__institution__policies__academic_year=F("slot__sitting__commission__academic_year")
        ),
    )
    rows = (
        Result.objects.filter(slot__student__user_id=user_id, announced_at__isnull=False)
        .select_related("slot__sitting__commission__institution", "appeal")
        .only(*_RESULTS_PAGE_FIELDS)
        .annotate(policy=policy)
        .annotate(
            appeal_window_days=F("policy__appeal_window_working_days"),
            published=Case(
                When(~Q(policy__public_results=Policy.PublicResults.NONE), then=F("policy__public_results")),
                default=None,
            ),
        )
        .order_by("-announced_at")
    )
    # The calendar's overrides after each announcement, for its appeal window: not a query of their own per page built.
    return with_overrides_ahead(rows, moment="announced_at", institution="slot__sitting__commission__institution_id")


_RESULTS_PAGE_ROWS = PreparedQuery(_results_page_rows)


def results_for_student(*, user):
    """The student's announced results, each with its appeal if any, the length of its appeal window from the
    commission's policy (`appeal_window_days`, None without a policy) and whether the institution publishes the
    sitting's results on its public page (`published`), and the calendar's overrides of the days after its announcement
    (attestation.workcal.calendar.with_overrides_ahead), in one query: the policy of the commission's institution
    and year is joined (one per institution and year: policy_one_per_year) rather than asked twice in subqueries,
    which cost as much to compile as the rest of the query. Only the fields the page reads are loaded; the query is
    built and compiled once per process (attestation/core/prepared.py), as the page's every miss runs it."""
    return _RESULTS_PAGE_ROWS.list(user.pk)


def results_with_appeal_windows(*, user) -> list[tuple[Result, dt.datetime | None]]:
    """The student's announced results, each with the end of its appeal window (R47).

    The window depends only on the commission's institution and year and the local day of the announcement, so it is
    computed once per such day, not once per result; the policy and the calendar's overrides come with the results.
    """
    windows: dict[tuple, dt.datetime | None] = {}
    rows = []
    for result in results_for_student(user=user):
        commission = result.slot.sitting.commission
        day = result.announced_at.astimezone(ZoneInfo(commission.institution.time_zone)).date()
        key = (commission.institution_id, commission.academic_year, day)
        if key not in windows:
            known = overrides_ahead(result, commission.institution_id)
            windows[key] = appeal_window_closes(result, window_days=result.appeal_window_days, known=known)
        rows.append((result, windows[key]))
    return rows


def result_get_for_appeal(*, user, pk: int) -> Result:
    result = Result.objects.select_related("slot__student", "slot__sitting__commission__institution").filter(pk=pk).first()
    if result is None or not permissions.can_appeal(user, result):
        raise Http404
    return result


def appeal_get_for_user(*, user, pk: int) -> Appeal:
    appeal = Appeal.objects.select_related(*_APPEAL_RELATED).filter(pk=pk).first()
    if appeal is None or not permissions.can_view_appeal(user, appeal):
        raise Http404
    return appeal


def appeal_commission_get_for_user(*, user, pk: int) -> AppealCommission:
    found = AppealCommission.objects.select_related("institution").filter(pk=pk).first()
    if found is None or not permissions.can_view_appeal_commission(user, found):
        raise Http404
    return found


def appeals_of_commission(*, appeal_commission: AppealCommission):
    return list(appeal_commission.appeals.select_related(*_APPEAL_RELATED).order_by("-filed_at"))


def appeal_commissions_for_user(*, user):
    return list(AppealCommission.objects.filter(members__user=user).order_by("-academic_year"))


def case_file(*, appeal: Appeal) -> dict:
    """What the appeal commission reads (R48): the grades, the documents about the slot, the attachments."""
    slot = appeal.result.slot
    return {
        "grades": list(MemberGrade.objects.filter(slot=slot).select_related("membership__user")),
        "documents": [_labelled(d) for d in _slot_documents(slot).select_related("paper").order_by("-created_at")],
        "attachments": list(appeal.attachments.all()),
        "votes": list(appeal.votes.select_related("member__user")),
        # The attempt's answer sheets, incidents, technical-failure acts and recordings, each through its app's own
        # permission-checked download view (commissions.case_file).
        "sections": case_sections(slot),
    }


def _slot_documents(slot):
    return Document.objects.filter(content_type=ContentType.objects.get_for_model(slot), object_id=slot.pk)


def case_document(*, appeal: Appeal, pk: int):
    """One document of the case file (for its download), or None: the slot's document, without reading the rest."""
    return _slot_documents(appeal.result.slot).filter(pk=pk).first()


def _labelled(document):
    """Gives the document a readable name (`label`): its paper's kind, number and date, never the raw kind."""
    paper = getattr(document, "paper", None)  # a document without a paper raises RelatedObjectDoesNotExist
    if paper is None:
        document.label = _("Document of %(date)s") % {"date": _short_date(document.created_at)}
    elif paper.number:
        document.label = _("%(kind)s No. %(number)s of %(date)s") % {
            "kind": capfirst(paper.get_kind_display()),
            "number": paper.number,
            "date": _short_date(paper.created_at),
        }
    else:
        document.label = _("%(kind)s of %(date)s") % {
            "kind": capfirst(paper.get_kind_display()),
            "date": _short_date(paper.created_at),
        }
    document.is_amendment = document.amends_id is not None
    return document


def _short_date(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def appeal_exists_for_slot(*, slot_id: int) -> bool:
    return Appeal.objects.filter(result__slot_id=slot_id).exists()


def institution_for_appeal_commissions(*, user, pk: int) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_appoint_appeal_commissions(user, institution):
        raise Http404
    return institution


def appeal_commissions_of(*, institution: Institution) -> list[AppealCommission]:
    """The institution's appeal commissions with their members and the commissions they hear: fixed queries."""
    return list(
        AppealCommission.objects.filter(institution=institution)
        .prefetch_related("commissions", Prefetch("members", queryset=AppealMember.objects.select_related("user")))
        .order_by("-academic_year", "name_kk")
    )


def appeal_form_choices(*, institution: Institution) -> dict:
    """The institution's attestation commissions, and its staff as candidate members."""
    return {
        "commissions": Commission.objects.filter(institution=institution).order_by("-academic_year", "name_kk"),
        "people": User.objects.filter(staff_posts__institution=institution).distinct().order_by("last_name", "first_name"),
    }
