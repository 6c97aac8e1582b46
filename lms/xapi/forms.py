"""The form a centre admin fills in to connect their Learning Record Store."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LrsEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("xAPI endpoint"),
        help_text=_("The store's xAPI base address, e.g. https://lrs.example.org/xAPI/"),
        assume_scheme="https",
    )
    username = forms.CharField(label=_("Key (user name)"), max_length=200)
    password = forms.CharField(
        label=_("Secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown. Leave empty to keep the current one."),
    )
    enabled = forms.BooleanField(label=_("Send statements"), required=False, initial=True)
