"""Identification, room checks, incidents, technical-failure acts, interruptions, recordings and proctors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def id_copy_path(instance: "IdCopy", filename: str) -> str:
    return f"proctoring/id/{instance.student_id}/{instance.uploaded_at:%Y%m%d%H%M%S}.{instance.kind}"


class IdCopy(models.Model):
    """The ID copy a student uploads before the attestation (R19); personal data, shown to the secretary only."""

    audit_subjects = ("student",)
    student = models.ForeignKey("institutions.Student", on_delete=models.CASCADE, related_name="id_copies")
    kind = models.CharField(max_length=4)
    file = models.FileField(upload_to=id_copy_path)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ID copy")
        verbose_name_plural = _("ID copies")
        ordering = ["student", "-uploaded_at"]

    @property
    def content_type(self) -> str:
        return {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[self.kind]


class CommissionDecision(models.Model):
    """How the commission decided (R20, R24: "the commission decides"): who of it was present and how — unanimously or
    by a vote for and against — not one person's click. The secretary records it."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Subject(models.TextChoices):
        INTERRUPTION = "interruption", _("continuing after an interruption")
        ROOM_CHECK = "room_check", _("a refused room check")
        IDENTIFICATION = "identification", _("identification without an ID copy")

    class Method(models.TextChoices):
        UNANIMOUS = "unanimous", _("unanimously")
        VOTE = "vote", _("by a vote")

    slot = models.ForeignKey("commissions.Slot", on_delete=models.CASCADE, related_name="commission_decisions")
    subject = models.CharField(_("on"), max_length=16, choices=Subject.choices)
    outcome = models.CharField(_("decision"), max_length=16)
    present = models.ManyToManyField("commissions.Membership", related_name="+", verbose_name=_("members present"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("commission's decision")
        verbose_name_plural = _("commission's decisions")
        constraints = [
            models.CheckConstraint(condition=models.Q(votes_for__gt=models.F("votes_against")), name="decision_by_majority"),
            models.CheckConstraint(
                condition=~models.Q(method="unanimous") | models.Q(votes_against=0), name="decision_unanimous_none_against"
            ),
        ]


class Identification(models.Model):
    """The secretary's checklist (R19): the face matches the ID copy, group and full name stated, original shown."""

    audit_subjects = ("slot__sitting__commission", "slot__student")
    slot = models.OneToOneField("commissions.Slot", on_delete=models.CASCADE, related_name="identification")
    id_copy = models.ForeignKey(IdCopy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    face_matches = models.BooleanField(_("the face matches the ID copy"))
    stated_name_and_group = models.BooleanField(_("stated full name and group"))
    showed_original = models.BooleanField(_("showed the original ID"))
    # Without an ID copy: the policy's identification system, or the commission's decision for this student.
    by_id_system = models.BooleanField(_("identified with the identification system"), default=False)
    exception = models.OneToOneField(
        CommissionDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="identification"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(face_matches=True, stated_name_and_group=True, showed_original=True),
                name="identification_all_checked",
            ),
        ]


class RoomCheck(models.Model):
    """The room check of R20; a refusal stops the attestation and the commission decides: suspend or end."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Decision(models.TextChoices):
        NONE = "", _("not needed")
        PENDING = "pending", _("awaiting the commission")
        SUSPEND = "suspend", _("suspend (another date)")
        END = "end", _("end the attestation")

    slot = models.OneToOneField("commissions.Slot", on_delete=models.CASCADE, related_name="room_check")
    alone = models.BooleanField(_("alone in the room"), default=False)
    devices_ok = models.BooleanField(_("only the devices used for the attestation"), default=False)
    room_shown = models.BooleanField(_("room shown on camera"), default=False)
    refused = models.BooleanField(_("the student refused the check"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    commission_decision = models.OneToOneField(
        CommissionDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="room_check"
    )

    class Meta:
        verbose_name = _("room check")
        verbose_name_plural = _("room checks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refused=True) | models.Q(alone=True, devices_ok=True, room_shown=True),
                name="room_check_passed_or_refused",
            ),
        ]

    @property
    def passed(self) -> bool:
        return not self.refused


class Incident(models.Model):
    """Something that happened during the attestation (R21, R22): time, kind, note, optional screenshot."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Kind(models.TextChoices):
        LEFT_VIEW = "left_view", _("left the camera view")
        CAMERA_OFF = "camera_off", _("camera switched off")
        THIRD_PERSON = "third_person", _("a third person in the room")
        FORBIDDEN_ITEM = "forbidden_item", _("forbidden item")
        REFUSAL = "refusal", _("refusal")
        STUDENT_INTEGRITY = "student_integrity", _("academic integrity breach by the student")
        MEMBER_INTEGRITY = "member_integrity", _("academic integrity breach by a member")
        OTHER = "other", _("other")

    slot = models.ForeignKey("commissions.Slot", on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)
    screenshot = models.FileField(upload_to="proctoring/screenshots/%Y/%m/", blank=True)
    screenshot_kind = models.CharField(max_length=4, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["slot", "occurred_at"]


class TechnicalFailureAct(models.Model):
    """The electronic act of a technical failure (R23), sent to every commission member the same day."""

    audit_subjects = ("slot__sitting__commission", "slot__student")
    slot = models.ForeignKey("commissions.Slot", on_delete=models.PROTECT, related_name="failure_acts")
    occurred_at = models.DateTimeField(_("failure time"))
    description = models.TextField(_("what failed"))
    student_offered_new_slot = models.BooleanField(_("the student is offered another time"), default=True)
    language = models.CharField(_("language of the act"), max_length=2, choices=[("kk", _("Kazakh")), ("ru", _("Russian"))])
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # The other time the student is given (R23); the failed attempt itself stays "technical failure".
    new_slot = models.OneToOneField(
        "commissions.Slot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offered_by_act",
        verbose_name=_("another slot"),
    )
    new_slot_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_slot_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("technical-failure act")
        verbose_name_plural = _("technical-failure acts")
        ordering = ["-drawn_at"]


class Interruption(models.Model):
    """The student's request to continue after a drop (R24) and the commission's decision."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting the commission")
        CONTINUE = "continue", _("continue")
        STOP = "stop", _("stop")

    slot = models.ForeignKey("commissions.Slot", on_delete=models.CASCADE, related_name="interruptions")
    requested_at = models.DateTimeField()
    message = models.CharField(_("message"), max_length=500, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    commission_decision = models.OneToOneField(
        CommissionDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="interruption"
    )

    class Meta:
        verbose_name = _("interruption")
        verbose_name_plural = _("interruptions")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=models.Q(decision="pending"), name="interruption_one_pending_per_slot"
            ),
        ]


def recording_path(instance: "Recording", filename: str) -> str:
    return f"proctoring/recordings/{instance.sitting_id}/{instance.added_at:%Y%m%d%H%M%S}.{instance.file_kind}"


class Recording(models.Model):
    """Where a sitting's video recording is (R21): a link or a stored file, who may see it, and until when it is
    kept. When the day passes the sweep deletes the stored file or marks the link expired (expired_at)."""

    audit_subjects = ("sitting__commission",)

    class Audience(models.TextChoices):
        COMMISSION = "commission", _("the commission and the department head")
        DEPARTMENT = "department", _("the department head only")

    sitting = models.ForeignKey("commissions.Sitting", on_delete=models.CASCADE, related_name="recordings")
    url = models.URLField(_("link to the recording"), blank=True)
    file = models.FileField(_("video file"), upload_to=recording_path, blank=True)
    file_kind = models.CharField(max_length=4, blank=True)
    audience = models.CharField(_("who may see it"), max_length=12, choices=Audience.choices, default=Audience.COMMISSION)
    keep_until = models.DateField(_("kept until"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)

    class Meta:
        verbose_name = _("video recording")
        verbose_name_plural = _("video recordings")
        ordering = ["sitting", "added_at"]
        constraints = [
            # A live recording points somewhere; only an expired one may have lost its file.
            models.CheckConstraint(
                condition=~models.Q(url="", file="") | models.Q(expired_at__isnull=False), name="recording_link_or_file"
            ),
        ]

    @property
    def expired(self) -> bool:
        return self.expired_at is not None


class ProctorAssignment(models.Model):
    """A proctor watching a sitting, or one student of it (R7)."""

    audit_subjects = ("sitting__commission", "slot__student")
    sitting = models.ForeignKey("commissions.Sitting", on_delete=models.CASCADE, related_name="proctors")
    slot = models.ForeignKey("commissions.Slot", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proctor_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        verbose_name = _("proctor")
        verbose_name_plural = _("proctors")
        constraints = [models.UniqueConstraint(fields=["sitting", "user"], name="proctor_once_per_sitting")]


class MemberIdentification(models.Model):
    """The chair and members identified by the department head or dean before the sitting opens (R19)."""

    audit_subjects = ("sitting__commission",)
    sitting = models.ForeignKey("commissions.Sitting", on_delete=models.CASCADE, related_name="member_identifications")
    membership = models.ForeignKey("commissions.Membership", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("identification of a commission member")
        verbose_name_plural = _("identifications of commission members")
        constraints = [models.UniqueConstraint(fields=["sitting", "membership"], name="member_identified_once")]
