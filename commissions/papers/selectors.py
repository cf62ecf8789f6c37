"""Reads on commission documents, scoped to the person asking."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import translation

from attestation.core.collation import name_order, student_name_fields
from commissions import permissions
from commissions.models import Commission, Membership, Paper, Signature, Sitting


def paper_get_for_user(*, user, pk) -> Paper:
    """A document for those who may download it; 404 for everyone else."""
    paper = (
        Paper.objects.select_related("commission__institution", "document", "sitting", "slot__student").filter(pk=pk).first()
    )
    if paper is None or not permissions.can_download_paper(user, paper):
        raise Http404
    return paper


def registry_papers(
    *,
    institution_id: int,
    year: int | None = None,
    programme_id: int | None = None,
    commission_id: int | None = None,
    kind: str | None = None,
):
    """The registrar's list: newest first, filtered by period, programme and commission; a fixed query count."""
    papers = (
        Paper.objects.filter(commission__institution_id=institution_id)
        .select_related("commission", "sitting", "slot__student", "document")
        .prefetch_related("signatures__signer")
    )
    if year:
        papers = papers.filter(commission__academic_year=year)
    if programme_id:
        papers = papers.filter(commission__programmes__id=programme_id)
    if commission_id:
        papers = papers.filter(commission_id=commission_id)
    if kind:
        papers = papers.filter(kind=kind)
    return signed_only(papers).distinct().order_by(*registry_order())


def _roles_by_kind() -> dict[str, list[str]]:
    """Who signs each kind of paper, read from the model's one rule (Paper.signer_roles)."""
    return {kind: Paper(kind=kind).signer_roles for kind in Paper.Kind.values}


def signed_only(papers):
    """Only the papers every person who must sign has signed (and that carry at least one signature).

    One condition in the database per kind: no membership of the commission in a signing role is left without a
    signature on the paper — so a list of signed documents never shows one still awaiting a signature.
    """
    signed_by = Signature.objects.filter(paper_id=OuterRef(OuterRef("pk"))).values("signer_id")
    complete = Q(pk__in=[])
    for kind, roles in _roles_by_kind().items():
        awaited = Membership.objects.filter(commission_id=OuterRef("commission_id"), role__in=roles).exclude(
            user_id__in=signed_by
        )
        complete |= Q(~Exists(awaited), kind=kind)
    return papers.filter(complete).filter(Exists(Signature.objects.filter(paper_id=OuterRef("pk"))))


def signature_states(papers: list[Paper]) -> list[Paper]:
    """Sets on each paper `signed` (who signed, in order), `awaiting` (who still has to sign) and `is_signed`.

    Two queries for any number of papers (the signatures may already be prefetched); the document pages and the
    portfolio say exactly this about a paper's signatures, never more.
    """
    commission_ids = {p.commission_id for p in papers}
    people: dict[int, list[Membership]] = {}
    for membership in (
        Membership.objects.filter(commission_id__in=commission_ids)
        .select_related("user")
        .order_by("commission_id", "role", "user__last_name", "pk")
    ):
        people.setdefault(membership.commission_id, []).append(membership)
    order: dict[str, int] = {Membership.Role.CHAIR: 0, Membership.Role.MEMBER: 1, Membership.Role.SECRETARY: 2}
    for paper in papers:
        paper.signed = sorted(paper.signatures.all(), key=lambda s: (s.signed_at, s.pk))
        signers = {s.signer_id for s in paper.signed}
        paper.awaiting = sorted(
            (m for m in people.get(paper.commission_id, []) if m.role in paper.signer_roles and m.user_id not in signers),
            key=lambda m: order.get(m.role, 9),
        )
        paper.is_signed = bool(paper.signed) and not paper.awaiting
    return papers


def registry_order(language: str | None = None) -> list:
    """Commission by name, then sitting, then students' names (protocols) — names in the alphabet of the page's
    language (Kazakh or Russian, on PostgreSQL and SQLite alike); the newest version of a document first."""
    language = (language or translation.get_language() or "kk")[:2]
    commission_name = "commission__name_ru" if language == "ru" else "commission__name_kk"
    students = (f"slot__student__{f}" for f in student_name_fields(language))
    # The sitting's own papers (no student) come before its students' protocols on every database.
    names = [e.asc(nulls_first=True) for e in name_order(*students, language=language)]
    return [*name_order(commission_name, language=language), "sitting__date", "kind", *names, "-created_at"]


def signature_by_sha256(sha256: str) -> Signature | None:
    return Signature.objects.select_related("paper__commission", "signer").filter(sha256=sha256).first()


def commission_for_documents(*, user, pk: int) -> Commission:
    """The commission, for people on it (the report and the portfolio are theirs to make); 404 otherwise."""
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if commission is None or permissions.commission_role(user, commission) is None:
        raise Http404
    return commission


def latest_papers(
    *, commission: Commission | None = None, sitting: Sitting | None = None, kinds: Iterable[str] | None = None
) -> list[Paper]:
    """The newest version of each paper — one per kind, sitting and student — of a commission or one sitting, newest
    first: an amendment replaces what it amends, the older versions stay as history. Two queries whatever the count.
    """
    papers = Paper.objects.all()
    if commission is not None:
        papers = papers.filter(commission=commission)
    if sitting is not None:
        papers = papers.filter(sitting=sitting)
    if kinds is not None:
        papers = papers.filter(kind__in=list(kinds))
    seen: set[tuple[str, int | None, int | None]] = set()
    latest = []
    for paper in (
        papers.select_related("document", "slot__student", "sitting")
        .prefetch_related("signatures__signer")
        .order_by("-created_at", "-pk")
    ):
        key = (paper.kind, paper.sitting_id, paper.slot_id)
        if key not in seen:
            seen.add(key)
            latest.append(paper)
    return latest
