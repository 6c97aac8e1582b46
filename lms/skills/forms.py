"""Forms of the learner's skill pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from .engine.documents import MAX_BYTES
from .models import Role, Skill

LEVEL_NAMES = {
    0: _("Not yet"),
    1: _("1 · Aware of it"),
    2: _("2 · Basic, with help"),
    3: _("3 · Independent at work"),
    4: _("4 · Advanced"),
    5: _("5 · Expert, teaches others"),
}


class GoalForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=Role.objects.filter(is_active=True),
        to_field_name="slug",
        label=_("Goal role"),
    )


class CVForm(forms.Form):
    """Pasted text or one uploaded file (PDF, DOCX or plain text, at most 1 MB)."""

    text = forms.CharField(
        label=_("Your CV or a description of your experience"),
        widget=forms.Textarea(attrs={"rows": 12, "aria-describedby": "cv-help"}),
        required=False,
        help_text=_(
            "One skill, tool or task per line works best. Korean and English are both read. "
            "Text can raise a skill to level 2 at most, and only the suggestions you confirm "
            "count; assessments and courses count for more."
        ),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.txt", "aria-describedby": "file-help"}
        ),
        help_text=_(
            "PDF (with a text layer, not a scan), DOCX or plain text, at most 1 MB. HWP files "
            "cannot be read yet: save them as PDF or DOCX in Hangul first."
        ),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste some text or choose a file."))
        if upload is not None and upload.size > MAX_BYTES:
            self.add_error("file", _("The text or file is too large (at most 1 MB)."))
        return data

    def upload_bytes(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(MAX_BYTES + 1)


class PostingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Job posting text"),
        widget=forms.Textarea(attrs={"rows": 10, "aria-describedby": "posting-help"}),
        help_text=_("Paste one posting, in Korean or English, as the employer wrote it."),
    )


class SelfAssessmentForm(forms.Form):
    """One 0–5 choice per skill; 0 leaves the skill unrated."""

    def __init__(self, *args, skills: Iterable[Skill], initial_levels: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.label,
                choices=list(LEVEL_NAMES.items()),
                coerce=int,
                initial=initial_levels.get(skill.pk, 0),
                required=False,
                empty_value=0,
            )

    def ratings(self) -> list[tuple[Skill, int]]:
        """(skill, level) for every skill rated 1–5 whose rating changed."""
        out = []
        for skill in self.skills:
            level = self.cleaned_data.get(f"skill_{skill.pk}") or 0
            if level and level != self.fields[f"skill_{skill.pk}"].initial:
                out.append((skill, level))
        return out
