"""The access matrix (issue 8): every URL that takes an object id × every persona → allowed or denied.

Each entry names the HTTP method, how to build the URL's kwargs from the objects of matrix_objects.build(), and the
personas that are ALLOWED; every other persona is denied. The rules asserted:
  * allowed: anything but 403/404 (and never the login redirect); actions are POSTed with an empty or minimal body;
  * denied: 403 or 404 — anonymous may also be sent to the login page; an action whose service refuses the person
    (a redirect carrying only an error message, nothing recorded) also counts as a refusal;
  * the student reaches only their OWN slot, exam, attempt, sheets and appeal; `other_student` is the wrong student;
  * the commission's pages only for the commission (plus the head, the institution's admin and the registrar where
    permissions.py grants it); votes only for the voting members; appeals never for the attestation commission.
A URL pattern with a parameter and no entry here fails test_every_url_with_a_parameter_has_an_entry. A pattern whose
rules differ per object (an application's decider depends on its kind) has several entries, keyed "name [variant]"
with Entry.url naming the pattern.

The objects are built once per module inside an outer transaction; every test runs in a savepoint (pytest-django's
`db`), so the POSTs change nothing the next test sees.
"""

import importlib
import pkgutil
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from attestation.tests import matrix_objects, matrix_parts
from attestation.tests.matrix_base import (
    ADMISSION_MANAGERS,
    APPEAL_READERS,
    CHAIR,
    COMMISSION,
    DECIDERS,
    EVERYONE,
    PENDING_NAMESPACES,
    PERSONAS,
    PROGRAMME_KEEPERS,
    PROGRAMME_READERS,
    REFUSAL,
    SECRETARY,
    SITTING_WATCHERS,
    SKIPPED_NAMESPACES,
    STUDENT,
    THESIS_READERS,
    TRANSCRIPT_IMPORTERS,
    VIEWERS,
    WATCHERS,
    Entry,
    _application,
    _commission,
    _paper,
    _sitting,
    _slot,
    _slot_pk,
    _thesis,
)

