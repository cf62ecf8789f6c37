"""Issue 23: every link in a notification (page and e-mail) opens for the person it was sent to.

The access matrix's world sends many notifications (appeal filed, protocol signed, technical-failure act, ...);
each one's link is followed as its recipient, and so is every link to this portal in its e-mail body.
"""

import re

import pytest

from attestation.core.models import Notification
from attestation.tests import matrix_objects

pytestmark = pytest.mark.django_db
PORTAL_LINK = re.compile(r"https?://[^/\s]+(/[^\s<>\"')]*)")


def test_every_notification_link_opens_for_its_recipient(client):
    matrix_objects.build()
    notifications = list(Notification.objects.select_related("user").exclude(url=""))
    assert len({n.kind for n in notifications}) >= 3, [n.kind for n in notifications]
    broken = []
    for notification in notifications:
        client.force_login(notification.user)
        links = {notification.url, *PORTAL_LINK.findall(notification.body)}
        for link in links:
            status = client.get(link).status_code
            if status != 200:
                broken.append((notification.kind, notification.user.username, link, status))
    assert not broken, broken
