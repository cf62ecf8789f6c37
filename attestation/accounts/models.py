from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Roles are rows that tie a user to an object, never flags here."""

    email = models.EmailField(_("e-mail"), blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("interface language"), max_length=2, choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    @property
    def display_name(self) -> str:
        parts = [self.last_name, self.first_name, self.patronymic]
        return " ".join(p for p in parts if p) or self.username

    def __str__(self) -> str:
        return self.display_name
