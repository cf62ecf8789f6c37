import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from attestation.celery import app
from attestation.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_health_page_reports_database_and_a_missing_worker(client):
    response = client.get(reverse("health"))
    checks = list(response.context["checks"].values())
    assert checks[0]["ok"]
    assert response.status_code == 503 or all(c["ok"] for c in checks)


def test_health_page_is_green_after_a_recent_sweep(client, settings):
    Heartbeat.objects.create(name="deadlines_sweep", at=timezone.now())
    worker = list(client.get(reverse("health")).context["checks"].values())[2]
    assert worker["ok"]


def test_health_page_says_the_last_sweep_in_the_visitors_language_and_the_portals_local_time(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TIME_ZONE = "Asia/Almaty"
    at = timezone.now()
    Heartbeat.objects.create(name="deadlines_sweep", at=at)
    local = at.astimezone(zoneinfo.ZoneInfo("Asia/Almaty"))
    content = client.get(reverse("health"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert f"мерзімдерді соңғы тексеру: {local:%H:%M:%S}" in content
    assert "sweep" not in content


def test_beat_schedule_runs_the_deadline_sweep_and_the_rebuild_of_the_pages_built_ahead():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "attestation.core.tasks.deadlines_sweep_task" in tasks
    assert "attestation.core.tasks.pages_rebuild_task" in tasks


def test_times_are_shown_in_the_institutions_time_zone(client, world):
    world.institution.time_zone = "Asia/Aqtobe"
    world.institution.save()
    client.post(reverse("login"), {"username": world.student.user.username, "password": "pw-attest-1"})
    content = client.get(reverse("commissions:my_schedule")).content.decode()
    assert "08:00" in content  # 09:00 in Almaty is 08:00 in Aqtobe in 2020


def test_login_page_and_language_switch(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Войти" in client.get(reverse("login")).content.decode()


def test_the_chosen_language_is_remembered_on_the_person(client, world):
    user = world.student.user
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "ru"
    client.cookies.clear()
    client.force_login(user)
    assert "Моё расписание" in client.get(reverse("commissions:my_schedule")).content.decode()


def test_an_empty_form_shows_its_errors_in_kazakh(client, world):
    response = client.post(reverse("login"), {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="kk")
    content = response.content.decode()
    assert "Бұл өріс міндетті." in content
    assert "This field is required" not in content
