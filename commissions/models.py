import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from attestation.core.i18n import LocalizedName
from attestation.grading.models import Traditional
from attestation.institutions.policy_limits import COMMISSION_LIMITED_FIELDS, limit_constraints, limit_errors

HONOURS_FIELDS = ("honours_min_gpa", "honours_min_discipline_gpa", "honours_min_attestation_gpa")


class VoteMode(models.TextChoices):
    """How the degree vote is held (R34)."""

    SECRET = "secret", _("secret ballot")
    OPEN = "open", _("open collegial discussion")


class Commission(LocalizedName, models.Model):
    """An attestation commission for one or more programmes and one attestation period (R10)."""

    audit_subjects = ("self",)

    class Kind(models.TextChoices):
        FINAL = "final", _("final attestation")
        INTERMEDIATE = "intermediate", _("intermediate attestation")

    class Form(models.TextChoices):
        COMPLEX_EXAM = "complex_exam", _("complex exam")
        STATE_EXAM = "state_exam", _("state exam")
        DEFENSE = "defense", _("thesis defense")
        EXAM = "exam", pgettext_lazy("attestation form", "exam")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="commissions")
    academic_year = models.PositiveSmallIntegerField(_("academic year (first calendar year)"))
    kind = models.CharField(_("attestation"), max_length=12, choices=Kind.choices, default=Kind.FINAL)
    form = models.CharField(_("attestation form"), max_length=15, choices=Form.choices)
    programmes = models.ManyToManyField(
        "institutions.Programme", related_name="commissions", verbose_name=_("educational programmes")
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    order_number = models.CharField(_("approval order number"), max_length=50)
    order_date = models.DateField(_("approval order date"))
    period = models.ForeignKey(
        "institutions.AttestationPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissions",
        verbose_name=_("attestation period"),
    )
    period_start = models.DateField(_("attestation period from"))
    period_end = models.DateField(_("attestation period to"))
    # The degree vote's mode: the policy's degree_vote_mode when the commission is created, then the chair's or
    # the department head's choice for this commission (R34).
    vote_mode = models.CharField(_("degree vote"), max_length=6, choices=VoteMode.choices, default=VoteMode.SECRET)
    # The quorum and the honours thresholds: the policy's values when the commission is created (commission_create),
    # then the chair's or the department head's for this commission. No default here: the policy holds them.
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: share of voting members present, numerator"))
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"))
    honours_min_gpa = models.DecimalField(_("honours diploma: GPA at least"), max_digits=3, decimal_places=2)
    honours_min_discipline_gpa = models.DecimalField(
        _("honours diploma: every exam grade's GPA points at least"), max_digits=3, decimal_places=2
    )
    honours_min_attestation_gpa = models.DecimalField(
        _("honours diploma: complex exam or thesis GPA points at least"), max_digits=3, decimal_places=2
    )

    class Meta:
        verbose_name = _("attestation commission")
        verbose_name_plural = _("attestation commissions")
        ordering = ["-academic_year", "name_kk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="commission_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    quorum_numerator__gte=1, quorum_denominator__gte=1, quorum_numerator__lte=models.F("quorum_denominator")
                ),
                name="commission_quorum_is_a_share",
            ),
            # A commission may make the honours stricter than the law, never looser (order No. 595).
            *limit_constraints(HONOURS_FIELDS, prefix="commission"),
        ]

    def clean(self) -> None:
        errors = limit_errors(self, COMMISSION_LIMITED_FIELDS)
        if self.quorum_numerator and self.quorum_denominator and self.quorum_numerator > self.quorum_denominator:
            errors["quorum_numerator"] = _(
                "The quorum is a share of the members: the numerator cannot exceed the denominator."
            )
        if errors:
            raise ValidationError(errors)

    def has_quorum(self, *, present: int, voting: int) -> bool:
        """At least quorum_numerator/quorum_denominator of the voting members are present (integer arithmetic)."""
        return voting > 0 and present * self.quorum_denominator >= voting * self.quorum_numerator