MATRIX: dict[str, Entry] = {
    # accounts: the invitation link is the credential itself; inviting is for the head and the admin
    "accept_invitation": Entry("get", lambda o: {"token": o["token"]}, EVERYONE),
    "invite_member": Entry(
        "post", lambda o: {"commission_pk": o["world"].commission.pk, "user_pk": o["users"]["member"].pk}, PROGRAMME_KEEPERS
    ),
    # institutions
    "institutions:department": Entry(
        "get", lambda o: {"pk": o["world"].department.pk}, frozenset({"head", "inst_admin", "registrar"})
    ),
    "institutions:policy": Entry("get", lambda o: {"pk": o["world"].institution.pk}, frozenset({"inst_admin"})),
    "institutions:import_students": Entry(
        "get", lambda o: {"pk": o["world"].institution.pk}, frozenset({"inst_admin", "registrar"})
    ),
    # commissions: slot, grading, votes, results
    "commissions:slot": Entry("get", _slot, VIEWERS | STUDENT),
    "commissions:slot_results": Entry("get", _slot, VIEWERS | STUDENT),
    "commissions:grade_submit": Entry("post", _slot, frozenset({"chair", "member"}), {"points": "80", "confirmed": "1"}),
    "commissions:result_decide": Entry("post", _slot, CHAIR),
    "commissions:result_incomplete": Entry("post", _slot, CHAIR),
    "commissions:vote_open": Entry("post", _slot, DECIDERS),
    "commissions:grade_correct": Entry(
        "post", lambda o: {"pk": o["grade"].pk}, CHAIR, {"points": "90", "reason": "арифметикалық қате"}
    ),
    "commissions:vote_cast": Entry(
        "post", lambda o: {"pk": o["vote_round"].pk}, frozenset({"chair", "member"}), {"choice": "for", "confirmed": "1"}
    ),
    "commissions:vote_close": Entry("post", lambda o: {"pk": o["vote_round"].pk}, DECIDERS, {"confirmed": "1"}),
    "commissions:sitting_results": Entry("get", _sitting, COMMISSION),
    "commissions:results_announce": Entry("post", _sitting, CHAIR, {"confirmed": "1"}),
    "commissions:public_results": Entry(
        "get", lambda o: {"short_name": o["world"].institution.short_name, "pk": o["world"].sitting.pk}, EVERYONE
    ),
    # commissions: documents
    "commissions:sitting_documents": Entry("get", _sitting, COMMISSION),
    "commissions:documents_draw_up": Entry("post", _sitting, DECIDERS),
    "commissions:job_progress": Entry("get", lambda o: {"pk": o["job"].pk}, COMMISSION),
    "commissions:job_output": Entry("get", lambda o: {"pk": o["job"].pk}, VIEWERS),
    "commissions:commission_documents": Entry("get", _commission, COMMISSION),
    "commissions:report_queue": Entry("post", _commission, CHAIR),
    "commissions:portfolio_queue": Entry("post", _commission, DECIDERS),
    "commissions:paper_download": Entry("get", _paper, VIEWERS),
    "commissions:paper_xlsx": Entry("get", _paper, VIEWERS),
    "commissions:paper_sign": Entry("post", _paper, frozenset({"chair", "member"})),  # a vedomost: R37
    "commissions:verify_paper": Entry("get", _paper, EVERYONE),  # where the QR code leads: public
    "commissions:registry": Entry(
        "get", lambda o: {"pk": o["world"].institution.pk}, frozenset({"inst_admin", "registrar"})
    ),
    "commissions:commission": Entry("get", _commission, VIEWERS),
    "commissions:composition_pdf": Entry("get", _commission, VIEWERS),
    # exams: the student's own exam
    "exams:student_exam": Entry("get", _slot_pk, STUDENT),
    "exams:student_status": Entry("get", _slot_pk, STUDENT),
    "exams:student_draw": Entry("post", _slot_pk, STUDENT),
    "exams:student_upload": Entry("post", _slot_pk, STUDENT),
    "exams:student_answer": Entry(
        "post", lambda o: {"slot_pk": o["slot"].pk, "question_pk": o["question"].pk}, STUDENT, {"answer": "Қалыпқа келтіру"}
    ),
    "exams:student_report_video": Entry("post", _slot_pk, STUDENT),
    "exams:answer_sheet": Entry("get", lambda o: {"pk": o["sheet"].pk}, WATCHERS | STUDENT),
    # exams: the console and the desk
    "exams:console": Entry("get", _sitting, SITTING_WATCHERS),
    "exams:console_queue": Entry("get", _sitting, SITTING_WATCHERS),
    "exams:desk": Entry("get", _slot_pk, WATCHERS),
    "exams:move": Entry("post", _slot_pk, SECRETARY),
    "exams:desk_question": Entry(
        "post", _slot_pk, SECRETARY, lambda o: {"member": o["member_membership"].pk, "text": "Тағы бір сұрақ"}
    ),
    "exams:desk_written": Entry("post", _slot_pk, SECRETARY),
    "exams:desk_speech_end": Entry("post", _slot_pk, SECRETARY),
    # exams: programmes and tickets
    "exams:programmes": Entry("get", _commission, PROGRAMME_READERS),
    "exams:programme": Entry("get", lambda o: {"pk": o["programme"].pk}, PROGRAMME_READERS),
    "exams:programme_file": Entry("get", lambda o: {"pk": o["programme"].pk, "which": "programme"}, PROGRAMME_READERS),
    "exams:programme_action": Entry("post", lambda o: {"pk": o["programme"].pk, "action": "approve"}, PROGRAMME_KEEPERS),
    "exams:ticket_set_action": Entry("post", lambda o: {"pk": o["ticket_set"].pk, "action": "approve"}, PROGRAMME_KEEPERS),
    # proctoring
    "proctoring:id_copy_file": Entry("get", lambda o: {"pk": o["id_copy"].pk}, frozenset({"student", "secretary"})),
    "proctoring:identify": Entry("post", _slot_pk, SECRETARY),
    "proctoring:room_check": Entry("post", _slot_pk, SECRETARY),
    "proctoring:room_check_decide": Entry("post", lambda o: {"pk": o["room_check"].pk}, DECIDERS),
    "proctoring:incident": Entry("post", _slot_pk, SECRETARY, {"kind": "left_view", "note": "камерадан шықты"}),
    "proctoring:failure_act": Entry("post", _slot_pk, SECRETARY),
    "proctoring:act_pdf": Entry("get", lambda o: {"pk": o["act"].pk}, WATCHERS | STUDENT),
    "proctoring:interruption_request": Entry("post", _slot_pk, STUDENT),
    "proctoring:interruption_decide": Entry("post", lambda o: {"pk": o["interruption"].pk}, DECIDERS),
    "proctoring:recordings": Entry("get", lambda o: {"sitting_pk": o["world"].sitting.pk}, SITTING_WATCHERS),
    # proctoring.permissions.can_assign_proctors
    "proctoring:proctor_assign": Entry("post", lambda o: {"sitting_pk": o["world"].sitting.pk}, SECRETARY | {"head"}),
    "proctoring:member_identify": Entry(
        "post",
        lambda o: {"sitting_pk": o["world"].sitting.pk, "membership_pk": o["chair_membership"].pk},
        frozenset({"head"}),
    ),  # exams.permissions.can_identify_members (R19)
    # appeals: the attestation commission only learns that an appeal exists (R48)
    "appeals:file": Entry("get", lambda o: {"result_pk": o["result"].pk}, STUDENT),
    "appeals:detail": Entry("get", lambda o: {"pk": o["appeal"].pk}, APPEAL_READERS),
    "appeals:attachment": Entry(
        "get", lambda o: {"pk": o["appeal"].pk, "attachment_pk": o["attachment"].pk}, APPEAL_READERS
    ),
    "appeals:document": Entry(
        "get",
        lambda o: {"pk": o["appeal"].pk, "document_pk": o["protocol"].document_id},
        frozenset({"appeal_chair", "inst_admin"}),
    ),
    "appeals:commission": Entry(
        "get", lambda o: {"pk": o["appeal_commission"].pk}, frozenset({"appeal_chair", "inst_admin"})
    ),
    # preparation: the department prepares (exams.preparation.permissions); the secretary also runs webinars
    "preparation:series": Entry(
        "post", lambda o: {"commission_pk": o["world"].commission.pk}, PROGRAMME_KEEPERS, {"starts_on": "2020-05-25"}
    ),
    "preparation:lecture_add": Entry("post", lambda o: {"commission_pk": o["world"].commission.pk}, PROGRAMME_KEEPERS),
    "preparation:webinar_create": Entry(
        "post", lambda o: {"commission_pk": o["world"].commission.pk}, PROGRAMME_KEEPERS | SECRETARY
    ),
    "preparation:step_done": Entry("post", lambda o: {"pk": o["step"].pk}, PROGRAMME_KEEPERS),
    "preparation:attendance": Entry("get", lambda o: {"pk": o["webinar"].pk}, PROGRAMME_KEEPERS | SECRETARY),
    # admission (exams.admission.permissions): the thesis for its student, supervisor, reviewer and department;
    # the admission table, list and order for the department head and the institution's admin (R4)
    "admission:thesis": Entry("get", _thesis, THESIS_READERS),
    "admission:thesis [other student's]": Entry(
        "get", lambda o: {"pk": o["other_thesis"].pk}, ADMISSION_MANAGERS | {"other_student"}, url="admission:thesis"
    ),
    "admission:thesis_file": Entry(
        "get", lambda o: {"pk": o["thesis"].pk, "what": "version", "item": o["thesis_version"].pk}, THESIS_READERS
    ),
    "admission:table": Entry("get", lambda o: {"pk": o["world"].programme.pk}, ADMISSION_MANAGERS),
    "admission:order": Entry("get", lambda o: {"pk": o["admission_list"].pk}, ADMISSION_MANAGERS),
    "admission:clearance": Entry("get", lambda o: {"pk": o["world"].student.pk}, ADMISSION_MANAGERS | STUDENT),
    "admission:acquaintance_confirm": Entry("post", lambda o: {"pk": o["acquaintance"].pk}, STUDENT),
    # the procedure goes to every student of the programme: the other student is one of them (R13)
    "admission:procedure_file": Entry(
        "get", lambda o: {"pk": o["notice"].pk}, ADMISSION_MANAGERS | {"student", "other_student"}
    ),
    # applications (exams.applications.permissions): the student's own, and its decider per kind
    "applications:new": Entry("get", lambda o: {"kind": "missed"}, frozenset({"student", "other_student"})),
    "applications:detail [missed]": Entry(
        "get", _application("missed"), STUDENT | CHAIR, url="applications:detail"
    ),  # R41: the commission's chair
    "applications:detail [postponement]": Entry(
        "get", _application("postponement"), STUDENT | ADMISSION_MANAGERS, url="applications:detail"
    ),  # R42: the department or institution
    "applications:detail [summative]": Entry(
        "get", _application("summative"), STUDENT | {"head"}, url="applications:detail"
    ),  # R44: the department
    "applications:detail [restudy]": Entry(
        "get", _application("restudy"), STUDENT | {"head"}, url="applications:detail"
    ),  # R45: the department
    # deciding (a refusal with its reason, rolled back after the test): the decider only, never the student
    "applications:detail [decide missed]": Entry("post", _application("missed"), CHAIR, REFUSAL, url="applications:detail"),
    "applications:detail [decide postponement]": Entry(
        "post", _application("postponement"), ADMISSION_MANAGERS, REFUSAL, url="applications:detail"
    ),
    "applications:detail [decide summative]": Entry(
        "post", _application("summative"), frozenset({"head"}), REFUSAL, url="applications:detail"
    ),
    "applications:detail [decide restudy]": Entry(
        "post", _application("restudy"), frozenset({"head"}), REFUSAL, url="applications:detail"
    ),
    "applications:document": Entry("get", _application("missed"), STUDENT | CHAIR),
    "applications:import": Entry("get", lambda o: {"pk": o["world"].institution.pk}, TRANSCRIPT_IMPORTERS),
    "applications:import_job_page": Entry("get", lambda o: {"pk": o["import_job"].pk}, TRANSCRIPT_IMPORTERS),
    "applications:import_job": Entry("get", lambda o: {"pk": o["import_job"].pk}, TRANSCRIPT_IMPORTERS),
}


