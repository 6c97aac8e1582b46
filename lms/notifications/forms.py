"""Forms of notifications: preferences, announcements and messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Announcement, Channel, Kind, Message


class PreferencesForm(forms.Form):
    """One choice of channel per kind of notification."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                initial=initial_channels[kind],
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class MessageForm(forms.ModelForm):
    class Meta:
        model = Message
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Your message")}


class NewMessageForm(MessageForm):
    to = forms.TypedChoiceField(label=_("Send to"), coerce=int, choices=())

    class Meta(MessageForm.Meta):
        fields = ["to", "body"]

    def __init__(self, *args, correspondents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(p.pk, p.display_name) for p in correspondents]
