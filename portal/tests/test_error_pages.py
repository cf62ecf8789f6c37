"""Issue 23: 403, 404, 500 and CSRF failures answer in the portal's layout and the user's language."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from portal.errors import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "words"), [("kk", "Бет табылмады"), ("ru", "Страница не найдена")])
def test_not_found_is_in_the_layout_and_the_users_language(client, world, language, words):
    client.force_login(world.outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("commissions:sitting_documents", args=[world.sitting.pk]))  # not theirs: 404
    page = response.content.decode()
    assert response.status_code == 404
    assert words in page and 'class="navbar' in page and "Not Found" not in page
    assert f'lang="{language}"' in page


def test_forbidden_is_in_the_layout(client, world):
    client.force_login(world.member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = client.post(reverse("commissions:report_queue", args=[world.commission.pk]))
    assert response.status_code == 403 and "Кіруге рұқсат жоқ" in response.content.decode()


def test_a_csrf_failure_is_in_the_layout_and_the_users_language(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.chair)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post(reverse("commissions:report_queue", args=[world.commission.pk]))
    page = response.content.decode()
    assert response.status_code == 403 and "Срок действия формы истёк" in page and 'class="navbar' in page


def test_the_server_error_page_answers_in_the_users_language(world):

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("kk"):
        response = server_error(request)
    assert response.status_code == 500 and "Бірдеңе дұрыс болмады" in response.content.decode()


def test_the_language_cookie_is_secure_and_http_only_in_production(client):
    assert not settings.DEBUG  # the tests run the production settings
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
