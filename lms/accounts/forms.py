"""Account forms: sign-up as a learner of the centre, and the profile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Language, User
from .services import learner_register, user_profile_update


class LearnerSignupForm(forms.Form):
    """Extra sign-up fields; allauth calls `signup` once the account exists."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.KOREAN
    )

    def signup(self, request, user: User) -> None:
        user_profile_update(
            user=user,
            name=self.cleaned_data["name"],
            preferred_language=self.cleaned_data["preferred_language"],
        )
        learner_register(user=user, centre=getattr(request, "centre", None))


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
