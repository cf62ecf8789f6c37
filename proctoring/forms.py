from django import forms
from django.utils.translation import gettext_lazy as _

from proctoring.models import Incident, Recording, RoomCheck, TechnicalFailureAct


class IdCopyForm(forms.Form):
    file = forms.FileField(label=_("ID copy (photo or PDF)"))


class IdentificationForm(forms.Form):
    face_matches = forms.BooleanField(label=_("The face on the video matches the ID copy"), required=False)
    stated_name_and_group = forms.BooleanField(label=_("The student stated full name and group"), required=False)
    showed_original = forms.BooleanField(label=_("The student showed the original ID"), required=False)


class RoomCheckForm(forms.Form):
    alone = forms.BooleanField(label=RoomCheck._meta.get_field("alone").verbose_name, required=False)
    devices_ok = forms.BooleanField(label=RoomCheck._meta.get_field("devices_ok").verbose_name, required=False)
    room_shown = forms.BooleanField(label=RoomCheck._meta.get_field("room_shown").verbose_name, required=False)
    refused = forms.BooleanField(label=RoomCheck._meta.get_field("refused").verbose_name, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Incident.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    screenshot = forms.FileField(label=_("Screenshot (optional)"), required=False)


class FailureActForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Failure time"), widget=forms.DateTimeInput(
                                      attrs={"type": "datetime-local", "class": "form-control form-control-sm"}),
                                      input_formats=["%Y-%m-%dT%H:%M"])
    description = forms.CharField(label=_("What failed"),
                                  widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}))
    language = forms.ChoiceField(label=_("Language of the act"),
                                 choices=TechnicalFailureAct._meta.get_field("language").choices,
                                 widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


class RecordingForm(forms.ModelForm):
    class Meta:
        model = Recording
        fields = ["url", "audience", "keep_until", "note"]
        widgets = {"keep_until": forms.DateInput(attrs={"type": "date"})}


class ProctorForm(forms.Form):
    username = forms.CharField(label=_("Proctor's username"), max_length=150)
