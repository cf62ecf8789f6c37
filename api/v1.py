"""Version 1 of the API for the institution's systems (Platonus, AIS "Univer", 1C), built with django-ninja.

A bearer token of one institution; each operation needs one scope; every call is audited and rate-limited; every
error is a JSON body with a message. Writes are idempotent by the institution's own keys (IIN, programme code,
group name) and all-or-nothing per batch: a batch with a wrong item writes nothing and names each wrong item.
"""

import functools
import math

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle
from pydantic import Field

from api import schemas, selectors, services
from api.models import ApiToken, Scope
from attestation.core.downloads import protected_file_response
from attestation.core.i18n import localized
from attestation.institutions.bulk import groups_upsert, programmes_upsert
from attestation.institutions.student_import import students_import
from commissions.papers.report import report_figures
from exams.applications.transcripts import transcripts_import

ERRORS = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error, 422: schemas.Error}
STUDENT_HEADER = [
    "iin",
    "record number",
    "surname (kk)",
    "first name (kk)",
    "patronymic (kk)",
    "surname (ru)",
    "first name (ru)",
    "patronymic (ru)",
    "group",
    "study language",
    "e-mail",
]
STUDENT_KEYS = [
    "iin",
    "record_number",
    "last_name_kk",
    "first_name_kk",
    "patronymic_kk",
    "last_name_ru",
    "first_name_ru",
    "patronymic_ru",
    "group",
    "study_language",
    "email",
]
STUDENT_FIELD_OF = dict(zip(STUDENT_HEADER, STUDENT_KEYS, strict=True))  # an error's column, as the API's field
TRANSCRIPT_HEADER = ["iin", "student number", "discipline code", "period", "kind", "points"]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer atp_…`: an active token of the institution."""

    def authenticate(self, request, token: str) -> ApiToken | None:
        return services.token_for_secret(token)


class TokenThrottle(AuthRateThrottle):
    """The calls per token per minute (API_RATE_LIMIT_PER_MINUTE); anonymous calls by address."""

    def __init__(self):
        super().__init__(f"{settings.API_RATE_LIMIT_PER_MINUTE}/m")

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(f"{settings.API_RATE_LIMIT_PER_MINUTE}/m")
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        token = getattr(request, "auth", None)
        ident = f"token-{token.pk}" if isinstance(token, ApiToken) else self.get_ident(request)
        return self.cache_format % {"scope": "api-v1", "ident": ident}


api = NinjaAPI(
    title="Attestation Portal API",
    version="1",
    description=__doc__,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _audited(view):
    """Records every authenticated call (token, method, path, status) in the audit trail."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            services.call_record(token=token, method=request.method, path=request.path, status=response.status_code)
        return response

    return wrapper


api.add_decorator(_audited, mode="view")


def _error(request, status: int, message: str, errors: list | None = None):
    return api.create_response(request, {"message": message, "errors": errors or []}, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = [{"field": ".".join(str(p) for p in e.get("loc", [])), "message": str(e.get("msg", ""))} for e in exc.errors]
    return _error(request, 422, _("The request is not valid."), errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, _("A valid API token is required (Authorization: Bearer …)."))


@api.exception_handler(Throttled)
def _rate_limited(request, exc):
    return _error(request, 429, _("Too many calls with this token; wait a minute."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or _("This token may not do that."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _object_not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(DjangoValidationError)
def _refused(request, exc):
    return _error(request, 422, " ".join(exc.messages))


def _require(request, scope: Scope) -> ApiToken:
    token: ApiToken = request.auth
    if scope.value not in token.scopes:
        raise PermissionDenied(_("This token lacks the scope %(scope)s.") % {"scope": scope.value})
    return token


class Filters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Academic year (its first calendar year).")
    programme: schemas.Text | None = Field(None, max_length=20, description="Programme code.")
    group: schemas.Text | None = Field(None, max_length=50, description="Group name.")
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(100, ge=1, le=1000)


class GroupFilters(Schema):
    programme: schemas.Text | None = Field(None, max_length=20, description="Programme code.")


def _page(qs, filters: Filters, convert) -> dict:
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    items = [convert(obj) for obj in qs[start : start + filters.page_size]]
    return {"count": count, "page": filters.page, "pages": max(1, math.ceil(count / filters.page_size)), "items": items}


class _BatchError(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


@api.exception_handler(_BatchError)
def _batch_error(request, exc):
    return _error(request, 422, _("Nothing was written: some items are wrong."), exc.errors)


# ---- in: structure, students, transcripts --------------------------------------------------------------------


@api.get("/programmes", response={200: list[schemas.ProgrammeOut], **ERRORS}, tags=["structure"])
def programmes_list(request):
    """The institution's programmes."""
    token = _require(request, Scope.WRITE_STRUCTURE)
    return [
        {**{f: getattr(p, f) for f in ("code", "name_kk", "name_ru", "name_en", "level")}, "department": p.department.name}
        for p in selectors.programmes(institution=token.institution)
    ]


@api.put("/programmes", response={200: schemas.BulkOut, **ERRORS}, tags=["structure"])
def programmes_put(request, payload: schemas.ProgrammesIn):
    """Creates or updates programmes by code; the same payload twice changes nothing."""
    token = _require(request, Scope.WRITE_STRUCTURE)
    result = programmes_upsert(actor=None, institution=token.institution, items=[i.model_dump() for i in payload.items])
    if not result.ok:
        raise _BatchError([{"item": i, "field": f, "message": m} for i, f, m in result.errors])
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@api.get("/groups", response={200: list[schemas.GroupOut], **ERRORS}, tags=["structure"])
def groups_list(request, filters: Query[GroupFilters]):
    """The institution's groups, optionally of one programme."""
    token = _require(request, Scope.WRITE_STRUCTURE)
    return [
        {"name": g.name, "programme": g.programme.code, "study_language": g.study_language}
        for g in selectors.groups(institution=token.institution, programme=filters.programme)
    ]


@api.put("/groups", response={200: schemas.BulkOut, **ERRORS}, tags=["structure"])
def groups_put(request, payload: schemas.GroupsIn):
    """Creates or updates groups by name; the same payload twice changes nothing."""
    token = _require(request, Scope.WRITE_STRUCTURE)
    result = groups_upsert(actor=None, institution=token.institution, items=[i.model_dump() for i in payload.items])
    if not result.ok:
        raise _BatchError([{"item": i, "field": f, "message": m} for i, f, m in result.errors])
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@api.get("/students", response={200: schemas.StudentPage, **ERRORS}, tags=["students"])
def students_list(request, filters: Query[Filters]):
    """The institution's students, by IIN."""
    token = _require(request, Scope.WRITE_STUDENTS)
    qs = selectors.students(institution=token.institution, group=filters.group)
    return _page(qs, filters, lambda s: {**{k: getattr(s, k) for k in STUDENT_KEYS if k != "group"}, "group": s.group.name})


@api.put("/students", response={200: schemas.BulkOut, **ERRORS}, tags=["students"])
def students_put(request, payload: schemas.StudentsIn):
    """Creates or updates students by IIN, all or nothing (the same checks as the portal's file import)."""
    token = _require(request, Scope.WRITE_STUDENTS)
    rows = [STUDENT_HEADER, *[[getattr(item, k) for k in STUDENT_KEYS] for item in payload.items]]
    result = students_import(actor=None, institution=token.institution, rows=rows)
    if not result.ok:
        raise _BatchError(
            [{"item": row - 2, "field": STUDENT_FIELD_OF.get(f, f), "message": problem} for row, f, problem in result.errors]
        )
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@api.put("/transcripts", response={200: schemas.TranscriptsOut, **ERRORS}, tags=["transcripts"])
def transcripts_put(request, payload: schemas.TranscriptsIn):
    """Creates or updates scores by (student, discipline, period, kind), all or nothing."""
    token = _require(request, Scope.WRITE_TRANSCRIPTS)
    rows = [
        TRANSCRIPT_HEADER,
        *[[i.iin, i.record_number, i.discipline, i.period, i.kind, str(i.points)] for i in payload.items],
    ]
    result = transcripts_import(actor=None, institution=token.institution, rows=rows)
    if not result.ok:
        raise _BatchError([{"item": row - 2, "field": "", "message": problem} for row, problem in result.errors])
    return {"written": result.written, "added": result.added, "updated": result.updated, "unchanged": result.unchanged}


# ---- out: schedule, results, documents, reports --------------------------------------------------------------


def _slot_fields(slot) -> dict:
    """Who sits before which commission in which year: the fields a schedule row and a result row share."""
    student = slot.student
    return {
        "student_iin": student.iin,
        "student_name": str(student),
        "group": student.group.name,
        "programme": student.group.programme.code,
        "commission_id": slot.sitting.commission_id,
        "academic_year": slot.sitting.commission.academic_year,
    }


def _slot_row(slot) -> dict:
    return {
        "id": slot.pk,
        **_slot_fields(slot),
        "commission": localized(slot.sitting.commission, "name"),
        "starts_at": slot.starts_at,
        "duration_minutes": slot.duration_minutes,
        "status": slot.status,
    }


@api.get("/schedule", response={200: schemas.SlotPage, **ERRORS}, tags=["schedule"])
def schedule(request, filters: Query[Filters]):
    """Every scheduled student: when, before which commission."""
    token = _require(request, Scope.READ_SCHEDULE)
    qs = selectors.schedule(
        institution=token.institution, year=filters.year, programme=filters.programme, group=filters.group
    )
    return _page(qs, filters, _slot_row)


def _result_row(result) -> dict:
    slot = result.slot
    return {
        "slot_id": slot.pk,
        **_slot_fields(slot),
        **{f: getattr(result, f) for f in ("letter", "points", "gpa", "traditional", "source")},
        "decided_at": result.decided_at,
        "announced_at": result.announced_at,
    }


@api.get("/results", response={200: schemas.ResultPage, **ERRORS}, tags=["results"])
def results(request, filters: Query[Filters]):
    """Announced results: the grade in force (after an appeal, the appeal's grade)."""
    token = _require(request, Scope.READ_RESULTS)
    qs = selectors.results(
        institution=token.institution, year=filters.year, programme=filters.programme, group=filters.group
    )
    return _page(qs, filters, _result_row)


def _document_row(paper) -> dict:
    signatures = list(paper.signatures.all())
    return {
        "id": str(paper.pk),
        "kind": paper.kind,
        "number": paper.number,
        "commission_id": paper.commission_id,
        "academic_year": paper.commission.academic_year,
        "sitting_date": paper.sitting.date if paper.sitting else None,
        "student_iin": paper.slot.student.iin if paper.slot else None,
        "amends": str(paper.amends_id) if paper.amends_id else None,
        "created_at": paper.created_at,
        "sha256": signatures[-1].sha256,
        "signers": [
            {"name": s.signer.get_full_name() or s.signer.username, "role": s.role, "signed_at": s.signed_at}
            for s in signatures
        ],
        "download_url": reverse("api-v1:document_file", kwargs={"pk": paper.pk}),
    }


@api.get("/documents", response={200: schemas.DocumentPage, **ERRORS}, tags=["documents"])
def documents(request, filters: Query[Filters]):
    """Signed protocols and grade sheets (amendments included, each citing the document it amends)."""
    token = _require(request, Scope.READ_DOCUMENTS)
    qs = selectors.signed_papers(institution=token.institution, year=filters.year, programme=filters.programme)
    return _page(qs, filters, _document_row)


@api.get("/documents/{pk}/file", response={**ERRORS}, url_name="document_file", tags=["documents"])
def document_file(request, pk: str):
    """The signed PDF, with every signature it carries."""
    token = _require(request, Scope.READ_DOCUMENTS)
    try:
        paper = selectors.paper_get(institution=token.institution, pk=pk)
    except (ObjectDoesNotExist, DjangoValidationError, ValueError) as exc:
        raise Http404 from exc
    signature = paper.signatures.all().order_by("signed_at", "pk").last()
    return protected_file_response(signature.file, f"{paper.kind}-{pk}.pdf")


@api.get("/reports", response={200: schemas.ReportPage, **ERRORS}, tags=["reports"])
def reports(request, filters: Query[Filters]):
    """The chair's report figures per commission: letters per programme, degree decisions."""
    token = _require(request, Scope.READ_REPORTS)
    qs = selectors.commissions(institution=token.institution, year=filters.year, programme=filters.programme)

    def convert(commission) -> dict:
        figures = report_figures(commission=commission)
        return {
            "commission_id": commission.pk,
            "commission": localized(commission, "name"),
            "academic_year": commission.academic_year,
            "total": figures["total"],
            "degree": figures["degree"],
            "programmes": [
                {"programme": row["programme"].code, "total": row["total"], "letters": row["letters"]}
                for row in figures["programmes"]
            ],
        }

    return _page(qs, filters, convert)
