from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Which system uses it, e.g. Platonus."))
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
