import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commissions.models import Sitting, Slot
from proctoring.models import Incident, Recording, RoomCheck, TechnicalFailureAct


class IdCopyForm(forms.Form):
    file = forms.FileField(label=_("ID copy (photo or PDF)"))


def _item(label) -> forms.BooleanField:
    """One checklist item of the desk: Bootstrap's form-check-input keeps the box beside its label (a long label
    otherwise put the bare box on a line of its own above it)."""
    return forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class IdentificationForm(forms.Form):
    face_matches = _item(_("The face on the video matches the ID copy"))
    stated_name_and_group = _item(_("The student stated full name and group"))
    showed_original = _item(_("The student showed the original ID"))


class RoomCheckForm(forms.Form):
    alone = _item(RoomCheck._meta.get_field("alone").verbose_name)
    devices_ok = _item(RoomCheck._meta.get_field("devices_ok").verbose_name)
    room_shown = _item(RoomCheck._meta.get_field("room_shown").verbose_name)
    refused = _item(RoomCheck._meta.get_field("refused").verbose_name)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=Incident.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    screenshot = forms.FileField(label=_("Screenshot (optional)"), required=False)


class FailureActForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Failure time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control form-control-sm"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    description = forms.CharField(
        label=_("What failed"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"})
    )
    language = forms.ChoiceField(
        label=_("Language of the act"),
        choices=TechnicalFailureAct._meta.get_field("language").choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class RecordingForm(forms.Form):
    """A link or a video file; keep-until defaults to the policy's retention after the sitting."""

    url = forms.URLField(
        label=_("Link to the recording"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )
    file = forms.FileField(
        label=_("or the video file (MP4, WebM)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "video/mp4,video/webm"}),
    )
    audience = forms.ChoiceField(
        label=_("Who may see it"), choices=Recording.Audience.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    keep_until = forms.DateField(
        label=_("Kept until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("Empty: the policy's retention after the sitting."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=255, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a link to the recording or its video file."))
        return data


class ProctorForm(forms.Form):
    """A proctor for the whole sitting, or for one of its students (R7)."""

    username = forms.CharField(
        label=_("Proctor's username"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    slot = forms.ModelChoiceField(
        label=_("Watches"),
        queryset=Slot.objects.none(),
        required=False,
        empty_label=_("the whole sitting"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, sitting: Sitting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = sitting.slots.select_related("student").order_by("starts_at")
        # The start in the zone in force (the sitting's, show_times_of), not as stored (UTC)
        self.fields["slot"].label_from_instance = lambda s: f"{timezone.localtime(s.starts_at):%H:%M} {s.student.full_name}"

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with this username."))
        return user


class OfferSlotForm(forms.Form):
    """Another time after a technical failure (R23): a later sitting of the commission, optionally a time in it."""

    sitting = forms.ModelChoiceField(
        label=_("Sitting"),
        queryset=Sitting.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    time = forms.TimeField(
        label=_("Time (empty: after the last student)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
    )

    def __init__(self, *args, sittings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = sittings
        self.fields["sitting"].label_from_instance = self.sitting_label

    @staticmethod
    def sitting_label(sitting: Sitting) -> str:
        label = f"{sitting.date:%d.%m.%Y} {sitting.starts_at:%H:%M}–{sitting.ends_at:%H:%M}"
        if getattr(sitting, "last_start", None) is None:
            return f"{label} · {_('no student yet')}"
        return f"{label} · " + ngettext(
            "%(n)s student, the last at %(time)s", "%(n)s students, the last at %(time)s", sitting.placed
        ) % {"n": sitting.placed, "time": timezone.localtime(sitting.last_start).strftime("%H:%M")}

    def starts_at(self, zone) -> dt.datetime | None:
        time = self.cleaned_data.get("time")
        if time is None:
            return None
        return dt.datetime.combine(self.cleaned_data["sitting"].date, time, tzinfo=zone)
