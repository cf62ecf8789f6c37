from django import forms
from django.utils.translation import gettext_lazy as _


class _Small(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"


class MoveForm(_Small):
    """Move one student: the day and the start time."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("day"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class MoveDayForm(_Small):
    """Move a whole day's block to another day (and start)."""

    date = forms.DateField(widget=forms.HiddenInput)
    to_date = forms.DateField(label=_("to the day"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("start"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class LockForm(forms.Form):
    students = forms.CharField(widget=forms.HiddenInput)  # ids, comma-separated
    locked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_students(self) -> list[int]:
        try:
            return [int(x) for x in self.cleaned_data["students"].split(",") if x.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Choose the students.")) from exc


class UnavailabilityForm(_Small):
    date = forms.DateField(label=_("day I cannot sit"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason (optional)"), required=False, max_length=255)
