"""Admin form for adding a person to a centre, limited to the centres the editor runs."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .models import Membership, Role, User
from .selectors import centres_where
from .services import membership_create


class MembershipForm(WagtailAdminModelForm):
    """Name the person by username or e-mail, so no list of other centres' users is shown."""

    person = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_("The person must have an account already."),
    )

    class Meta:
        model = Membership
        fields = ["centre", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None:
            self.fields["centre"].queryset = centres_where(user=user, roles=[Role.CENTRE_ADMIN])
        if self.instance.pk:
            self.fields["person"].initial = self.instance.user.username
            self.fields["person"].disabled = True

    def clean_person(self) -> User:
        if self.instance.pk:
            return self.instance.user
        value = self.cleaned_data["person"].strip()
        matches = list(User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value))[:2])
        if len(matches) != 1:
            raise forms.ValidationError(_("No single account has that username or e-mail."))
        self.instance.user = matches[0]
        return matches[0]

    def clean(self):
        cleaned = super().clean()
        person, centre, role = cleaned.get("person"), cleaned.get("centre"), cleaned.get("role")
        if (
            not self.instance.pk
            and person
            and centre
            and role
            and Membership.objects.filter(user=person, centre=centre, role=role).exists()
        ):
            raise forms.ValidationError(_("That person already has this role in this centre."))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        self.instance = membership_create(
            user=self.cleaned_data["person"],
            centre=self.cleaned_data["centre"],
            role=self.cleaned_data["role"],
        )
        return self.instance
