"""Redirects only to this site: every view that goes back to a POSTed `next` refuses another host in every spelling.

The views are found, not listed by hand: every POST of the access matrix is sent by a person it allows with `next`
set to a page of ours; those that land there take `next`, and must be in NEXT_VIEWS — each of which is then sent
every hostile form (absolute, scheme-relative, backslashes) and must stay on this site.
"""

from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from attestation.core.actions import is_own_page
from attestation.tests import test_access_matrix
from attestation.tests.test_access_matrix import MATRIX, url_name

matrix_objects = test_access_matrix.objs  # the access matrix's world, built once for this module too

HOSTILE = (
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "//evil.example/commissions/",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "/no-such-page-of-ours/",
)

# The views whose "go back" follows `next` (grading, preparation, year end, inviting a member).
NEXT_VIEWS = {
    "commissions:grade_submit",
    "commissions:grade_correct",
    "commissions:result_decide",
    "commissions:result_incomplete",
    "commissions:vote_open",
    "commissions:vote_cast",
    "commissions:vote_close",
    "commissions:results_announce",
    "commissions:attendance_record",
    "commissions:opinion_record",
    "commissions:announcement_call",
    "commissions:connection_check_record",
    "preparation:series",
    "preparation:lecture_add",
    "preparation:webinar_create",
    "preparation:step_done",
    "yearend:transfer_send",
    "yearend:diploma_request",
    "yearend:accommodation_set",
    "yearend:accommodation_remove",
    "invite_member",
}
POSTS = sorted(name for name, entry in MATRIX.items() if entry.method == "post" and entry.allow - {"anonymous"})


def _post(objs, name: str, nxt: str):
    entry = MATRIX[name]
    persona = sorted(entry.allow - {"anonymous"})[0]
    client = objs["client"]
    client.cookies = SimpleCookie()
    client.cookies[settings.SESSION_COOKIE_NAME] = objs["sessions"][persona]
    data = entry.data(objs) if callable(entry.data) else dict(entry.data)
    return client.post(reverse(url_name(name), kwargs=entry.kwargs(objs)), {**data, "next": nxt})


@pytest.mark.parametrize("name", POSTS)
def test_a_view_that_follows_next_is_tested_with_every_hostile_form(matrix_objects, db, name):
    own = reverse("home") + "?probe=next"
    response = _post(matrix_objects, name, own)
    follows = response.status_code == 302 and response["Location"] == own
    assert follows == (name in NEXT_VIEWS), f"{name} {'follows' if follows else 'ignores'} next: update NEXT_VIEWS"


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("name", sorted(NEXT_VIEWS))
def test_next_never_leads_off_the_site(matrix_objects, db, name, hostile):
    response = _post(matrix_objects, name, hostile)
    assert response.status_code == 302
    location = response["Location"]
    assert location != hostile
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("hostile", HOSTILE[:-1])
def test_the_language_switch_goes_back_only_to_this_site(client, db, hostile):
    response = client.post(reverse("set_language"), {"language": "ru", "next": hostile})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and not response["Location"].startswith("javascript")


@pytest.mark.parametrize("hostile", HOSTILE[:-1])
def test_login_goes_on_only_to_this_site(db, django_user_model, hostile):
    django_user_model.objects.create_user(username="nikolai", password="pw-a-long-one-2026")
    response = Client().post(
        reverse("login") + "?next=" + hostile, {"username": "nikolai", "password": "pw-a-long-one-2026", "next": hostile}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and not response["Location"].startswith("javascript")


@pytest.mark.parametrize("url", HOSTILE)
def test_is_own_page_refuses_other_hosts_and_unknown_paths(rf, url):
    assert not is_own_page(rf.get("/"), url)


def test_is_own_page_takes_our_pages_with_their_query(rf):
    assert is_own_page(rf.get("/"), reverse("home") + "?tab=2")
