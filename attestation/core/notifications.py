from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from attestation.core.models import Notification


def notify(*, user, kind: str, template: str, context: dict, url: str = "") -> Notification:
    """Puts a message on the person's page and e-mails it after commit, in the person's language.

    `template` names a pair `<template>_subject.txt` / `<template>_body.txt`.
    """
    with translation.override(getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
    notification = Notification.objects.create(user=user, kind=kind, subject=subject, body=body, url=url)
    if user.email:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        )
    return notification
