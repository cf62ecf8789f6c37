"""Reading the audit trail of a commission or of a student: the events whose subjects (attestation/core/audit.py)
name them, filtered by kind and day, turned into lines a person reads — when, who (name and role), what (a
sentence per verb, commissions/trail_words.py) and what changed. A page costs the same number of queries whatever
the number of its events: the count, the page, the actors' roles, the students the events concern."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from attestation.core.models import AuditEvent, AuditSubject
from attestation.institutions.models import DepartmentHead, InstitutionAdmin, Registrar, Student
from commissions.models import Commission, Membership, VoteMode
from commissions.permissions import StudentTrailScope
from commissions.trail_words import EXTRA_FIELDS, KINDS, STUDENT_VERBS, VOTE_FIELDS, describe

PAGE_SIZE = 50
HIDDEN_FIELDS = frozenset({"id", "password", "sha256", "token_hash", "secret"})  # nothing a person reads

ROLES: dict[str, Promise] = {
    **{str(value): label for value, label in Membership.Role.choices},
    "admin": gettext_lazy("institution administrator"),
    "head": gettext_lazy("head of department"),
    "registrar": gettext_lazy("registrar"),
    "student": gettext_lazy("student"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the value is new (nothing before)
    after: str


@dataclass
class Line:
    at: dt.datetime
    who: str
    role: str
    sentence: str
    changes: list[Change] = field(default_factory=list)
    student: str = ""


def _about(model: type, pk: int) -> Q:
    return Q(
        Exists(
            AuditSubject.objects.filter(
                event=OuterRef("pk"), content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
            )
        )
    )


def _filtered(events: QuerySet[AuditEvent], *, kind: str = "", since=None, until=None) -> QuerySet[AuditEvent]:
    chosen = next((k for k in KINDS if k.code == kind), None)
    if chosen is not None:
        q = Q()
        for start in chosen.verbs:
            q |= Q(verb__startswith=start)
        events = events.filter(q)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events.select_related("actor", "content_type").order_by("-at", "-pk")


def commission_trail(*, commission: Commission, kind: str = "", since=None, until=None) -> QuerySet[AuditEvent]:
    """Everything recorded about the commission, its sittings, slots, grades, votes, appeals…, newest first."""
    return _filtered(AuditEvent.objects.filter(_about(Commission, commission.pk)), kind=kind, since=since, until=until)


def student_trail(
    *, student: Student, scope: StudentTrailScope, kind: str = "", since=None, until=None
) -> QuerySet[AuditEvent]:
    """What was recorded about the student, as far as `scope` lets the reader see: within some commissions only, or
    — the student's own — without the members' grades, the votes and the steps only staff take."""
    events = AuditEvent.objects.filter(_about(Student, student.pk))
    if not scope.whole and not scope.own:
        ct = ContentType.objects.get_for_model(Commission)
        within = AuditSubject.objects.filter(
            event=OuterRef("pk"), content_type=ct, object_id__in=[str(pk) for pk in scope.commissions]
        )
        events = events.filter(Exists(within))
    if scope.own:
        events = events.filter(verb__in=STUDENT_VERBS)
    return _filtered(events, kind=kind, since=since, until=until)


def student_commission_ids(student: Student) -> list[int]:
    return list(Commission.objects.filter(sittings__slots__student=student).values_list("pk", flat=True).distinct())


def trail_lines(events: list[AuditEvent], *, commission_ids: list[int], name_students: bool) -> list[Line]:
    """The page's events as lines: the actors' roles in one query, the students they concern in two."""
    roles = _roles({e.actor_id for e in events if e.actor_id}, commission_ids)
    students = _students([e.pk for e in events]) if name_students and events else {}
    return [
        Line(
            at=e.at,
            who=e.actor.display_name if e.actor else _("Portal"),
            role=_role(e, roles),
            sentence=str(describe(e.verb)),
            changes=_changes(e),
            student=_names(students.get(e.pk, [])),
        )
        for e in events
    ]


def _names(names: list[str], shown: int = 3) -> str:
    """A few names; the rest as a number (an announcement concerns the whole sitting)."""
    if len(names) <= shown:
        return ", ".join(names)
    rest = len(names) - shown
    more = ngettext("and %(n)s more", "and %(n)s more", rest) % {"n": rest}
    return f"{', '.join(names[:shown])} {more}"


_ROLE_ORDER = ("chair", "secretary", "member", "admin", "head", "registrar", "student")


def _roles(user_ids: set[int], commission_ids: list[int]) -> dict[int, str]:
    """Each actor's role: in the commission(s) first, else the institution's post, else student."""
    if not user_ids:
        return {}
    text = CharField()
    parts = [
        Membership.objects.filter(user_id__in=user_ids, commission_id__in=commission_ids).values_list("user_id", "role"),
        InstitutionAdmin.objects.filter(user_id__in=user_ids).values_list("user_id", Value("admin", output_field=text)),
        DepartmentHead.objects.filter(user_id__in=user_ids).values_list("user_id", Value("head", output_field=text)),
        Registrar.objects.filter(user_id__in=user_ids).values_list("user_id", Value("registrar", output_field=text)),
        Student.objects.filter(user_id__in=user_ids).values_list("user_id", Value("student", output_field=text)),
    ]
    found: dict[int, str] = {}
    # no ORDER BY in the parts (the models' default ordering): SQLite refuses one inside a compound statement
    parts = [part.order_by() for part in parts]
    for user_id, role in parts[0].union(*parts[1:], all=True):
        if user_id not in found or _ROLE_ORDER.index(role) < _ROLE_ORDER.index(found[user_id]):
            found[user_id] = role
    return found


def _role(event: AuditEvent, roles: dict[int, str]) -> str:
    if event.actor is None:
        return _("automatically")
    role = roles.get(event.actor.pk)
    if role is not None:
        return str(ROLES[role])
    return _("system administrator") if event.actor.is_superuser else ""


def _students(event_ids: list[int]) -> dict[int, list[str]]:
    rows = AuditSubject.objects.filter(
        event_id__in=event_ids, content_type=ContentType.objects.get_for_model(Student)
    ).values_list("event_id", "object_id")
    pairs = [(event_id, int(object_id)) for event_id, object_id in rows]
    names = {s.pk: s.full_name for s in Student.objects.filter(pk__in={pk for _, pk in pairs})}
    out: dict[int, list[str]] = {}
    for event_id, pk in pairs:
        if pk in names:
            out.setdefault(event_id, []).append(names[pk])
    return out


def _changes(event: AuditEvent) -> list[Change]:
    """The values that changed (or were set), each with a translated label; what has no label, is an id, a list
    or a code without a translation is left out — and of a vote only its mode and count."""
    before, after = event.before or {}, event.after or {}
    model = event.content_type.model_class() if event.content_type else None
    keys = [*after, *(k for k in before if k not in after)]
    if event.verb.startswith("vote."):
        keys = [k for k in keys if k in VOTE_FIELDS]
    out = []
    for key in keys:
        if key in before and key in after and before[key] == after[key]:
            continue
        label = _label(model, key)
        new = _value(model, key, after.get(key)) if key in after else "—"
        old = _value(model, key, before[key]) if key in before else None
        if label is None or new is None or (key in before and old is None):
            continue
        out.append(Change(label=label, before=old, after=new))
    return out


def _field(model, key: str):
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except Exception:  # noqa: BLE001 - any key a service recorded that is not a field of the row
        return None
    return found if found.concrete and not found.is_relation else None


def _label(model, key: str) -> str | None:
    found = _field(model, key)
    if found is not None and key not in HIDDEN_FIELDS:
        return str(found.verbose_name)
    extra = EXTRA_FIELDS.get(key)
    return str(extra) if extra is not None else None


_CHOICES: dict[str, dict[str, Promise]] = {
    "role": {str(v): label for v, label in Membership.Role.choices},
    "mode": {str(v): label for v, label in VoteMode.choices},
}


def _value(model, key: str, value) -> str | None:
    """The value as the page shows it, or None when it cannot be shown in words (a list, an id, a bare code)."""
    if value is None or value == "" or value == "None":
        return "—"
    if isinstance(value, bool) or value in ("True", "False"):
        return _("yes") if value in (True, "True") else _("no")
    if isinstance(value, list):
        return str(len(value)) if key == "present" else None
    if isinstance(value, dict):
        return None
    if isinstance(value, int | float):
        return formats.localize(value)
    found = _field(model, key)
    choices = dict(found.flatchoices) if found is not None and found.choices else _CHOICES.get(key)
    if choices is not None:
        label = choices.get(value)
        return str(label) if label is not None else None
    return _when(str(value))


def _when(text: str) -> str:
    try:
        return _moment(text)
    except ValueError:  # looked like a date but is none
        return text


def _moment(text: str) -> str:
    moment = parse_datetime(text) if len(text) > 10 else None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    day = parse_date(text) if len(text) == 10 else None
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day is not None else text
