from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from attestation.core.uploads import validate_upload
from attestation.institutions.models import Discipline, Group, Student
from attestation.institutions.policies import policy_for
from commissions.models import Sitting, Slot
from exams.applications.incompletes import cutoff_refusal
from exams.applications.models import Application
from exams.applications.periods import period_next, period_parse

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_BYTES = 60 * 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

FIELDS_BY_KIND = {
    Application.Kind.MISSED: ["slot", "reasons", "document"],
    Application.Kind.POSTPONEMENT: ["slot", "ground", "requested_date", "reasons", "document"],
    Application.Kind.SUMMATIVE: ["attestation", "slot", "discipline", "period", "reasons", "document"],
    Application.Kind.RESTUDY: ["discipline", "period", "reasons", "document"],
}


class SlotChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Slot) -> str:
        return f"{obj.sitting.commission.name} — {obj.sitting.date:%d.%m.%Y}"


class DisciplineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Discipline) -> str:
        return f"{obj.code} {obj.name}"


class DisciplinesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Discipline) -> str:
        return f"{obj.code} {obj.name}"


class ApplicationForm(forms.ModelForm):
    """The student's application of one kind; the fields are those its rule asks for."""

    slot = SlotChoice(queryset=Slot.objects.none(), required=False, label=_("Attestation"))
    discipline = DisciplineChoice(queryset=Discipline.objects.none(), required=False, label=_("Discipline"))

    class Meta:
        model = Application
        fields = ["attestation", "slot", "discipline", "period", "ground", "requested_date", "reasons", "document"]
        widgets = {"requested_date": DATE, "reasons": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "period": _("For example 2019-2 (the second term of 2019-2020) or 2019-S (the summer)."),
            "document": _("PDF, JPG or PNG, up to 10 MB."),
        }

    def __init__(self, *args, kind: str, student: Student, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in FIELDS_BY_KIND[kind]:
                del self.fields[name]
        if "slot" in self.fields:
            self.fields["slot"].queryset = Slot.objects.filter(student=student).select_related("sitting__commission")
            self.fields["slot"].required = kind != Application.Kind.SUMMATIVE
        if "discipline" in self.fields:
            self.fields["discipline"].queryset = Discipline.objects.filter(institution_id=student.institution_id)
        if kind == Application.Kind.POSTPONEMENT:
            self.fields["ground"].required = True
        if kind == Application.Kind.MISSED:
            self.fields["document"].required = True

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_upload(upload, allowed=("pdf", "jpg", "jpeg", "png"), max_bytes=DOCUMENT_MAX_BYTES)
        return upload

    def clean(self):
        data = super().clean()
        slot, day = data.get("slot"), data.get("requested_date")
        if slot is not None and day is not None:
            refusal = cutoff_refusal(policy_for(slot.sitting.commission), day)
            if refusal:
                self.add_error("requested_date", refusal)
        return data


class DecisionForm(forms.Form):
    """Approve (with what the rule needs to take effect) or reject with a reason."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sitting = forms.ModelChoiceField(label=_("Next sitting day"), queryset=Sitting.objects.none(), required=False)
    sitting_date = forms.DateField(label=_("…or a new sitting day"), required=False, widget=DATE)
    new_date = forms.DateField(label=_("New date"), required=False, widget=DATE)
    target_period = forms.CharField(label=_("Re-study in the period"), required=False, max_length=10)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        keep = {
            Application.Kind.MISSED: ("sitting", "sitting_date"),
            Application.Kind.POSTPONEMENT: ("new_date",),
            Application.Kind.RESTUDY: ("target_period",),
        }.get(application.kind, ())
        for name in ("sitting", "sitting_date", "new_date", "target_period"):
            if name not in keep:
                del self.fields[name]
        if "sitting" in self.fields:
            missed = application.slot.sitting
            self.fields["sitting"].queryset = Sitting.objects.filter(
                commission_id=missed.commission_id, date__gt=missed.date
            ).order_by("date")
        if "new_date" in self.fields:
            self.fields["new_date"].initial = application.requested_date
        if "target_period" in self.fields:
            self.fields["target_period"].initial = period_next(application.period)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the refusal."))
        if data.get("new_date"):
            refusal = cutoff_refusal(policy_for(self.application.slot.sitting.commission), data["new_date"])
            if refusal:
                self.add_error("new_date", refusal)
        return data


class TranscriptImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file from the registrar's export"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"), max_bytes=IMPORT_MAX_BYTES)
        return upload


class DueDateForm(forms.Form):
    """The chair or the department sets or changes an "I" grade's due date; the service refuses one after the cutoff."""

    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, cutoff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cutoff is not None:
            self.fields["due_date"].help_text = _("No later than the cutoff, %(cutoff)s.") % {
                "cutoff": date_format(cutoff, "SHORT_DATE_FORMAT")
            }


def _period_clean(value: str) -> str:
    period = value.strip().upper()
    period_parse(period)
    return period


class GroupChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.programme.code}"


