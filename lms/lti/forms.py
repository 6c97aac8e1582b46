from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Registration


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class RegistrationForm(forms.ModelForm):
    """A platform's values, as its administrator gives them (manual registration)."""

    deployment_ids = forms.CharField(
        label=_("deployment ids"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )

    class Meta:
        model = Registration
        fields = [
            "centre", "name", "issuer", "client_id", "deployment_ids",
            "auth_login_url", "auth_token_url", "auth_audience", "key_set_url", "active",
        ]  # fmt: skip
        formfield_callback = _formfield

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        if self.instance.pk:
            self.initial["deployment_ids"] = "\n".join(self.instance.deployment_ids)
            self.fields["centre"].disabled = True

    def clean_deployment_ids(self) -> list[str]:
        value = self.cleaned_data["deployment_ids"]
        return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]
