from django import forms
from django.utils.translation import gettext_lazy as _

from exams.preparation.models import ReviewLecture, Webinar

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SeriesForm(forms.Form):
    starts_on = forms.DateField(label=_("Review lectures start"), widget=forms.DateInput(attrs={"type": "date"}))


class LectureForm(forms.ModelForm):
    class Meta:
        model = ReviewLecture
        fields = ["topic", "lecturer", "scheduled_at", "recording_url"]
        widgets = {"scheduled_at": DATETIME}


class WebinarForm(forms.ModelForm):
    class Meta:
        model = Webinar
        fields = ["kind", "topic", "audience", "starts_at", "duration_minutes", "url"]
        widgets = {"starts_at": DATETIME}