class SummativeListForm(forms.Form):
    """The institution's decision replacing the exam by the average for a list of disciplines (R44)."""

    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("For example 2019-2 (the second term of 2019-2020).")
    )
    disciplines = DisciplinesChoice(
        label=_("Disciplines"), queryset=Discipline.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    groups = GroupChoice(
        label=_("Groups"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every group with scores in these disciplines."),
    )
    number = forms.CharField(label=_("Decision number"), max_length=50)
    date = forms.DateField(label=_("Decision date"), widget=DATE)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = Discipline.objects.filter(institution=institution).order_by("code")
        self.fields["groups"].queryset = (
            Group.objects.filter(programme__department__institution=institution).select_related("programme").order_by("name")
        )

    def clean_period(self):
        return _period_clean(self.cleaned_data["period"])


RECORDING_MAX_BYTES = 500 * 1024 * 1024
# The core upload check knows no video signatures: an MP4/MOV has "ftyp" at byte 4, a WebM starts with EBML.
VIDEO_SIGNATURES = {"mp4": (4, b"ftyp"), "mov": (4, b"ftyp"), "webm": (0, b"\x1aE\xdf\xa3")}


def validate_video(upload) -> None:
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in VIDEO_SIGNATURES:
        raise forms.ValidationError(
            _("%(name)s: this type of file is not accepted. Accepted: %(allowed)s.")
            % {"name": upload.name, "allowed": "MP4, MOV, WEBM"}
        )
    if upload.size > RECORDING_MAX_BYTES:
        raise forms.ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(RECORDING_MAX_BYTES)}
        )
    offset, magic = VIDEO_SIGNATURES[ext]
    head = upload.read(16)
    upload.seek(0)
    if head[offset : offset + len(magic)] != magic:
        raise forms.ValidationError(
            _("%(name)s is not really a %(ext)s file: its content does not match its name.")
            % {"name": upload.name, "ext": ext.upper()}
        )


class ArtsResultForm(forms.Form):
    """R46: the half-year average, the creative characteristic and, for 0408013/0408023/0410013, two files."""

    period = forms.CharField(label=_("Period"), max_length=10)
    average = forms.DecimalField(label=_("Half-year average"), min_value=0, max_value=100, decimal_places=2, required=False)
    characteristic = forms.CharField(label=_("Creative characteristic"), widget=forms.Textarea(attrs={"rows": 5}))
    recording = forms.FileField(
        label=_("Stage-performance recording"), required=False, help_text=_("MP4, MOV or WEBM, up to 500 MB.")
    )
    employer_reviews = forms.FileField(label=_("Employer reviews"), required=False, help_text=_("PDF, up to 10 MB."))

    def __init__(self, *args, needs_recording: bool, transcript_average=None, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_recording:
            self.fields["recording"].required = self.fields["employer_reviews"].required = True
        else:
            del self.fields["recording"], self.fields["employer_reviews"]
        if transcript_average is not None:
            self.fields["average"].initial = transcript_average
            self.fields["average"].help_text = _("From the imported final scores: %(average)s.") % {
                "average": transcript_average
            }
        else:
            self.fields["average"].required = True

    def clean_period(self):
        return _period_clean(self.cleaned_data["period"])

    def clean_recording(self):
        upload = self.cleaned_data.get("recording")
        if upload:
            validate_video(upload)
        return upload

    def clean_employer_reviews(self):
        upload = self.cleaned_data.get("employer_reviews")
        if upload:
            validate_upload(upload, allowed=("pdf",), max_bytes=DOCUMENT_MAX_BYTES)
        return upload