class Membership(models.Model):
    audit_subjects = ("commission",)

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("technical secretary")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.CharField(_("position and workplace"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="membership_once"),
            models.UniqueConstraint(fields=["commission"], condition=models.Q(role="chair"), name="one_chair"),
        ]

    @property
    def votes(self) -> bool:
        """The chair and members vote; the technical secretary does not (R2)."""
        return self.role != self.Role.SECRETARY

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Sitting(models.Model):
    audit_subjects = ("commission",)

    class Mode(models.TextChoices):
        ONLINE = "online", _("online")
        OFFLINE_VIDEO = "offline_video", _("offline, by a video of the report")
        SMALL_GROUP = "small_group", _("small group")
        ONE_STUDENT = "one_student", _("one student at a time")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="sittings")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))
    mode = models.CharField(_("mode"), max_length=15, choices=Mode.choices, default=Mode.ONLINE)
    meeting_url = models.URLField(_("meeting link (Zoom, Webex, Teams)"), blank=True)
    # The call in which the chair announces the results and the students rejoin (004 §16, §26); set by the secretary.
    announcement_at = models.DateTimeField(_("results announced in a call at"), null=True, blank=True)
    announcement_url = models.URLField(_("results announcement call link"), blank=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="sitting_ends_after_start"),
        ]

    def bounds(self, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
        """When the sitting starts and ends, as moments on the wall clock of `time_zone` (its institution's)."""
        zone = ZoneInfo(time_zone)
        return (
            dt.datetime.combine(self.date, self.starts_at, tzinfo=zone),
            dt.datetime.combine(self.date, self.ends_at, tzinfo=zone),
        )

    @property
    def minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Attendance(models.Model):
    """Whether a commission member is present at a sitting, recorded by the secretary before grading starts."""

    audit_subjects = ("sitting__commission",)
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["sitting", "membership"], name="attendance_once_per_member")]


class Slot(models.Model):
    """A student's place in a sitting: what the student sees in My schedule."""

    audit_subjects = ("sitting__commission", "student")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CONFIRMED = "confirmed", _("connection checked")
        DONE = "done", _("finished")
        ABSENT = "absent", _("absent")
        POSTPONED = "postponed", _("postponed")

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="slots")
    student = models.ForeignKey("institutions.Student", on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)

    class Meta:
        verbose_name = _("schedule slot")
        verbose_name_plural = _("schedule")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "student"], name="slot_student_once_per_sitting"),
            models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="slot_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.starts_at:%d.%m.%Y %H:%M}"


class ConnectionCheck(models.Model):
    """The secretary's contact with a student before the sitting and the check of the connection (R12). Each call
    is a row; the newest one is the student's state, the older ones the history."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Outcome(models.TextChoices):
        WORKS = "works", _("reached, the connection works")
        PROBLEM = "problem", _("reached, the connection has problems")
        NOT_REACHED = "not_reached", _("not reached")

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="connection_checks")
    outcome = models.CharField(_("result"), max_length=12, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    new_phone = models.CharField(_("new phone number"), max_length=30, blank=True)
    new_email = models.EmailField(_("new e-mail"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("connection check")
        verbose_name_plural = _("connection checks")
        ordering = ["slot", "-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.slot} {self.get_outcome_display()}"


class Choice(models.TextChoices):
    """A member's vote on awarding the degree or qualification (R34)."""

    FOR = "for", pgettext_lazy("vote", "for")
    AGAINST = "against", pgettext_lazy("vote", "against")


class MemberGrade(models.Model):
    """One voting member's grade of one student; given once, changed only by the chair's correction (R33)."""

    audit_subjects = ("slot__sitting__commission", "slot__student")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="member_grades")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="grades")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    letter = models.CharField(_("letter"), max_length=3)
    submitted_at = models.DateTimeField(_("submitted"))
    corrected = models.BooleanField(_("corrected by the chair"), default=False)

    class Meta:
        verbose_name = _("member's grade")
        verbose_name_plural = _("members' grades")
        ordering = ["slot", "membership__role", "membership__user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "membership"], name="member_grade_once"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="member_grade_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} → {self.slot.student}: {self.points} ({self.letter})"


