import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admission_table_title_is_plain_text_and_the_acquaintance_section_shows_once(client, world, head):
    client.force_login(head)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admission:table", args=[world.programme.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title
    assert world.programme.code in title
    assert page.count("Acquaintance with the procedure") == 1