def _merge_parts() -> list:
    """Each module of attestation/tests/matrix_parts adds its area's ENTRIES (and may add objects with build)."""
    modules = []
    for info in pkgutil.iter_modules(matrix_parts.__path__):
        module = importlib.import_module(f"{matrix_parts.__name__}.{info.name}")
        clash = set(module.ENTRIES) & set(MATRIX)
        assert not clash, f"{info.name} repeats matrix entries {sorted(clash)}"
        MATRIX.update(module.ENTRIES)
        modules.append(module)
    return modules


PARTS = _merge_parts()


def url_name(key: str) -> str:
    return MATRIX[key].url or key


# --- the URL patterns that take a parameter --------------------------------------------------------------------------


def _takes_parameter(pattern) -> bool:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return True
    regex = getattr(pattern.pattern, "regex", None)
    return bool(regex is not None and regex.groups)


def parameter_urls(resolver=None, namespace: str | None = None, inherited: bool = False) -> dict[str, str]:
    """`namespace:name` → the view's dotted path, for every pattern whose route (or an enclosing one) has a
    parameter; the admin, set_language and static/media are not the portal's views."""
    found: dict[str, str] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            found.update(parameter_urls(pattern, inner, inherited or _takes_parameter(pattern)))
        elif isinstance(pattern, URLPattern):
            if pattern.name == "set_language" or str(pattern.pattern).startswith(
                (settings.STATIC_URL.lstrip("/"), settings.MEDIA_URL.lstrip("/"), "^static", "^media")
            ):
                continue
            if inherited or _takes_parameter(pattern):
                key = ":".join(filter(None, [namespace, pattern.name or f"<unnamed {pattern.pattern}>"]))
                found[key] = pattern.lookup_str
    return found