class GradeCorrection(models.Model):
    """The chair's correction of a member's grade, with the reason; both values stay here and in the audit."""

    audit_subjects = ("grade__slot__sitting__commission", "grade__slot__student")
    grade = models.ForeignKey(MemberGrade, on_delete=models.CASCADE, related_name="corrections")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    old_points = models.DecimalField(_("points before"), max_digits=5, decimal_places=2)
    new_points = models.DecimalField(_("points after"), max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(_("corrected"))

    class Meta:
        verbose_name = _("grade correction")
        verbose_name_plural = _("grade corrections")
        ordering = ["created_at"]


class Result(models.Model):
    """The one record of a student's outcome for a slot's attestation form (R35)."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Source(models.TextChoices):
        COMMISSION = "commission", _("commission's grades")
        SUMMATIVE = "summative", _("summative average")
        PLAGIARISM = "plagiarism", _("failed plagiarism check")
        APPEAL = "appeal", _("appeal decision")
        INCOMPLETE = "incomplete", _("incomplete (I), decided by the chair")
        TESTING = "testing", _("computer-based test result")

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="result")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    letter = models.CharField(_("letter"), max_length=3)
    gpa = models.DecimalField(_("GPA points"), max_digits=3, decimal_places=2, null=True, blank=True)
    traditional = models.CharField(_("traditional mark"), max_length=15)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    decided_at = models.DateTimeField(_("decided"))
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["slot__starts_at"]

    @property
    def traditional_label(self) -> str:
        return str(Traditional(self.traditional).label) if self.traditional in Traditional.values else self.traditional

    def __str__(self) -> str:
        return f"{self.slot.student}: {self.letter}"


class DissentingOpinion(models.Model):
    """A member's special (dissenting) opinion on a student's grade or degree decision, printed in the protocol."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class Subject(models.TextChoices):
        GRADE = "grade", _("on the grade")
        DEGREE = "degree", _("on awarding the degree")

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="dissenting_opinions")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="dissenting_opinions")
    subject = models.CharField(_("subject"), max_length=6, choices=Subject.choices, default=Subject.GRADE)
    text = models.TextField(_("dissenting opinion"))
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("dissenting opinion")
        verbose_name_plural = _("dissenting opinions")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["slot", "membership", "subject"], name="dissenting_opinion_once")]


class VoteRound(models.Model):
    """The vote on awarding the degree for one student (R34); its tally exists only once it is closed."""

    audit_subjects = ("slot__sitting__commission", "slot__student")
    Mode = VoteMode

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="vote_round")
    mode = models.CharField(_("mode"), max_length=6, choices=Mode.choices)
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    # the secret round (docs/ballot.md): its run, the members' joint public key, and from the close the encrypted tally
    epoch = models.PositiveSmallIntegerField(_("run"), default=0)
    joint_key = models.CharField(max_length=64, blank=True)
    closing_at = models.DateTimeField(_("closing"), null=True, blank=True)
    tally_a = models.CharField(max_length=64, blank=True)
    tally_b = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("degree vote")
        verbose_name_plural = _("degree votes")
        constraints = [
            # R34: a vote is counted with every present member's ballot; one closed with none is never "not awarded".
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(votes_for__gt=0) | models.Q(votes_against__gt=0),
                name="vote_closed_with_ballots",
            ),
        ]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def awarded(self) -> bool | None:
        if not self.is_closed:
            return None
        return (self.votes_for or 0) > (self.votes_against or 0)


class OpenVote(models.Model):
    """An open vote names the member."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="open_votes")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=7, choices=Choice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "membership"], name="open_vote_once")]


class BallotTrustee(models.Model):
    """A member taking part in a secret round (docs/ballot.md): the public half of the key their browser made, with
    its proof, and at the close their share of the tally's decryption. The secret half never leaves the browser."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="trustees")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    key_share = models.CharField(max_length=64, blank=True)
    key_proof = models.JSONField(default=dict, blank=True)
    decryption_share = models.CharField(max_length=64, blank=True)
    decryption_proof = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "membership"], name="ballot_trustee_once")]


class EncryptedBallot(models.Model):
    """A member's ballot as their browser encrypted it under the members' joint key, with the proof that it is a
    valid vote; the server adds ballots up and never opens one."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="encrypted_ballots")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    a = models.CharField(max_length=64)
    b = models.CharField(max_length=64)
    proof = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "membership"], name="encrypted_ballot_once")]


class VoteRerun(models.Model):
    """A vote run again because a member's ballot, key or share was missing at the close; the reason is recorded."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="reruns")
    epoch = models.PositiveSmallIntegerField(_("run abandoned"))
    reason = models.TextField(_("reason"))
    missing = models.JSONField(_("members who had not taken part"), default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "pk"]


