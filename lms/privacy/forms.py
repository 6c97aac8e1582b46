"""Privacy forms: consents (sign-up, consent page, privacy page), erasure, audit filters,
a centre's retention periods."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.forms import LearnerSignupForm

from .models import (
    OPTIONAL_PURPOSES,
    REQUIRED_PURPOSES,
    AuditEvent,
    CentrePrivacyPolicy,
    ConsentRecord,
)
from .services import POLICY_FIELDS, record_consents
from .texts import CURRENT_VERSION, consent_text


class ConsentFieldsMixin:
    """One checkbox per purpose, labelled with the current text in the page's language; the
    required one must be ticked. `text_version` is the version the person was shown."""

    def add_consent_fields(self, initial: dict[str, bool] | None = None) -> None:
        language = (get_language() or "ko")[:2]
        initial = initial or {}
        for purpose in (*REQUIRED_PURPOSES, *OPTIONAL_PURPOSES):
            self.fields[f"consent_{purpose}"] = forms.BooleanField(
                label=consent_text(purpose, language),
                required=purpose in REQUIRED_PURPOSES,
                initial=initial.get(purpose, False),
                error_messages={"required": _("Dasi cannot run your courses without this.")},
            )
        self.fields["text_version"] = forms.CharField(
            widget=forms.HiddenInput, initial=CURRENT_VERSION
        )

    def chosen_purposes(self) -> set[str]:
        return {
            purpose
            for purpose in (*REQUIRED_PURPOSES, *OPTIONAL_PURPOSES)
            if self.cleaned_data.get(f"consent_{purpose}")
        }

    def clean_text_version(self) -> str:
        version = self.cleaned_data["text_version"]
        if version != CURRENT_VERSION:
            raise forms.ValidationError(_("The consent text changed; read it again."))
        return version

    def consent_fields(self):
        return [self[name] for name in self.fields if name.startswith("consent_")]


class ConsentingSignupForm(ConsentFieldsMixin, LearnerSignupForm):
    """Sign-up with the consent checkboxes; the answer is recorded with the new account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields()

    def signup(self, request, user) -> None:
        super().signup(request, user)
        record_consents(
            user=user,
            purposes=self.chosen_purposes(),
            text_version=self.cleaned_data["text_version"],
            language=(get_language() or "ko")[:2],
            source=ConsentRecord.Source.SIGNUP,
        )


class ConsentForm(ConsentFieldsMixin, forms.Form):
    """The consent page (first SSO or LTI arrival, or a new text version) and the privacy
    page's consent settings."""

    def __init__(self, *args, initial_consents: dict[str, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields(initial_consents)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Staff member (user name)"), required=False, max_length=150)
    learner = forms.CharField(label=_("Learner (user name)"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditEvent.Action.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PolicyForm(forms.ModelForm):
    """A centre's retention periods, grace period and notes-in-export choice, checked by
    the model (`CentrePrivacyPolicy.clean`)."""

    class Meta:
        model = CentrePrivacyPolicy
        fields = POLICY_FIELDS
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 3650, "step": 1})
            for name in POLICY_FIELDS
            if name.endswith("_days")
        }
