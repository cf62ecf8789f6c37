from django import forms

from commissions.models import Commission
from commissions.services import SETTINGS_FIELDS


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