class Paper(models.Model):
    """A protocol, vedomost or report of a commission: the rendered Document, its QR token and who must sign."""

    audit_subjects = ("commission", "slot__student")

    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("protocol of the exam or defense")
        DEGREE_PROTOCOL = "degree_protocol", _("protocol on awarding the degree")
        VEDOMOST = "vedomost", _("grade sheet (vedomost)")
        REPORT = "report", _("chair's report")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="papers")
    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="papers", null=True, blank=True)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="papers", null=True, blank=True)
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="paper")
    # Protocols are numbered in one sequence per commission; an amendment carries the number of the protocol it
    # amends (and cites it), so only originals are unique.
    number = models.PositiveIntegerField(_("protocol number"), null=True, blank=True)
    amends = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments")
    created_at = models.DateTimeField(_("created"))

    NUMBERED = ("protocol", "degree_protocol")
    # Set on a loaded paper by commissions.papers.selectors.signature_states (not columns).
    signed: list["Signature"]
    awaiting: list[Membership]
    is_signed: bool

    class Meta:
        verbose_name = _("commission document")
        verbose_name_plural = _("commission documents")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "number"], condition=models.Q(amends__isnull=True), name="paper_protocol_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=("protocol", "degree_protocol"), number__isnull=False)
                | (~models.Q(kind__in=("protocol", "degree_protocol")) & models.Q(number__isnull=True)),
                name="paper_protocols_numbered",
            ),
        ]

    @property
    def signer_roles(self) -> list[str]:
        """Protocols: the chair and the secretary (R36); vedomosti: the chair and the members (R37)."""
        if self.kind == self.Kind.VEDOMOST:
            return [Membership.Role.CHAIR, Membership.Role.MEMBER]
        if self.kind == self.Kind.REPORT:
            return [Membership.Role.CHAIR]
        return [Membership.Role.CHAIR, Membership.Role.SECRETARY]


def signed_path(instance: "Signature", filename: str) -> str:
    return f"signed/{instance.paper_id}/{filename}"


class Signature(models.Model):
    """One PAdES signature made with the signer's own key (NCALayer), added as an incremental update.

    `file` is the PDF with this and every earlier signature. The certificate's details are copied here when the
    portal accepted the signature (chain to the trust store, signing key, IIN of the signer's account).
    """

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    signed_at = models.DateTimeField(_("signed"))
    certificate_subject = models.CharField(_("certificate"), max_length=500)
    certificate_issuer = models.CharField(_("issued by"), max_length=500, blank=True)
    certificate_serial = models.CharField(max_length=64, blank=True)
    signer_iin = models.CharField(_("IIN"), max_length=12, blank=True)
    revocation_checked = models.BooleanField(_("revocation checked"), default=False)
    timestamp_at = models.DateTimeField(_("time-stamp authority's time"), null=True, blank=True)
    file = models.FileField(_("signed file"), upload_to=signed_path)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["paper", "signer"], name="signature_once_per_signer")]


def pending_path(instance: "SigningRequest", filename: str) -> str:
    return f"signed/{instance.paper_id}/pending/{filename}"


class SigningRequest(models.Model):
    """A PDF prepared for one signer: a signature field with a reserved hole, waiting for their CMS from NCALayer.

    The browser gets the bytes around the hole (`region_start`..`region_end`), NCALayer signs them with the
    person's key, and the portal fills the hole with that CMS after checking it. No key ever reaches the server.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="signing_requests")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    prepared = models.FileField(upload_to=pending_path)
    region_start = models.PositiveIntegerField()
    region_end = models.PositiveIntegerField()
    digest = models.CharField(max_length=128)
    base_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paper", "signer"], name="signing_request_one_per_signer"),
            models.CheckConstraint(condition=models.Q(region_end__gt=models.F("region_start")), name="signing_request_hole"),
        ]


class DocumentJob(models.Model):
    """A document being rendered in the background; the page polls its progress."""

    audit_subjects = ("commission",)

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("rendering")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        SITTING_DOCUMENTS = "sitting", _("protocols and grade sheet of a sitting")
        REPORT = "report", _("chair's report")
        PORTFOLIO = "portfolio", _("commission's electronic portfolio")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SITTING_DOCUMENTS)
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="document_jobs")
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="document_jobs", null=True, blank=True)
    text = models.TextField(_("chair's text"), blank=True)
    output = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


# The planner's own models live beside its code; Django finds them through this import.
from commissions.planning.models import MemberUnavailability, PlanDraft  # noqa: E402, F401
