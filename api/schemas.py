"""The API's request and response shapes (they make the OpenAPI description)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

Language = Literal["kk", "ru", "en"]


def _printable(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("control characters are not allowed")
    return value.strip()


Text = Annotated[str, AfterValidator(_printable)]  # every text the API takes: no NUL or control characters


class Error(Schema):
    message: str = Field(description="What went wrong, in the language of the Accept-Language header.")
    errors: list[dict] = Field(default_factory=list, description="Item-level problems: item, field, message.")


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int = 0


class ProgrammeIn(Schema):
    code: Text = Field(min_length=1, max_length=20)
    department: Text = Field(min_length=1, max_length=255, description="The department's name (kk, ru or en).")
    name_kk: Text = Field(min_length=1, max_length=255)
    name_ru: Text = Field(min_length=1, max_length=255)
    name_en: Text = Field(default="", max_length=255)
    level: Literal["bachelor", "master", "college"]


class ProgrammesIn(Schema):
    items: list[ProgrammeIn] = Field(min_length=1, max_length=5000)


class ProgrammeOut(Schema):
    code: str
    department: str
    name_kk: str
    name_ru: str
    name_en: str
    level: str


class GroupIn(Schema):
    name: Text = Field(min_length=1, max_length=50)
    programme: Text = Field(min_length=1, max_length=20, description="The programme's code.")
    study_language: Language


class GroupsIn(Schema):
    items: list[GroupIn] = Field(min_length=1, max_length=5000)


class GroupOut(Schema):
    name: str
    programme: str
    study_language: str


class StudentIn(Schema):
    iin: Text = Field(pattern=r"^\d{12}$", description="The 12-digit IIN; the key of the upsert.")
    record_number: Text = Field(default="", max_length=30)
    last_name_kk: Text = Field(min_length=1, max_length=100)
    first_name_kk: Text = Field(min_length=1, max_length=100)
    patronymic_kk: Text = Field(default="", max_length=100)
    last_name_ru: Text = Field(min_length=1, max_length=100)
    first_name_ru: Text = Field(min_length=1, max_length=100)
    patronymic_ru: Text = Field(default="", max_length=100)
    group: Text = Field(min_length=1, max_length=50)
    study_language: Language
    email: Text = Field(default="", max_length=254)


class StudentsIn(Schema):
    items: list[StudentIn] = Field(min_length=1, max_length=20000)


class StudentOut(Schema):
    iin: str
    record_number: str
    last_name_kk: str
    first_name_kk: str
    patronymic_kk: str
    last_name_ru: str
    first_name_ru: str
    patronymic_ru: str
    group: str
    study_language: str
    email: str


class TranscriptIn(Schema):
    iin: Text = Field(default="", pattern=r"^(\d{12})?$", description="The student's IIN, or give record_number.")
    record_number: Text = Field(default="", max_length=30)
    discipline: Text = Field(min_length=1, max_length=30, description="The discipline's code.")
    period: Text = Field(min_length=1, max_length=10, description="Year and term: 2019-1, 2019-2 or 2019-S (summer).")
    kind: Literal["current", "midterm", "final"]
    points: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class TranscriptsIn(Schema):
    items: list[TranscriptIn] = Field(min_length=1, max_length=50000)


class TranscriptsOut(Schema):
    written: int = Field(description="The batch's scores, all now stored: added + updated + unchanged.")
    added: int
    updated: int
    unchanged: int


class SlotOut(Schema):
    id: int
    student_iin: str
    student_name: str
    group: str
    programme: str
    commission_id: int
    commission: str
    academic_year: int
    starts_at: dt.datetime
    duration_minutes: int
    status: str


class ResultOut(Schema):
    slot_id: int
    student_iin: str
    student_name: str
    group: str
    programme: str
    commission_id: int
    academic_year: int
    letter: str
    points: Decimal | None
    gpa: Decimal | None
    traditional: str
    source: str
    decided_at: dt.datetime
    announced_at: dt.datetime


class SignerOut(Schema):
    name: str
    role: str
    signed_at: dt.datetime


class DocumentOut(Schema):
    id: str
    kind: str
    number: int | None
    commission_id: int
    academic_year: int
    sitting_date: dt.date | None
    student_iin: str | None
    amends: str | None
    created_at: dt.datetime
    sha256: str = Field(description="SHA-256 of the signed PDF served at download_url.")
    signers: list[SignerOut]
    download_url: str


class LetterCount(Schema):
    letter: str
    count: int
    share: float


class ProgrammeFigures(Schema):
    programme: str
    total: int
    letters: list[LetterCount]


class DegreeFigures(Schema):
    held: int
    awarded: int
    refused: int


class ReportOut(Schema):
    commission_id: int
    commission: str
    academic_year: int
    total: int
    programmes: list[ProgrammeFigures]
    degree: DegreeFigures


def page_schema(item: type, name: str) -> type:
    """A page of items: the total count, the page number, the number of pages."""
    return type(name, (Schema,), {"__annotations__": {"count": int, "page": int, "pages": int, "items": list[item]}})


SlotPage = page_schema(SlotOut, "SlotPage")
ResultPage = page_schema(ResultOut, "ResultPage")
DocumentPage = page_schema(DocumentOut, "DocumentPage")
ReportPage = page_schema(ReportOut, "ReportPage")
StudentPage = page_schema(StudentOut, "StudentPage")