def _pending(key: str) -> bool:
    return any(part in PENDING_NAMESPACES for part in key.split(":")[:-1])


def test_every_url_with_a_parameter_has_an_entry():
    """A new view that takes an id must say here who may reach it."""
    covered = {url_name(key) for key in MATRIX}
    missing = sorted(key for key in parameter_urls() if key not in covered and not _pending(key))
    assert not missing, f"URL patterns with a parameter and no entry in the access matrix: {missing}"


def test_the_matrix_names_no_url_that_is_gone():
    urls = parameter_urls()
    stale = sorted(key for key in MATRIX if url_name(key) not in urls)
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"


# --- the matrix ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def objs(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and its objects, built once inside a transaction that is rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = matrix_objects.build()
            for part in PARTS:
                if hasattr(part, "build"):
                    part.build(built)
            built["sessions"] = {}
            for persona, user in built["users"].items():  # one session per persona, reused by every test
                login = Client()
                login.force_login(user)
                built["sessions"][persona] = login.cookies[settings.SESSION_COOKIE_NAME].value
            # One client for the module: a new Client loads the middleware again, and WhiteNoise then re-indexes
            # every static file — that, not the views, was most of this file's run time.
            built["client"] = Client()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


ONLY_FOR = {
    "appeal_chair": ("appeals:",),
    "slot_proctor": ("exams:", "proctoring:"),
    "supervisor": ("admission:",),
    "reviewer": ("admission:",),
}


