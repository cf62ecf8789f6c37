from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission, ConnectionCheck, Membership
from commissions.services import ORDER_FIELDS, SETTINGS_FIELDS
from commissions.trail_words import KINDS, STUDENT_VERBS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommissionSettingsForm(forms.ModelForm):
    """The degree-vote mode, the quorum and the honours thresholds of one commission."""

    class Meta:
        model = Commission
        fields = SETTINGS_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        position = getattr(user, "position", "")
        return f"{user.display_name} — {position}" if position else user.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoice.label_from_instance


class CommissionForm(forms.Form):
    """The approving order, the period and programmes, and the people of an attestation commission."""

    kind = forms.ChoiceField(label=_("attestation"), choices=Commission.Kind.choices)
    form = forms.ChoiceField(label=_("attestation form"), choices=Commission.Form.choices)
    period = forms.ModelChoiceField(label=_("attestation period"), queryset=None)
    programmes = forms.ModelMultipleChoiceField(
        label=_("educational programmes"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    name_kk = forms.CharField(label=_("name (Kazakh)"), max_length=255)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=255)
    name_en = forms.CharField(label=_("name (English)"), max_length=255, required=False)
    order_number = forms.CharField(label=_("approval order number"), max_length=50)
    order_date = forms.DateField(label=_("approval order date"), widget=DATE)
    chair = PersonChoice(label=_("chair"), queryset=None)
    members = PeopleChoice(label=_("members"), queryset=None, widget=forms.CheckboxSelectMultiple)
    secretary = PersonChoice(label=_("technical secretary"), queryset=None)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("period", "programmes"):
            self.fields[name].queryset = choices[name]
        for name in ("chair", "members", "secretary"):
            self.fields[name].queryset = choices["people"]

    @staticmethod
    def initial_for(commission: Commission, members: list) -> dict:
        by_role = {role: [m.user for m in members if m.role == role] for role in Membership.Role.values}
        return {
            **{name: getattr(commission, name) for name in ORDER_FIELDS},
            "programmes": list(commission.programmes.all()),
            "chair": next(iter(by_role["chair"]), None),
            "members": by_role["member"],
            "secretary": next(iter(by_role["secretary"]), None),
        }


class ConnectionCheckForm(forms.Form):
    """One call to a student before the sitting (R12)."""

    outcome = forms.ChoiceField(label=_("Result"), choices=ConnectionCheck.Outcome.choices)
    new_phone = forms.CharField(label=_("New phone number"), max_length=30, required=False)
    new_email = forms.EmailField(label=_("New e-mail"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AnnouncementCallForm(forms.Form):
    """The call in which the chair announces the results (004 §16, §26)."""

    at = forms.DateTimeField(
        label=_("Announcement call at"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
    )
    url = forms.URLField(
        label=_("Call link"), required=False, assume_scheme="https", widget=forms.URLInput(attrs={"class": "form-control"})
    )


# A text field in the page's own date format (a date picker would write its placeholder in the browser's language).
DAY_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DAY = {"class": "form-control", "inputmode": "numeric", "placeholder": _("dd.mm.yyyy"), "autocomplete": "off"}


class TrailFilterForm(forms.Form):
    """The audit trail's filter: a kind of event and the days (in the institution's time zone)."""

    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    since = forms.DateField(
        label=_("From"), required=False, input_formats=DAY_FORMATS, widget=forms.DateInput(attrs=DAY, format=DAY_FORMATS[0])
    )
    until = forms.DateField(
        label=_("To"), required=False, input_formats=DAY_FORMATS, widget=forms.DateInput(attrs=DAY, format=DAY_FORMATS[0])
    )

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in KINDS if not own or any(v.startswith(k.verbs) for v in STUDENT_VERBS)]
        self.fields["kind"].choices = [("", _("All kinds")), *((k.code, k.label) for k in kinds)]
