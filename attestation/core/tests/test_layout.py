"""The layout's parts rendered once per process and language (attestation/core/templatetags/layout.py): every visitor
still gets exactly the layout a full render gives them — their own name, their own CSRF token, their page's path, their
language and role — and never another visitor's."""

import re

import django.urls
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import TemplateSyntaxError, engines
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from attestation.core.templatetags import layout
from attestation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = '{% extends "base.html" %}{% block title %}T{% endblock %}{% block content %}<p>the page</p>{% endblock %}'
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def render(user, path: str = "/my/schedule/?x=<1>&y='2'", **context) -> str:
    """The page as the layout renders it."""
    request = RequestFactory().get(path)
    request.user = user
    return engines["django"].from_string(PAGE).render(context, request)


def full(settings, user, **context) -> str:
    """The same page with every part rendered in full (as under DEBUG)."""
    settings.DEBUG = True
    try:
        return render(user, **context)
    finally:
        settings.DEBUG = False


def tokens_out(page: str) -> str:
    return TOKEN.sub(r"\1-\2", page)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_each_part_rendered_once_is_the_full_render_for_every_language_and_role(settings, language):
    person = UserFactory(last_name='<O"Brien & Sons>', first_name="Әлия", patronymic="")
    with translation.override(language):
        for user, context in ((person, {"is_student": True}), (person, {"is_student": False}), (AnonymousUser(), {})):
            once = render(user, **context)
            again = render(user, **context)  # from the parts kept
            assert tokens_out(once) == tokens_out(again) == tokens_out(full(settings, user, **context))
            tokens = VALUE.findall(once)  # the same token in both of its forms, and another in the next page's
            assert len(tokens) == (2 if user.is_authenticated else 1) and len(set(tokens)) == 1
            assert tokens[0] not in again


def test_each_visitor_gets_their_own_name_token_and_path_never_the_first_ones():
    first, second = UserFactory(last_name="Абенова"), UserFactory(last_name="Серіков")
    page = render(first, "/appeals/my/", is_student=True)
    assert "Абенова" in page and 'value="/appeals/my/"' in page
    token = VALUE.search(page).group(1)
    page = render(second, "/my/schedule/", is_student=True)
    assert "Серіков" in page and "Абенова" not in page and token not in page
    assert 'value="/my/schedule/"' in page and "/appeals/my/" not in page


def test_a_form_of_the_layout_rendered_once_posts_with_the_visits_own_token():
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    page = browser.get(reverse("login")).content.decode()  # the layout's parts kept from the first visit
    token = VALUE.search(page).group(1)
    response = browser.post(reverse("set_language"), {"language": "ru", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert browser.post(reverse("set_language"), {"language": "ru", "next": "/"}).status_code == 403


def test_the_language_and_the_role_of_the_visit_decide_the_layout():
    person = UserFactory()
    with translation.override("kk"):
        kazakh = render(person, is_student=True)
    with translation.override("ru"):
        russian = render(person, is_student=True)
        not_a_student = render(person, is_student=False)
    assert 'lang="kk"' in kazakh and "Шығу" in kazakh and "Выйти" not in kazakh
    assert 'lang="ru"' in russian and "Выйти" in russian and "Моё расписание" in russian
    assert "Моё расписание" not in not_a_student


def test_the_layout_is_rendered_once_per_language_and_role_then_only_filled_in(monkeypatch):
    person = UserFactory()
    render(person, is_student=True)
    reversed_: list = []
    reverse_ = django.urls.reverse  # what {% url %} calls
    monkeypatch.setattr(django.urls, "reverse", lambda *a, **kw: reversed_.append(a) or reverse_(*a, **kw))
    page = render(UserFactory(last_name="Нұрланова"), is_student=True)
    assert "Нұрланова" in page and not reversed_  # no link of the menu made again
    prefix = django.urls.get_script_prefix()
    django.urls.set_script_prefix("/portal-under-a-prefix/")  # parts this process has not rendered yet
    try:
        page = render(person, is_student=True)
    finally:
        django.urls.set_script_prefix(prefix)
    assert reversed_ and 'href="/portal-under-a-prefix/my/schedule/"' in page  # its own parts, its own links


def test_a_block_inside_a_kept_part_of_the_layout_is_refused_when_the_template_is_read():
    page = "{% load layout %}{% layout %}<nav>{% block menu %}the menu{% endblock %}</nav>{% endlayout %}"
    with pytest.raises(TemplateSyntaxError, match="block"):
        engines["django"].from_string(page)


def test_a_kept_part_shows_nothing_of_the_first_visits_other_context_to_the_next_visitor():
    page = "{% load layout %}{% layout %}[{{ secret }}|{{ perms.accounts.change_user }}]{% endlayout %}"
    kept = engines["django"].from_string(page)
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True)
    assert kept.render({"secret": "the admin's"}, request) == "[|]"
    request.user = UserFactory()
    assert kept.render({}, request) == "[|]"


def test_past_its_bound_a_part_is_rendered_in_full_and_not_kept(monkeypatch):
    kept = engines["django"].from_string("{% load layout %}{% layout %}{{ shown }}x{% endlayout %}")
    monkeypatch.setattr(layout, "KEPT_AT_MOST", 0)
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert kept.render({"shown": "in full "}, request) == "in full x"
    assert not kept.template.nodelist.get_nodes_by_type(layout.LayoutNode)[0].rendered
