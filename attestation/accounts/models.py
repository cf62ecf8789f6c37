from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from attestation.institutions.validators import validate_iin


class User(AbstractUser):
    """A person who logs in. Roles are rows that tie a user to an object, never flags here."""

    email = models.EmailField(_("e-mail"), blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("interface language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )
    # The IIN in the signer's certificate (subject serialNumber IIN…) must equal this one for the signature to count.
    iin = models.CharField(
        _("IIN"),
        max_length=12,
        blank=True,
        validators=[validate_iin],
        help_text=_("Needed to sign documents: it must match the IIN in the person's electronic signature key."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
            models.UniqueConstraint(fields=["iin"], condition=~models.Q(iin=""), name="user_iin_unique"),
        ]

    @property
    def display_name(self) -> str:
        parts = [self.last_name, self.first_name, self.patronymic]
        return " ".join(p for p in parts if p) or self.username

    def __str__(self) -> str:
        return self.display_name


class Invitation(models.Model):
    """A one-time, expiring link that lets an outside chair or member set a password and land on their commission."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    next_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class SingleSignOn(models.Model):
    """An institution's own OpenID Connect provider: its people may sign in with their institutional account.

    The provider only proves who the person is; the portal maps them to an EXISTING account (by verified e-mail or
    by IIN) of that institution, and never creates accounts or roles from the provider's claims.
    """

    class Match(models.TextChoices):
        EMAIL = "email", _("by verified e-mail")
        IIN = "iin", _("by IIN")

    institution = models.OneToOneField("institutions.Institution", on_delete=models.CASCADE, related_name="single_sign_on")
    enabled = models.BooleanField(_("enabled"), default=False)
    button_label = models.CharField(_("button label"), max_length=100, help_text=_("e.g. University account"))
    authorization_endpoint = models.URLField(_("authorization endpoint"))
    token_endpoint = models.URLField(_("token endpoint"))
    userinfo_endpoint = models.URLField(_("user info endpoint"))
    jwks_uri = models.URLField(_("JWKS URI (provider's signing keys)"))
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=255)
    scopes = models.CharField(_("scopes"), max_length=255, default="openid email")
    match_by = models.CharField(_("find the person"), max_length=5, choices=Match.choices, default=Match.EMAIL)
    iin_claim = models.CharField(_("claim with the IIN"), max_length=50, default="iin")

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on")

    def __str__(self) -> str:
        return self.button_label


class StaffInvitation(models.Model):
    """A person invited by e-mail to an institution's staff with their roles: the link lets them set a password (or
    sign in with the institution's own accounts) and gives them the roles; it expires after the policy's days, works
    once, and may be re-sent (a new link, the old one dead) or revoked."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="staff_invitations")
    department = models.ForeignKey(
        "institutions.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_invitations",
        verbose_name=_("department"),
    )
    email = models.EmailField(_("e-mail"))
    last_name = models.CharField(_("surname"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=255)
    roles = models.JSONField(_("roles"), default=list)  # institutions.models.STAFF_ROLES keys
    is_administrative = models.BooleanField(_("administrative staff"), default=False)
    language = models.CharField(_("language of the letter"), max_length=2, default="kk")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_invitations")

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name} <{self.email}>"

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def state(self, now) -> str:
        """used, revoked, expired or open."""
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= now else "open"
