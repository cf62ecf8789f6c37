"""Day one's pages (issue 15) in Kazakh and Russian, on a desktop and a 390 px phone: each page is opened, shot into
artifacts/e2e/onboard-*.png, and must not scroll sideways on the phone (buttons cut off at the edge)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.accounts.staff_invitations import staff_invite
from attestation.institutions.models import InstitutionAdmin
from attestation.institutions.student_import import student_import_check
from attestation.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"
PASSWORD = "screens-2026-strong"  # noqa: S105 - a test password


def _people(world):
    admin = UserFactory(username="screens-admin", is_superuser=True, is_staff=True)
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    for user in (admin, world.secretary):
        user.set_password(PASSWORD)
        user.save()
    return admin


def _pages(world, admin, tmp_path) -> list[tuple[str, str | None, str]]:
    pk = world.institution.pk
    _invitation, link = staff_invite(
        actor=admin,
        institution=world.institution,
        department=world.department,
        email="new-member@example.kz",
        last_name="Омарова",
        first_name="Жанар",
        position="аға оқытушы",
        roles=["member", "secretary"],
    )
    bad = "ЖСН,Тегі,Аты,Фамилия,Имя,Топ,Оқу тілі\n123456789012,Сейітов,Ерлан,Сеитов,Ерлан,НЕТ-1,klingon\n"
    check = student_import_check(
        actor=admin, institution=world.institution, upload=SimpleUploadedFile("s.csv", bad.encode()), kind="csv"
    )
    return [
        ("home", "screens-admin", "/"),
        ("institution-new", "screens-admin", "/institutions/new/"),
        ("staff", "screens-admin", f"/institutions/{pk}/staff/"),
        ("accept", None, link),
        ("import", "screens-admin", f"/institutions/{pk}/import-students/"),
        ("import-errors", "screens-admin", f"/student-imports/{check.pk}/"),
        ("structure", "screens-admin", f"/institutions/{pk}/structure/"),
        ("commissions", "screens-admin", f"/institutions/{pk}/commissions/"),
        ("plan", world.secretary.username, f"/commissions/{world.commission.pk}/plan/"),
    ]


def test_day_one_pages_fit_a_phone_in_kazakh_and_russian(live_server, browser, world, tmp_path, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = _people(world)
    pages = _pages(world, admin, tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for lang in ("kk", "ru"):
        for width in (1280, 390):
            contexts = {}
            for name, username, path in pages:
                if username not in contexts:
                    context = browser.new_context(viewport={"width": width, "height": 900})
                    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
                    page = context.new_page()
                    if username:
                        page.goto(f"{live_server.url}/accounts/login/")
                        page.fill("input[name=username]", username)
                        page.fill("input[name=password]", PASSWORD)
                        page.click("form[method=post] button[type=submit].w-100")
                        page.wait_for_load_state()
                    contexts[username] = page
                page = contexts[username]
                page.goto(path if path.startswith("http") else f"{live_server.url}{path}")
                page.screenshot(path=str(SHOTS / f"onboard-{name}-{lang}-{width}.png"), full_page=True)
                if width == 390 and page.evaluate("document.documentElement.scrollWidth") > 392:
                    too_wide.append(f"{name} ({lang})")
    assert not too_wide, "scrolls sideways at 390 px: " + ", ".join(too_wide)