def _personas(name: str):
    """Everyone, except that the appeal chair and the proctor are asked only about their apps' URLs."""
    return [p for p in PERSONAS if p not in ONLY_FOR or name.startswith(ONLY_FOR[p])]


def _cases():
    for name in sorted(MATRIX):
        entry = MATRIX[name]
        for persona in _personas(name):
            marks = [pytest.mark.xfail(strict=True, reason=entry.xfail[persona])] if persona in entry.xfail else []
            yield pytest.param(name, persona, marks=marks, id=f"{name}-{persona}")


# Who may get past a view's object lookup and be refused by the service instead; strangers never get that far.
REACH_THE_OBJECT = EVERYONE - {"anonymous", "other_student", "outsider"}


def _refused_by_service(response) -> bool:
    """A POST the view let through but whose service refused the person: a redirect with only an error."""
    levels = {m.level for m in get_messages(response.wsgi_request)}
    return response.status_code == 302 and message_levels.ERROR in levels and message_levels.SUCCESS not in levels


@pytest.mark.parametrize(("name", "persona"), list(_cases()))
def test_access(objs, db, name, persona):
    entry = MATRIX[name]
    url = reverse(url_name(name), kwargs=entry.kwargs(objs))
    client = objs["client"]
    client.cookies = SimpleCookie()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = objs["sessions"][persona]
    data = entry.data(objs) if callable(entry.data) else entry.data
    response = getattr(client, entry.method)(url, data)
    status = response.status_code
    login = resolve_url(settings.LOGIN_URL)
    to_login = status == 302 and response["Location"].split("?")[0] == login
    if persona in entry.allow:
        assert status not in (401, 403, 404, 405, 410) and not to_login, (
            f"{persona} should reach {name} ({url}) but got {status}"
        )
    else:
        denied = (
            status in (403, 404)
            or (persona == "anonymous" and to_login)
            or (entry.method == "post" and persona in REACH_THE_OBJECT and _refused_by_service(response))
        )
        assert denied, f"{persona} should be refused {name} ({url}) but got {status}"
