"""Production security settings, checked on real responses (the suite runs with DEBUG off): `check --deploy` clean,
a CSP that forbids inline scripts and pages that need none, secure cookies, HSTS, a translated login lockout, and
uploaded files served so a browser never runs them."""

import re
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from attestation.institutions.models import InstitutionAdmin
from attestation.tests.factories import UserFactory
from attestation.tests.security import hostile
from commissions.models import Slot
from exams import programmes
from exams import services as exam_services
from exams.admission import services as admission_services
from exams.admission.tests.conftest import register
from exams.tests.conftest import admitted, make_tickets
from proctoring import services as proctoring_services

pytestmark = pytest.mark.django_db
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
ON_HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _inline_code(html: str) -> list[str]:
    return [m.group(0)[:120] for pattern in (INLINE_SCRIPT, ON_HANDLER, JS_URL) for m in pattern.finditer(html)]


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_check_deploy_is_clean_with_the_production_settings():
    assert not settings.DEBUG  # and no DJANGO_ALLOW_ASYNC_UNSAFE left for the run (async.E001): browser tests only
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECRET_KEY=secrets.token_urlsafe(50), PORTAL_BASE_URL="https://portal.example.kz"
    ):
        call_command("check", deploy=True, fail_level="WARNING")


def test_the_csp_allows_scripts_only_from_our_own_files(client):
    policy = _csp(client.get(reverse("login")))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(policy["default-src"] + policy["script-src"])


def _template_dirs() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [p for p in Path(settings.BASE_DIR).glob("*/templates")] + list(Path(settings.BASE_DIR).glob("*/*/templates"))
    return [r for r in roots if ".venv" not in r.parts]


def test_no_template_carries_inline_script_or_event_handlers():
    offenders = {}
    for root in _template_dirs():
        for template in root.rglob("*.html"):
            found = _inline_code(template.read_text(encoding="utf-8"))
            if found:
                offenders[str(template.relative_to(settings.BASE_DIR))] = found
    assert not offenders


@pytest.fixture
def registrar(world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    return admin


def _main_pages(world, registrar):

    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    return [
        (None, reverse("login")),
        (world.student.user, reverse("home")),
        (world.student.user, reverse("commissions:my_schedule")),
        (world.student.user, reverse("appeals:my_results")),
        (world.student.user, reverse("proctoring:id_copy")),
        (world.student.user, reverse("admission:my_thesis")),
        (world.student.user, reverse("applications:mine")),
        (world.student.user, reverse("exams:student_exam", args=[slot.pk])),
        (world.secretary, reverse("home")),
        (world.secretary, reverse("exams:console", args=[world.sitting.pk])),
        (world.secretary, reverse("exams:desk", args=[slot.pk])),
        (world.secretary, reverse("commissions:sitting_results", args=[world.sitting.pk])),
        (world.secretary, reverse("commissions:sitting_documents", args=[world.sitting.pk])),
        (world.chair, reverse("commissions:slot_results", args=[slot.pk])),
        (world.chair, reverse("commissions:commission", args=[world.commission.pk])),
        (world.head, reverse("exams:programmes", args=[world.commission.pk])),
        (world.head, reverse("applications:queue")),
        (registrar, reverse("institutions:policy", args=[world.institution.pk])),
        (registrar, reverse("institutions:import_students", args=[world.institution.pk])),
        (registrar, reverse("applications:import", args=[world.institution.pk])),
    ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_main_pages_render_without_inline_script_under_the_csp(client, world, registrar, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for user, url in _main_pages(world, registrar):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert not _inline_code(response.content.decode()), (url, _inline_code(response.content.decode()))


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(client, world):
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("login"),
        {"username": world.student.user.username, "password": "pw-attest-1", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", cookie.output()


def test_https_responses_carry_hsts_and_the_other_headers(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_login_is_locked_after_the_failure_limit_with_a_translated_message(client, world, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    username = world.student.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("login"), {"username": username, "password": "wrong"}).status_code == 200
    locked = client.post(reverse("login"), {"username": username, "password": "wrong"})
    again = client.post(reverse("login"), {"username": username, "password": "pw-attest-1"})  # even the right one
    english = (
        "Too many failed log-in attempts. The account is locked for a while; try again later or ask your "
        "institution's administrator."
    )
    with translation.override(language):
        message = translation.gettext(english)
    assert message != english  # the catalogue has it in this language
    for response in (locked, again):
        assert response.status_code == 429
        assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- uploaded files are downloads, typed, sniff-proof and sandboxed --------------------------------------------------


def _assert_served_safely(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment"), response["Content-Disposition"]
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_an_id_copy_is_served_as_an_attachment(client, world):
    copy = proctoring_services.id_copy_upload(
        student=world.student, upload=SimpleUploadedFile("id.jpg", hostile.image()), actor=world.student.user
    )
    client.force_login(world.student.user)
    _assert_served_safely(client.get(reverse("proctoring:id_copy_file", args=[copy.pk])), "image/jpeg")


def test_an_answer_sheet_is_served_as_an_attachment(client, world):
    make_tickets(world)
    exam_settings = exam_services.exam_settings_for(world.commission)
    exam_settings.exam_format = "written"
    exam_settings.save()
    attempt = admitted(world)
    exam_services.ticket_draw(attempt=attempt, actor=world.student.user)
    sheet = exam_services.answer_sheet_upload(
        attempt=attempt, upload=SimpleUploadedFile("p1.png", hostile.image("PNG")), actor=world.student.user
    )
    client.force_login(world.secretary)
    _assert_served_safely(client.get(reverse("exams:answer_sheet", args=[sheet.pk])), "image/png")


def test_a_programme_file_is_served_as_an_attachment(client, world):
    programme = programmes.programme_create(
        commission=world.commission,
        title="Бағдарлама",
        actor=world.head,
        file=SimpleUploadedFile("programme.docx", hostile.docx()),
    )
    client.force_login(world.head)
    response = client.get(reverse("exams:programme_file", args=[programme.pk, "programme"]))
    _assert_served_safely(response, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def test_a_thesis_file_is_served_as_an_attachment(client, world):
    thesis = register(world.student, world.member, UserFactory(username="reviewer"))
    version = admission_services.thesis_version_upload(
        actor=world.student.user, thesis=thesis, upload=SimpleUploadedFile("thesis.pdf", hostile.PDF)
    )
    client.force_login(world.member)
    response = client.get(reverse("admission:thesis_file", args=[thesis.pk, "version", version.pk]))
    _assert_served_safely(response, "application/pdf")


def test_media_files_are_never_served_directly(client, world, settings):
    path = Path(settings.MEDIA_ROOT) / "appeals" / "evil.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(hostile.HTML)
    assert client.get(f"{settings.MEDIA_URL}appeals/evil.html").status_code == 404
